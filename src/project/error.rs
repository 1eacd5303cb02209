//! Why a compose project could not be loaded: one variant per failure, each naming the file involved.

use std::io;
use std::path::PathBuf;

use super::InterpolationError;

/// A compose project that `docker compose` itself would refuse, or a file we could not read.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error(
        "no compose file found in {dir} or its parent directories (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml)"
    )]
    NoComposeFile { dir: PathBuf },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("{file}:{line}:{column}: invalid YAML: {message}")]
    Yaml { file: PathBuf, line: usize, column: usize, message: String },
    #[error("{file}: the top level of a compose file must be a mapping")]
    NotAMapping { file: PathBuf },
    #[error("{file}{}: `{key}` {expected}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    InvalidValue { file: PathBuf, line: Option<usize>, key: String, expected: &'static str },
    #[error("{file}{}: cannot interpolate `{key}`: {source}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Interpolation { file: PathBuf, line: Option<usize>, key: String, source: InterpolationError },
    #[error("{file}:{line}: cannot interpolate `{key}`: {source}")]
    EnvFileInterpolation { file: PathBuf, line: usize, key: String, source: InterpolationError },
    #[error("{file}:{line}: {message}")]
    EnvFileSyntax { file: PathBuf, line: usize, message: String },
    #[error("env file {path} not found")]
    EnvFileNotFound { path: PathBuf },
    #[error(
        "invalid project name {name:?} (from {from}): it must consist only of lowercase letters, digits, hyphens and underscores, and start with a letter or digit"
    )]
    InvalidProjectName { name: String, from: &'static str },
    #[error("the project name is empty once sanitised (directory {dir}): give one with -p or `name:`")]
    EmptyProjectName { dir: PathBuf },
    #[error("{file}: service {service:?} extends {target:?}, which is not defined in {target_file}")]
    ExtendsNotFound { file: PathBuf, service: String, target: String, target_file: PathBuf },
    #[error("circular extends: {}", chain.join(" -> "))]
    ExtendsCycle { chain: Vec<String> },
    #[error("include cycle: {}", chain.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" includes "))]
    IncludeCycle { chain: Vec<PathBuf> },
    #[error("{file}: {kind}.{name} conflicts with the one imported by `include`")]
    IncludeConflict { file: PathBuf, kind: String, name: String },
    #[error("service {service:?} depends on {dependency:?}, which is undefined or not enabled by the active profiles")]
    UndefinedDependency { service: String, dependency: String },
}
