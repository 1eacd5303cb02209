//! Why `init` did not create anything.

use std::path::PathBuf;

/// An `init` that cannot go on; every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(
        "{} already exists: init never overwrites an env file (rotate a value instead: `docker secops rotate KEY`)",
        .0.display()
    )]
    Exists(PathBuf),
    #[error(
        "nothing to initialise: every env file with an .example template already exists ({}); init never overwrites",
        list(.0)
    )]
    AllExist(Vec<PathBuf>),
    #[error("nothing to initialise: no env file of the project has an .example template beside it ({})", list(.0))]
    NoTemplate(Vec<PathBuf>),
    #[error("no .example template for environment {env:?} beside the project's env files (looked in {})", list(.dirs))]
    NoTemplateForEnv { env: String, dirs: Vec<PathBuf> },
    #[error(transparent)]
    EnvFile(#[from] crate::envfile::EnvError),
    #[error("{}: cannot generate {key}: {source}", .file.display())]
    Generate { file: PathBuf, key: String, source: crate::secret::GenerateError },
    #[error("cannot record the generated {key} in the audit log beside {}: {source}", .file.display())]
    Audit { file: PathBuf, key: String, source: std::io::Error },
    #[error("cannot add {} to {}: {source}", .file.display(), .gitignore.display())]
    Gitignore { file: PathBuf, gitignore: PathBuf, source: std::io::Error },
}

fn list(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "none".to_string();
    }
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
