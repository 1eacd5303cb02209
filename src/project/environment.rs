//! The environment a service's container receives: its `env_file` values, overridden by `environment`, each key
//! with the origin of its value.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use super::env_values::resolve_env_file;
use super::node::Node;
use super::normalize::resolve_bare;
use super::variables::Variables;
use super::{EnvFileBinding, EnvVar, Origin, ParsedEnvFiles, ProjectError, UndefinedVariable};

/// Computes a service's environment, sorted by key.
///
/// As compose-go's `WithServicesEnvironmentResolved`: env files are read in order, later files overriding earlier
/// ones; each file's values are interpolated looking first at the keys the earlier env files of this service
/// produced, then at the project's interpolation variables (process environment and `.env`/`--env-file`), then at
/// the keys earlier in the same file. Missing files are skipped (a missing required file is for `check` to report).
/// `environment` entries override them all; a bare key still unset here is looked up in the project's variables and
/// stays unset (`None`) when they do not have it.
pub(crate) fn resolve_environment(
    service_name: &str,
    service: &Node,
    env_files: &[EnvFileBinding],
    variables: &Variables,
    parsed: &ParsedEnvFiles,
    undefined: &mut Vec<UndefinedVariable>,
) -> Result<Vec<EnvVar>, ProjectError> {
    let mut env: IndexMap<String, EnvVar, foldhash::fast::RandomState> = IndexMap::default();
    for binding in env_files.iter().filter(|b| b.exists) {
        let lookup = |name: &str| env.get(name).and_then(|v| v.value.clone()).or_else(|| variables.lookup(name));
        let mut file_undefined = Vec::new();
        let values = resolve_env_file(parsed, &binding.path, &lookup, &mut file_undefined)?;
        for mut record in file_undefined {
            record.service = Some(service_name.to_string());
            undefined.push(record);
        }
        for value in values {
            let origin = Origin::EnvFile { file: binding.path.clone(), line: value.line };
            env.insert(value.key.clone(), EnvVar { key: value.key, value: Some(value.value), origin });
        }
    }
    let fallback_file = service.file.as_deref().map_or_else(PathBuf::new, Path::to_path_buf);
    if let Some(entries) = service.get("environment").and_then(Node::as_map) {
        for (key, node) in entries {
            let mut node = node.clone();
            resolve_bare(key, &mut node, variables);
            env.insert(key.clone(), inline_var(key, &node, &fallback_file));
        }
    }
    let mut vars: Vec<EnvVar> = env.into_values().collect();
    vars.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(vars)
}

/// True for `${VAR:-}` or `${VAR-}`: one variable whose default is explicitly empty.
fn is_optional_template(template: &str) -> bool {
    let Some(inner) = template.trim().strip_prefix("${").and_then(|t| t.strip_suffix('}')) else { return false };
    let name = inner.strip_suffix(":-").or_else(|| inner.strip_suffix('-'));
    name.is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// An `environment:` entry: its value and whether it came from a literal or from interpolation.
fn inline_var(key: &str, node: &Node, fallback_file: &Path) -> EnvVar {
    let file = node.file.as_deref().map_or_else(|| fallback_file.to_path_buf(), Path::to_path_buf);
    let line = node.line;
    let value = node.as_str().map(str::to_string);
    let origin = match &node.substitution {
        Some(substitution) => Origin::Interpolated {
            file,
            line,
            variables: substitution.variables.clone(),
            source: substitution.source.clone(),
            optional: is_optional_template(&substitution.template),
        },
        None => Origin::Inline { file, line },
    };
    EnvVar { key: key.to_string(), value, origin }
}
