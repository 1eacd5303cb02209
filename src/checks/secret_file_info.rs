//! A compose secret the audit looks at: a `file:` secret's host file, or an `environment:` secret's variable,
//! with the services that mount it.

use std::path::Path;

use crate::project::{ComposeSecret, Project, SecretSource, read_secret_file};
use crate::secret::Secret;

/// One compose secret used by at least one enabled service.
pub struct SecretFileInfo {
    pub secret: ComposeSecret,
    /// Services that mount it.
    pub services: Vec<String>,
    /// For a `file:` secret: nothing is at the path.
    pub missing: bool,
    /// For a `file:` secret: why it could not be read (there but unreadable).
    pub read_error: Option<String>,
    /// Unix permission bits of the file.
    pub mode: Option<u32>,
    /// The content (trailing line breaks dropped), or the variable's value.
    pub value: Option<Secret>,
}

impl SecretFileInfo {
    /// Every compose secret some enabled service of `project` mounts, sorted by key.
    pub fn all(project: &Project) -> Vec<SecretFileInfo> {
        project.secrets.iter().filter_map(|secret| Self::load(project, secret)).collect()
    }

    fn load(project: &Project, secret: &ComposeSecret) -> Option<SecretFileInfo> {
        let services: Vec<String> = project
            .services
            .iter()
            .filter(|s| s.secrets.iter().any(|m| m.source == secret.key))
            .map(|s| s.name.clone())
            .collect();
        if services.is_empty() {
            return None;
        }
        let mut info = SecretFileInfo {
            secret: secret.clone(),
            services,
            missing: false,
            read_error: None,
            mode: None,
            value: None,
        };
        match &secret.source {
            SecretSource::File(path) => {
                info.missing = crate::project::is_missing(path);
                info.mode = super::env_file_info::file_mode(path);
                if !info.missing {
                    match read_secret_file(path) {
                        Ok(value) => info.value = Some(Secret::new(value)),
                        Err(e) => info.read_error = Some(e.to_string()),
                    }
                }
            }
            SecretSource::Environment { value, .. } => info.value = value.clone().map(Secret::new),
            SecretSource::External | SecretSource::Undefined => {}
        }
        Some(info)
    }

    /// The host file, for `file:` secrets.
    pub fn file(&self) -> Option<&Path> {
        self.secret.file()
    }

    /// A `file:` secret's host file and non-empty content: a secret value to judge like an env file's (an
    /// `environment:` secret's value is its variable's, judged where that is set).
    pub fn content(&self) -> Option<(&Path, &str)> {
        let file = self.file()?;
        self.value.as_ref().map(|v| v.expose()).filter(|v| !v.is_empty()).map(|v| (file, v))
    }

    /// The user name that goes with this secret in some service that mounts it: `POSTGRES_PASSWORD_FILE` pointing
    /// at it and `POSTGRES_USER` (or `POSTGRES_USER_FILE`, another secret's content) set beside it.
    pub fn user<'a>(&self, cx: &'a super::Context) -> Option<&'a str> {
        let services = cx.project.services.iter().filter(|s| self.services.contains(&s.name));
        for service in services {
            for var in &service.environment {
                let bound = service.file_var_secret(var).is_some_and(|m| m.source == self.secret.key);
                let Some(credential) = var.key.strip_suffix("_FILE").filter(|_| bound) else { continue };
                for user_key in super::secret_use::user_key(credential) {
                    if let Some(user) = service.env(&user_key).and_then(|u| u.value.as_deref()) {
                        return Some(user).filter(|u| !u.is_empty());
                    }
                    let user_file = service.env(&format!("{user_key}_FILE")).and_then(|u| service.file_var_secret(u));
                    if let Some(mount) = user_file {
                        let other = cx.secret_files.iter().find(|s| s.secret.key == mount.source);
                        return other.and_then(|s| s.content()).map(|(_, v)| v);
                    }
                }
            }
        }
        None
    }
}
