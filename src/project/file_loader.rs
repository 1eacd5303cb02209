//! Loading one compose file as compose-go does: parse, interpolate, normalise, resolve `extends`, import `include`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::UndefinedVariable;
use super::interpolate_tree::interpolate_tree;
use super::node::Node;
use super::normalize::{Scope, normalize_services};
use super::variables::Variables;
use super::yaml_file::parse_compose_yaml;
use super::{ParsedEnvFiles, ProjectError};

/// State shared by every file of one project load.
#[derive(Debug, Default)]
pub(crate) struct FileLoader {
    /// `$HOME`, for `~` in bind mounts.
    pub home: Option<PathBuf>,
    /// Unset variables read without a fallback, in every file read so far.
    pub undefined: Vec<UndefinedVariable>,
    /// Interpolation env files read for `include` entries.
    pub include_env_files: Vec<PathBuf>,
    /// Every env file read so far, parsed once.
    pub parsed_env_files: ParsedEnvFiles,
}

/// Where a compose file is read from: its variables, the directory its relative paths start from, and the chain of
/// files including it (to refuse include cycles).
#[derive(Debug, Clone)]
pub(crate) struct FileContext<'a> {
    pub variables: &'a Variables,
    pub base_dir: PathBuf,
    pub include_chain: Vec<PathBuf>,
}

impl FileLoader {
    /// Loads `path` fully: interpolated, normalised, `extends` resolved and `include`d services imported.
    pub fn load_file(&mut self, path: &Path, ctx: &FileContext<'_>) -> Result<Node, ProjectError> {
        if ctx.include_chain.iter().any(|p| p == path) {
            let mut chain = ctx.include_chain.clone();
            chain.push(path.to_path_buf());
            return Err(ProjectError::IncludeCycle { chain });
        }
        let mut node = self.load_plain(path, ctx.variables, &ctx.base_dir)?;
        super::extends::apply_extends(self, &mut node, path, ctx)?;
        super::include::apply_include(self, &mut node, path, ctx)?;
        Ok(node)
    }

    /// Parses, interpolates and normalises `path` (no `extends`, no `include`): how a file named by `extends.file`
    /// is read.
    pub fn load_plain(&mut self, path: &Path, variables: &Variables, base_dir: &Path) -> Result<Node, ProjectError> {
        let text = crate::envfile::read_bounded_to_string(path)
            .map_err(|source| ProjectError::Read { path: path.to_path_buf(), source })?;
        let mut node = parse_compose_yaml(&text, path)?;
        node.set_file(&Arc::from(path));
        interpolate_tree(&mut node, variables, path, &mut self.undefined)?;
        let scope = Scope { base_dir, variables, home: self.home.as_deref() };
        normalize_services(&mut node, &scope);
        Ok(node)
    }
}
