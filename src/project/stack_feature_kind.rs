//! The compose features `docker stack deploy` does not read as `docker compose` does, one variant each.

/// One use of a compose feature that `docker stack deploy` (docker/cli's v3 loader and schema) rejects or reads
/// differently from compose v2. Only what bears on credentials is listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StackFeatureKind {
    /// `secrets.<key>.environment`: not in the v3 schema ("Additional property environment is not allowed").
    SecretEnvironment { secret: String },
    /// An `env_file` entry in the long form (`- path: ...`): the v3 schema takes strings only ("must be a string").
    EnvFileLongForm { service: String, index: usize },
    /// Top-level `include`: not in the v3 schema; the included services, secrets and env files never deploy.
    Include,
    /// `extends` in a service: one of docker/cli's forbidden properties ("not implemented yet").
    Extends { service: String },
    /// `${VAR:+alt}` or `${VAR+alt}`: docker/cli's template knows `-`, `:-`, `?`, `:?` only ("invalid
    /// interpolation format").
    Alternative { variable: String },
    /// A `${VAR}`/`$VAR` reference: `docker stack deploy` interpolates from its own process environment only, never
    /// from `.env` or `--env-file`. Whether it matters depends on where the variable is defined.
    Variable {
        variable: String,
        place: VariablePlace,
        /// `${VAR:?error}` or `${VAR?error}`: unset, it fails the deploy instead of giving an empty value.
        required: bool,
    },
}

/// Where a variable reference stands, which says whether it carries a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariablePlace {
    /// A top-level secret's `name:` (its Swarm object name, the version of a versioned one).
    SecretName { secret: String },
    /// A top-level secret's `file:`.
    SecretFile { secret: String },
    /// A service's `environment` value for `key`.
    Environment { service: String, key: String },
    /// Anywhere else in `services`, `networks`, `volumes`, `secrets` or `configs`.
    Other,
}
