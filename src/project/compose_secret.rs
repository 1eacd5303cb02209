//! One entry of a compose file's top-level `secrets:` section: where a secret's content comes from.

use std::path::{Path, PathBuf};

/// Where the content of a compose secret comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// `file:`, absolute (relative paths resolve against the declaring file's project directory). Compose
    /// bind-mounts this host path read-only at the target: the container sees the host file's owner and mode.
    File(PathBuf),
    /// `environment: VAR`: the variable's value, copied into the container when it starts.
    Environment {
        variable: String,
        /// The variable's value in the project's interpolation environment (`None`: unset).
        value: Option<String>,
        /// The env file and line that defines the variable (`None`: the process environment, or unset).
        defined_at: Option<(PathBuf, usize)>,
    },
    /// `external: true`: a Swarm secret created outside the file (compose refuses it).
    External,
    /// None of `file`, `environment`, `external` (compose refuses it too).
    Undefined,
}

/// A top-level `secrets.<key>` definition, after include and merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeSecret {
    /// The key under `secrets:`, which services name as `source`.
    pub key: String,
    /// `name:` (Swarm's object name; versioned names such as `db_password_v2` let `stack deploy` rotate).
    pub name: Option<String>,
    /// How `name:` was interpolated, when it referenced variables (`${STACK}_db_pw_${DB_PW_VERSION}`): a stack
    /// rotation bumps a version variable defined in an env file.
    pub name_substitution: Option<super::Substitution>,
    pub source: SecretSource,
    /// The compose file that defined it, and the line of its key.
    pub declared_in: PathBuf,
    pub line: Option<usize>,
}

impl ComposeSecret {
    /// The variables `name:` was interpolated from (`db_pw_${DB_PW_VERSION:-1}`: `DB_PW_VERSION`); empty for a
    /// fixed name or none.
    pub fn name_variables(&self) -> &[String] {
        self.name_substitution.as_ref().map_or(&[], |s| s.variables.as_slice())
    }

    /// The host file holding the secret, for `file:` secrets.
    pub fn file(&self) -> Option<&Path> {
        match &self.source {
            SecretSource::File(path) => Some(path),
            _ => None,
        }
    }

    /// The credential the secret holds: the file's content (see [`read_secret_file`]) or the variable's value;
    /// `None` when it cannot be read or is unset.
    pub fn value(&self) -> Option<String> {
        match &self.source {
            SecretSource::File(path) => read_secret_file(path).ok(),
            SecretSource::Environment { value, .. } => value.clone(),
            SecretSource::External | SecretSource::Undefined => None,
        }
    }
}

/// The credential a secret file holds: its content without trailing line breaks, as the official images'
/// `file_env` (`$(< "$FILE")`) reads `*_FILE` variables. Reads at most the bounded size of env files.
pub fn read_secret_file(path: &Path) -> std::io::Result<String> {
    super::SecretFile::read(path).map(|file| file.value().to_string())
}
