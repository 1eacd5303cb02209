//! One compose secret a service gets, in the inventory: where its content lives, where the container sees it,
//! and which `*_FILE` variables point at it.

use std::path::PathBuf;

use serde::Serialize;

use crate::project::{ComposeSecret, SecretMount, SecretSource, Service, read_secret_file};
use crate::secret::fingerprint;

/// Where a compose secret's content comes from, as the JSON names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretOrigin {
    /// A host file, bind-mounted read-only.
    File,
    /// An interpolation variable, copied in when the container starts.
    Environment,
    /// A Swarm secret made outside the file.
    External,
    /// The service names a secret the file does not define (or defines without a source).
    Undefined,
}

/// A secret granted to a service. Never the value: its fingerprint.
#[derive(Debug, Clone, Serialize)]
pub struct SecretEntry {
    /// The key under the top-level `secrets:`.
    pub name: String,
    pub source: SecretOrigin,
    /// For `file:` secrets: the host file.
    pub file: Option<PathBuf>,
    /// For `file:` secrets: how many lines the file has (a password is one; a key or certificate more).
    pub lines: Option<usize>,
    /// For `environment:` secrets: the variable, and the env file and line that define it.
    pub variable: Option<String>,
    pub defined_at: Option<(PathBuf, usize)>,
    /// The path in the container.
    pub target: String,
    /// The service's `*_FILE` variables that point at the target.
    pub file_keys: Vec<String>,
    /// Something is at the file's path / the variable is set.
    pub exists: bool,
    /// The content could be read (always true for a set variable).
    pub readable: bool,
    /// The content's (keyed) fingerprint (trailing line breaks dropped, as the images' `file_env` reads it).
    pub fingerprint: Option<String>,
}

impl SecretEntry {
    /// The entry for `mount` of `service`, whose definition is `secret` (`None`: undefined).
    pub fn of(service: &Service, mount: &SecretMount, secret: Option<&ComposeSecret>) -> Self {
        let file_keys = service
            .environment
            .iter()
            .filter(|v| service.file_var_secret(v).is_some_and(|m| m.target == mount.target))
            .map(|v| v.key.clone())
            .collect();
        let mut entry = SecretEntry {
            name: mount.source.clone(),
            source: SecretOrigin::Undefined,
            file: None,
            lines: None,
            variable: None,
            defined_at: None,
            target: mount.target.clone(),
            file_keys,
            exists: false,
            readable: false,
            fingerprint: None,
        };
        match secret.map(|s| &s.source) {
            Some(SecretSource::File(path)) => {
                entry.source = SecretOrigin::File;
                entry.file = Some(path.clone());
                entry.exists = !crate::project::is_missing(path);
                if let Ok(value) = read_secret_file(path) {
                    entry.readable = true;
                    entry.lines = Some(value.lines().count().max(1));
                    entry.fingerprint = Some(fingerprint(&value));
                }
            }
            Some(SecretSource::Environment { variable, value, defined_at }) => {
                entry.source = SecretOrigin::Environment;
                entry.variable = Some(variable.clone());
                entry.defined_at = defined_at.clone();
                entry.exists = value.is_some();
                entry.readable = value.is_some();
                entry.fingerprint = value.as_deref().map(fingerprint);
            }
            Some(SecretSource::External) => entry.source = SecretOrigin::External,
            Some(SecretSource::Undefined) | None => {}
        }
        entry
    }
}
