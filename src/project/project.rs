//! A loaded compose project and the options that select it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Service;

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
    /// The interpolation env files actually read (absolute).
    pub interpolation_files: Vec<PathBuf>,
    /// Services enabled by the active profiles, sorted by name.
    pub services: Vec<Service>,
    /// The `x-secops` extension block, when the compose file has one.
    pub x_secops: Option<serde_json::Value>,
}

impl Project {
    /// The service called `name`.
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
}
