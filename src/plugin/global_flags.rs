//! Docker's global flags (`docker --context x secops ...`), kept so that every later docker call uses them too.

use std::path::PathBuf;

/// The docker global flags the user typed before `secops`, or directly before our sub-command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlobalFlags {
    pub config: Option<PathBuf>,
    pub context: Option<String>,
    pub hosts: Vec<String>,
    pub log_level: Option<String>,
    pub debug: bool,
    pub tls: bool,
    pub tls_verify: bool,
    pub tls_ca_cert: Option<PathBuf>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

impl GlobalFlags {
    /// The flags again as docker arguments, to pass on to `docker compose` and other docker calls.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        let mut push = |flag: &str, value: Option<String>| {
            args.push(flag.to_string());
            if let Some(value) = value {
                args.push(value);
            }
        };
        if let Some(config) = &self.config {
            push("--config", Some(config.display().to_string()));
        }
        if let Some(context) = &self.context {
            push("--context", Some(context.clone()));
        }
        for host in &self.hosts {
            push("--host", Some(host.clone()));
        }
        if let Some(level) = &self.log_level {
            push("--log-level", Some(level.clone()));
        }
        if self.debug {
            push("--debug", None);
        }
        if self.tls {
            push("--tls", None);
        }
        if self.tls_verify {
            push("--tlsverify", None);
        }
        for (flag, path) in
            [("--tlscacert", &self.tls_ca_cert), ("--tlscert", &self.tls_cert), ("--tlskey", &self.tls_key)]
        {
            if let Some(path) = path {
                push(flag, Some(path.display().to_string()));
            }
        }
        args
    }
}
