//! One env file `init` creates.

use std::path::PathBuf;

use super::FilledTemplate;

/// A missing env file, the template it comes from, its filled content, and how git sees it.
pub struct InitFile {
    /// Where the env file goes (absolute, as the project binds it).
    pub path: PathBuf,
    pub template: PathBuf,
    /// The services binding it (for the audit entries).
    pub services: Vec<String>,
    pub filled: FilledTemplate,
    /// The `.gitignore` that gets a line for `path`, when no ignore rule covers it yet (the `env-file-not-ignored`
    /// test), with the line.
    pub gitignore: Option<(PathBuf, String)>,
}
