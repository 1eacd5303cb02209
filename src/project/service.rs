//! One service of a compose project, reduced to what credentials care about.

use std::path::PathBuf;

use super::{ArgumentVariable, EnvFileBinding, EnvVar, Port, SecretMount, Volume};

/// A service after merging, `extends`, `include` and interpolation.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub image: Option<String>,
    /// The Dockerfile `build:` names (absolute: the context joined with `dockerfile`, default `Dockerfile`).
    pub dockerfile: Option<PathBuf>,
    /// `env_file` entries in order (later files win).
    pub env_files: Vec<EnvFileBinding>,
    /// Every environment key the container gets, sorted by key, with where its value comes from.
    pub environment: Vec<EnvVar>,
    pub volumes: Vec<Volume>,
    pub ports: Vec<Port>,
    /// `secrets` the container gets, in the order written.
    pub secrets: Vec<SecretMount>,
    /// `command`, split into words the way compose splits a string command.
    pub command: Option<Vec<String>>,
    /// Variables compose interpolated into `command`, `entrypoint`, `healthcheck.test` or `build.args`, in the
    /// order written.
    pub argument_variables: Vec<ArgumentVariable>,
    /// Services this one `depends_on`.
    pub depends_on: Vec<String>,
    /// True when the service declares a healthcheck (and it is not disabled).
    pub has_healthcheck: bool,
    /// The compose file (absolute) that declared the service.
    pub declared_in: PathBuf,
}

impl Service {
    /// A bare service for unit tests: a name and its `depends_on`, nothing else.
    #[cfg(test)]
    pub fn for_test(name: &str, depends_on: &[&str]) -> Self {
        Service {
            name: name.to_string(),
            image: None,
            dockerfile: None,
            env_files: vec![],
            environment: vec![],
            volumes: vec![],
            ports: vec![],
            secrets: vec![],
            command: None,
            argument_variables: vec![],
            depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
            has_healthcheck: false,
            declared_in: "compose.yaml".into(),
        }
    }

    /// The secret mounted at the path a `*_FILE` variable names (`POSTGRES_PASSWORD_FILE=/run/secrets/db`): the
    /// credential that variable stands for is that secret's content.
    pub fn file_var_secret(&self, var: &EnvVar) -> Option<&SecretMount> {
        let path = var.value.as_deref().filter(|_| var.key.ends_with("_FILE"))?;
        self.secrets.iter().find(|m| m.target == path)
    }

    /// The environment key `key`, when the container gets it.
    pub fn env(&self, key: &str) -> Option<&EnvVar> {
        self.environment.iter().find(|v| v.key == key)
    }
}
