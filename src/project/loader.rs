//! `Project::load`: the order in which `docker compose` (v2, compose-go) assembles a project from its options.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::discovery::{absolute_path, compose_file_env, dotenv_files, find_default_files};
use super::file_loader::{FileContext, FileLoader};
use super::merge::merge_files;
use super::name::{is_valid_project_name, normalize_project_name};
use super::node::Node;
use super::service_builder::build_service;
use super::variables::Variables;
use super::{
    ComposeSecret, ParsedEnvFiles, Project, ProjectError, ProjectOptions, SecretSource, Service, UndefinedVariable,
};

/// Loads the project `options` select.
///
/// The order is compose's: the process environment first; `.env` (or the `--env-file` files) of the directory
/// compose starts from (`--project-directory`, else the first `-f` file's directory, else the working directory),
/// so that `COMPOSE_FILE` and other `COMPOSE_*` variables can come from it; then the compose files (`-f`,
/// `COMPOSE_FILE`, or the default names searched upwards); then `.env` of the project directory, whose variables
/// never replace ones already set.
pub(crate) fn load(options: &ProjectOptions) -> Result<Project, ProjectError> {
    let cwd = options.working_dir.as_path();
    let mut undefined = Vec::new();
    let parsed_env_files = ParsedEnvFiles::default();
    let mut variables = Variables::from_process(&options.environ);
    let project_dir_option = options.project_directory.as_deref().map(|d| absolute_path(cwd, d));
    let cli_files: Vec<PathBuf> = options.files.iter().map(|f| absolute_path(cwd, f)).collect();

    let start_dir = project_dir_option
        .clone()
        .or_else(|| cli_files.first().and_then(|f| f.parent()).map(Path::to_path_buf))
        .unwrap_or_else(|| cwd.to_path_buf());
    let first_env_files = dotenv_files(&options.env_files, &start_dir, cwd, &options.environ);
    variables.merge_env_files(&first_env_files, &parsed_env_files, &mut undefined)?;

    let files = if !cli_files.is_empty() {
        cli_files
    } else if let Some(files) = compose_file_env(&variables, cwd) {
        files
    } else {
        find_default_files(project_dir_option.as_deref().unwrap_or(cwd))
    };
    let Some(first) = files.first() else {
        return Err(ProjectError::NoComposeFile { dir: project_dir_option.unwrap_or_else(|| cwd.to_path_buf()) });
    };
    let directory =
        project_dir_option.unwrap_or_else(|| first.parent().map_or_else(|| cwd.to_path_buf(), Path::to_path_buf));
    let second_env_files = dotenv_files(&options.env_files, &directory, cwd, &options.environ);
    if second_env_files != first_env_files {
        variables.merge_env_files(&second_env_files, &parsed_env_files, &mut undefined)?;
    }

    let mut loader = FileLoader { home: options.environ.get("HOME").map(PathBuf::from), ..FileLoader::default() };
    loader.undefined = undefined;
    loader.parsed_env_files = parsed_env_files;
    let ctx = FileContext { variables: &variables, base_dir: directory.clone(), include_chain: Vec::new() };
    let mut model: Option<Node> = None;
    for file in &files {
        let node = loader.load_file(file, &ctx)?;
        model = Some(match model {
            None => node,
            Some(base) => merge_files(base, node),
        });
    }
    let model = model.ok_or_else(|| ProjectError::NoComposeFile { dir: directory.clone() })?;

    let name = project_name(options, &variables, &model, &directory)?;
    let profiles = active_profiles(options, &variables);
    let mut services = Vec::new();
    for (service_name, node) in model.get("services").and_then(Node::as_map).into_iter().flatten() {
        if is_enabled(node, &profiles) {
            services.push((service_name, node));
        }
    }
    check_dependencies(&services)?;
    // Built on every core (reading and parsing their env files is most of a large project's load); each service's
    // undefined variables are kept in service order, and the first error in that order is the one reported.
    let results: Vec<Result<(Service, Vec<UndefinedVariable>), ProjectError>> = services
        .par_iter()
        .map(|(service_name, node)| {
            let mut undefined = Vec::new();
            build_service(service_name, node, &variables, &loader.parsed_env_files, &mut undefined)
                .map(|service| (service, undefined))
        })
        .collect();
    let mut built = Vec::new();
    for result in results {
        let (service, undefined) = result?;
        loader.undefined.extend(undefined);
        built.push(service);
    }
    built.sort_by(|a, b| a.name.cmp(&b.name));

    let mut interpolation_files = first_env_files;
    for file in second_env_files.into_iter().chain(loader.include_env_files) {
        if !interpolation_files.contains(&file) {
            interpolation_files.push(file);
        }
    }
    // A file read for several `extends` or `include` entries is interpolated each time: report each finding once.
    let mut undefined = Vec::new();
    for record in loader.undefined {
        // compose sets COMPOSE_PROJECT_NAME itself for interpolation (mailcow's `${COMPOSE_PROJECT_NAME}_...`).
        if record.name == "COMPOSE_PROJECT_NAME" {
            continue;
        }
        if !undefined.contains(&record) {
            undefined.push(record);
        }
    }
    Ok(Project {
        name,
        directory,
        compose_files: files,
        interpolation_files,
        services: built,
        secrets: compose_secrets(&model, &variables),
        x_secops: model.get("x-secops").map(Node::to_json),
        undefined_variables: undefined,
        profiles,
        variable_sources: variables.sources(),
        env_documents: loader.parsed_env_files,
    })
}

