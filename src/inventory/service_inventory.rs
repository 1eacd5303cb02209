//! One service in the inventory.

use std::path::PathBuf;

use serde::Serialize;

use super::{KeyEntry, SecretEntry, SecretRule};
use crate::project::{Project, Service};

/// An env file a service binds.
#[derive(Debug, Clone, Serialize)]
pub struct EnvFileEntry {
    pub path: PathBuf,
    pub required: bool,
    /// Something is at the path.
    pub exists: bool,
    /// It is a file this process can read.
    pub readable: bool,
}

/// A service: its image, its env files, every key it receives, and its compose secrets.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceInventory {
    pub name: String,
    pub image: Option<String>,
    pub env_files: Vec<EnvFileEntry>,
    pub environment: Vec<KeyEntry>,
    pub secrets: Vec<SecretEntry>,
}

impl ServiceInventory {
    /// The inventory of `service` (of `project`) under `rule`.
    pub fn of(service: &Service, rule: &SecretRule, project: &Project) -> Self {
        ServiceInventory {
            name: service.name.clone(),
            image: service.image.clone(),
            env_files: service
                .env_files
                .iter()
                .map(|b| EnvFileEntry {
                    path: b.path.clone(),
                    required: b.required,
                    exists: !b.missing,
                    readable: b.exists && std::fs::File::open(&b.path).is_ok(),
                })
                .collect(),
            environment: service
                .environment
                .iter()
                .zip(rule.secret_flags(service))
                .map(|(v, secret)| KeyEntry::of(v, secret))
                .collect(),
            secrets: service.secrets.iter().map(|m| SecretEntry::of(service, m, project.secret(&m.source))).collect(),
        }
    }
}
