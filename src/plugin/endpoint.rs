//! Which Docker engine to talk to, resolved the way the docker CLI resolves it.
//!
//! The docker CLI does not tell a plugin which context is active, so we repeat its rules: `--context`, then
//! `--host`, `DOCKER_HOST`, `DOCKER_CONTEXT`, `currentContext` in `config.json`, then the `default` context.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::GlobalFlags;

/// The default engine socket on Linux.
pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// A resolved Docker endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerEndpoint {
    /// The context name (`default` when none is selected).
    pub context: String,
    /// Engine address: `unix://`, `tcp://`, `ssh://` or `npipe://`.
    pub host: String,
    /// Client TLS material, when the endpoint uses TLS.
    pub tls: Option<TlsMaterial>,
    /// The docker config directory in force (`--config`, `DOCKER_CONFIG`, `~/.docker`).
    pub config_dir: PathBuf,
}

/// Client certificate files for a TLS endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsMaterial {
    pub ca: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub verify: bool,
}

/// Why an endpoint could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error("conflicting options: either specify --host or --context, not both")]
    HostAndContext,
    #[error("specify only one -H")]
    ManyHosts,
    #[error("context {name:?} does not exist (looked for {meta})", meta = .meta.display())]
    UnknownContext { name: String, meta: PathBuf },
    #[error("cannot read {path}: {source}", path = .path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not valid JSON: {source}", path = .path.display())]
    Json { path: PathBuf, source: serde_json::Error },
    #[error("context {name:?} has no docker endpoint ({meta})", meta = .meta.display())]
    NoDockerEndpoint { name: String, meta: PathBuf },
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(rename = "currentContext", default)]
    current_context: Option<String>,
}

#[derive(Deserialize)]
struct ContextMeta {
    #[serde(rename = "Endpoints", default)]
    endpoints: std::collections::HashMap<String, EndpointMeta>,
}

#[derive(Deserialize)]
struct EndpointMeta {
    #[serde(rename = "Host", default)]
    host: Option<String>,
    #[serde(rename = "SkipTLSVerify", default)]
    skip_tls_verify: bool,
}

impl DockerEndpoint {
    /// Resolves from the flags and the real process environment.
    pub fn resolve(flags: &GlobalFlags) -> Result<Self, EndpointError> {
        Self::resolve_with(flags, |name| std::env::var(name).ok())
    }

