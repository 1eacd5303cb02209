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
}