/// The top-level `secrets`, sorted by key; an `environment:` secret's value is looked up in the project's variables.
fn compose_secrets(model: &Node, variables: &Variables) -> Vec<ComposeSecret> {
    let mut secrets: Vec<ComposeSecret> = model
        .get("secrets")
        .and_then(Node::as_map)
        .into_iter()
        .flatten()
        .map(|(key, node)| {
            let text = |k: &str| node.get(k).and_then(Node::as_str).map(str::to_string);
            let source = if let Some(file) = text("file") {
                SecretSource::File(PathBuf::from(file))
            } else if let Some(variable) = text("environment") {
                let value = variables.get(&variable).map(str::to_string);
                let defined_at = variables.source(&variable).cloned();
                SecretSource::Environment { variable, value, defined_at }
            } else if node.get("external").is_some_and(|e| e.is_true() || e.as_map().is_some()) {
                SecretSource::External
            } else {
                SecretSource::Undefined
            };
            ComposeSecret {
                key: key.clone(),
                name: text("name"),
                name_substitution: node.get("name").and_then(|n| n.substitution.as_deref().cloned()),
                source,
                declared_in: node.file.as_deref().map_or_else(PathBuf::new, Path::to_path_buf),
                line: node.line,
            }
        })
        .collect();
    secrets.sort_by(|a, b| a.key.cmp(&b.key));
    secrets
}

/// `-p`, else `COMPOSE_PROJECT_NAME`, else the files' `name:` (sanitised), else the sanitised directory name.
fn project_name(
    options: &ProjectOptions,
    variables: &Variables,
    model: &Node,
    directory: &Path,
) -> Result<String, ProjectError> {
    if let Some(name) = options.project_name.as_deref().filter(|n| !n.is_empty()) {
        return validated(name, "-p");
    }
    if let Some(name) = variables.get("COMPOSE_PROJECT_NAME").filter(|n| !n.is_empty()) {
        return validated(name, "COMPOSE_PROJECT_NAME");
    }
    let from_file = model.get("name").and_then(Node::as_str).map(normalize_project_name).unwrap_or_default();
    if !from_file.is_empty() {
        return Ok(from_file);
    }
    let base = directory.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = normalize_project_name(&base);
    if name.is_empty() {
        return Err(ProjectError::EmptyProjectName { dir: directory.to_path_buf() });
    }
    Ok(name)
}

fn validated(name: &str, from: &'static str) -> Result<String, ProjectError> {
    if is_valid_project_name(name) {
        Ok(name.to_string())
    } else {
        Err(ProjectError::InvalidProjectName { name: name.to_string(), from })
    }
}

/// `--profile` values, else `COMPOSE_PROFILES` (comma-separated, blanks trimmed).
fn active_profiles(options: &ProjectOptions, variables: &Variables) -> Vec<String> {
    if !options.profiles.is_empty() {
        return options.profiles.clone();
    }
    variables
        .get("COMPOSE_PROFILES")
        .map(|list| list.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

/// A service without `profiles` is always enabled; one with profiles only when one of them is active (`*`
/// activates all).
fn is_enabled(service: &Node, active: &[String]) -> bool {
    let Some(profiles) = service.get("profiles").and_then(Node::as_seq).filter(|p| !p.is_empty()) else {
        return true;
    };
    active.iter().any(|a| a == "*") || profiles.iter().filter_map(Node::as_str).any(|p| active.iter().any(|a| a == p))
}

/// compose refuses a project where an enabled service depends on a disabled or undefined one, unless the
/// dependency says `required: false` (a dependency is never enabled automatically).
fn check_dependencies(services: &[(&String, &Node)]) -> Result<(), ProjectError> {
    for (name, node) in services {
        for (dependency, spec) in node.get("depends_on").and_then(Node::as_map).into_iter().flatten() {
            let required = spec.get("required").is_none_or(Node::is_true);
            if required && !services.iter().any(|(other, _)| *other == dependency) {
                return Err(ProjectError::UndefinedDependency {
                    service: (*name).clone(),
                    dependency: dependency.clone(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "loader_tests.rs"]
mod tests;
