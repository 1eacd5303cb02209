//! A loaded compose project and the options that select it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{ComposeSecret, ParsedEnvFiles, ProjectError, Service, UndefinedVariable};

/// What selects a project: the same inputs `docker compose` takes.
#[derive(Debug, Clone, Default)]
pub struct ProjectOptions {
    /// `-f` files in order (empty: `COMPOSE_FILE`, then the default names searched upwards from `working_dir`).
    pub files: Vec<PathBuf>,
    /// `-p`.
    pub project_name: Option<String>,
    /// `--project-directory`.
    pub project_directory: Option<PathBuf>,
    /// `--env-file` interpolation sources, in order (empty: `.env` in the project directory).
    pub env_files: Vec<PathBuf>,
    /// `--profile`.
    pub profiles: Vec<String>,
    /// Directory the command runs in (the process cwd in production).
    pub working_dir: PathBuf,
    /// The process environment (injected so tests stay hermetic).
    pub environ: BTreeMap<String, String>,
}

/// A resolved compose project.
#[derive(Debug, Clone)]
pub struct Project {
    /// Project name (`-p`, `COMPOSE_PROJECT_NAME`, `name:`, sanitised directory name).
    pub name: String,
    /// The project directory (absolute).
    pub directory: PathBuf,
    /// The compose files loaded, absolute, in merge order (includes and extends not listed).
    pub compose_files: Vec<PathBuf>,
    /// The interpolation env files actually read (absolute): `--env-file` files or `.env`, then the env files of
    /// `include` entries.
    pub interpolation_files: Vec<PathBuf>,
    /// Services enabled by the active profiles, sorted by name.
    pub services: Vec<Service>,
    /// The top-level `secrets` definitions, sorted by key.
    pub secrets: Vec<ComposeSecret>,
    /// The `x-secops` extension block, when the compose file has one (interpolated, like every compose value).
    pub x_secops: Option<serde_json::Value>,
    /// Variables read without a fallback while unset, in compose files and env files (compose substitutes "").
    pub undefined_variables: Vec<UndefinedVariable>,
    /// The active profiles (`--profile`, else `COMPOSE_PROFILES`).
    pub profiles: Vec<String>,
    /// Interpolation variables defined in an env file (`.env`, `--env-file`, an include's `env_file`), with the
    /// file and line that defines each; variables from the process environment are not listed.
    pub variable_sources: BTreeMap<String, (PathBuf, usize)>,
    /// The env files the load read (bound ones that exist, interpolation sources), parsed once: `check` takes
    /// them rather than parsing each file again.
    pub env_documents: ParsedEnvFiles,
}

impl Project {
    /// Loads the project the way `docker compose` does: see the module documentation for what is resolved.
    pub fn load(options: &ProjectOptions) -> Result<Project, ProjectError> {
        super::loader::load(options)
    }

    /// The top-level secret with key `key`.
    pub fn secret(&self, key: &str) -> Option<&ComposeSecret> {
        self.secrets.iter().find(|s| s.key == key)
    }

    /// The service called `name`.
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
}