    /// Resolves from the flags and an environment lookup (tests pass their own).
    pub fn resolve_with(flags: &GlobalFlags, env: impl Fn(&str) -> Option<String>) -> Result<Self, EndpointError> {
        let config_dir = flags
            .config
            .clone()
            .or_else(|| env("DOCKER_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(env("HOME").unwrap_or_default()).join(".docker"));
        if flags.context.is_some() && !flags.hosts.is_empty() {
            return Err(EndpointError::HostAndContext);
        }
        let name = match &flags.context {
            Some(name) => name.clone(),
            None if !flags.hosts.is_empty() => "default".to_string(),
            None if env("DOCKER_HOST").is_some_and(|h| !h.is_empty()) => "default".to_string(),
            None => match env("DOCKER_CONTEXT").filter(|c| !c.is_empty()) {
                Some(name) => name,
                None => current_context(&config_dir)?.unwrap_or_else(|| "default".to_string()),
            },
        };
        if name == "default" {
            return default_endpoint(flags, &env, config_dir);
        }
        named_endpoint(&name, config_dir)
    }
}

fn current_context(config_dir: &Path) -> Result<Option<String>, EndpointError> {
    let path = config_dir.join("config.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(EndpointError::Read { path, source }),
    };
    let config: ConfigFile = serde_json::from_str(&text).map_err(|source| EndpointError::Json { path, source })?;
    Ok(config.current_context.filter(|c| !c.is_empty()))
}

fn default_endpoint(
    flags: &GlobalFlags,
    env: &impl Fn(&str) -> Option<String>,
    config_dir: PathBuf,
) -> Result<DockerEndpoint, EndpointError> {
    if flags.hosts.len() > 1 {
        return Err(EndpointError::ManyHosts);
    }
    let host = flags
        .hosts
        .first()
        .cloned()
        .or_else(|| env("DOCKER_HOST").filter(|h| !h.is_empty()))
        .unwrap_or_else(|| DEFAULT_HOST.to_string());
    let env_verify = env("DOCKER_TLS_VERIFY").is_some_and(|v| !v.is_empty());
    let verify = flags.tls_verify || env_verify;
    let tls = if flags.tls || verify {
        let cert_dir =
            env("DOCKER_CERT_PATH").filter(|p| !p.is_empty()).map(PathBuf::from).unwrap_or_else(|| config_dir.clone());
        let pick = |flag: &Option<PathBuf>, file: &str| {
            flag.clone().or_else(|| Some(cert_dir.join(file)).filter(|p| p.exists()))
        };
        Some(TlsMaterial {
            ca: pick(&flags.tls_ca_cert, "ca.pem"),
            cert: pick(&flags.tls_cert, "cert.pem"),
            key: pick(&flags.tls_key, "key.pem"),
            verify,
        })
    } else {
        None
    };
    Ok(DockerEndpoint { context: "default".to_string(), host, tls, config_dir })
}

fn named_endpoint(name: &str, config_dir: PathBuf) -> Result<DockerEndpoint, EndpointError> {
    let digest = hex::encode(Sha256::digest(name.as_bytes()));
    let meta = config_dir.join("contexts").join("meta").join(&digest).join("meta.json");
    let text = match std::fs::read_to_string(&meta) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(EndpointError::UnknownContext { name: name.to_string(), meta });
        }
        Err(source) => return Err(EndpointError::Read { path: meta, source }),
    };
    let parsed: ContextMeta =
        serde_json::from_str(&text).map_err(|source| EndpointError::Json { path: meta.clone(), source })?;
    let Some(docker) = parsed.endpoints.get("docker") else {
        return Err(EndpointError::NoDockerEndpoint { name: name.to_string(), meta });
    };
    let host = docker.host.clone().unwrap_or_else(|| DEFAULT_HOST.to_string());
    let tls_dir = config_dir.join("contexts").join("tls").join(&digest).join("docker");
    let file = |f: &str| Some(tls_dir.join(f)).filter(|p| p.exists());
    let tls = tls_dir.exists().then(|| TlsMaterial {
        ca: file("ca.pem"),
        cert: file("cert.pem"),
        key: file("key.pem"),
        verify: !docker.skip_tls_verify,
    });
    Ok(DockerEndpoint { context: name.to_string(), host, tls, config_dir })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    fn write_context(config: &Path, name: &str, host: &str) {
        let digest = hex::encode(Sha256::digest(name.as_bytes()));
        let dir = config.join("contexts/meta").join(digest);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let meta = serde_json::json!({"Name": name, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": false}}});
        std::fs::write(dir.join("meta.json"), meta.to_string()).expect("write meta");
    }

    #[test]
    fn default_socket_when_nothing_is_set() {
        let dir = tempfile::tempdir().expect("tempdir");
        let home = dir.path().to_str().expect("utf8");
        let ep = DockerEndpoint::resolve_with(&GlobalFlags::default(), env(&[("HOME", home)])).expect("resolves");
        assert_eq!(ep.context, "default");
        assert_eq!(ep.host, DEFAULT_HOST);
        assert_eq!(ep.config_dir, dir.path().join(".docker"));
    }

    #[test]
    fn precedence_flag_context_over_env_over_config() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path();
        write_context(config, "flag", "tcp://flag:2375");
        write_context(config, "envctx", "tcp://env:2375");
        write_context(config, "current", "ssh://me@current");
        std::fs::write(config.join("config.json"), r#"{"currentContext":"current"}"#).expect("config");
        let cfg = config.to_str().expect("utf8");

        let flags = GlobalFlags { context: Some("flag".into()), ..Default::default() };
        let ep = DockerEndpoint::resolve_with(&flags, env(&[("DOCKER_CONFIG", cfg), ("DOCKER_CONTEXT", "envctx")]))
            .expect("flag");
        assert_eq!(ep.host, "tcp://flag:2375");

        let ep = DockerEndpoint::resolve_with(
            &GlobalFlags::default(),
            env(&[("DOCKER_CONFIG", cfg), ("DOCKER_CONTEXT", "envctx")]),
        )
        .expect("env");
        assert_eq!(ep.host, "tcp://env:2375");

        let ep = DockerEndpoint::resolve_with(&GlobalFlags::default(), env(&[("DOCKER_CONFIG", cfg)])).expect("config");
        assert_eq!((ep.context.as_str(), ep.host.as_str()), ("current", "ssh://me@current"));

        // DOCKER_HOST selects the default context even when a current context is configured.
        let ep = DockerEndpoint::resolve_with(
            &GlobalFlags::default(),
            env(&[("DOCKER_CONFIG", cfg), ("DOCKER_HOST", "tcp://x:1")]),
        )
        .expect("host");
        assert_eq!((ep.context.as_str(), ep.host.as_str()), ("default", "tcp://x:1"));
    }

    #[test]
    fn unknown_context_and_conflicts_are_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cfg = dir.path().to_str().expect("utf8");
        let flags = GlobalFlags { context: Some("nope".into()), ..Default::default() };
        let err = DockerEndpoint::resolve_with(&flags, env(&[("DOCKER_CONFIG", cfg)])).unwrap_err();
        assert!(err.to_string().contains("\"nope\" does not exist"), "{err}");
        let flags = GlobalFlags { context: Some("a".into()), hosts: vec!["tcp://h".into()], ..Default::default() };
        assert!(matches!(DockerEndpoint::resolve_with(&flags, env(&[])), Err(EndpointError::HostAndContext)));
    }
}
