//! `include`: services (and their secrets) of other compose projects imported into this one, each read with its own project
//! directory and interpolation variables.

use std::path::{Path, PathBuf};

use super::ProjectError;
use super::file_loader::{FileContext, FileLoader};
use super::merge::merge_files;
use super::node::{Node, Value};
use super::normalize::absolute;

/// Imports the services of every `include` entry of `node` (read from `file`) and removes the `include` key.
pub(crate) fn apply_include(
    loader: &mut FileLoader,
    node: &mut Node,
    file: &Path,
    ctx: &FileContext<'_>,
) -> Result<(), ProjectError> {
    let Value::Map(top) = &mut node.value else { return Ok(()) };
    let Some(include) = top.shift_remove("include") else { return Ok(()) };
    let entries = match &include.value {
        Value::Seq(items) => items.clone(),
        Value::Null => Vec::new(),
        _ => vec![include.clone()],
    };
    for entry in entries {
        let imported = load_entry(loader, &entry, file, ctx)?;
        // Services and the secrets they use come along; a name defined differently on both sides is refused.
        for kind in ["services", "secrets"] {
            let Some(imported) = imported.get(kind).and_then(Node::as_map) else { continue };
            let section =
                top.entry(kind.to_string()).or_insert_with(|| Node::like(&include, Value::Map(Default::default())));
            if section.is_null() {
                section.value = Value::Map(Default::default());
            }
            let Value::Map(section) = &mut section.value else { continue };
            for (name, definition) in imported {
                match section.get(name) {
                    Some(existing) if !existing.same_content(definition) => {
                        return Err(ProjectError::IncludeConflict {
                            file: file.to_path_buf(),
                            kind: kind.to_string(),
                            name: name.clone(),
                        });
                    }
                    Some(_) => {}
                    None => {
                        section.insert(name.clone(), definition.clone());
                    }
                }
            }
        }
    }
    Ok(())
}

/// Loads the project one `include` entry names: its files merged in order.
fn load_entry(loader: &mut FileLoader, entry: &Node, file: &Path, ctx: &FileContext<'_>) -> Result<Node, ProjectError> {
    let invalid = |expected| ProjectError::InvalidValue {
        file: file.to_path_buf(),
        line: entry.line,
        key: "include".to_string(),
        expected,
    };
    let (paths, project_directory, env_files) = match &entry.value {
        Value::Str(path) => (vec![path.clone()], None, None),
        Value::Map(map) => (
            strings(map.get("path")).ok_or_else(|| invalid("needs a `path`"))?,
            map.get("project_directory").and_then(Node::as_str).map(str::to_string),
            strings(map.get("env_file")),
        ),
        _ => return Err(invalid("must be a path or a mapping with `path`")),
    };
    let paths: Vec<PathBuf> = paths.iter().map(|p| absolute(&ctx.base_dir, p)).collect();
    let first = paths.first().ok_or_else(|| invalid("needs a `path`"))?;
    let project_dir = match project_directory {
        Some(dir) => absolute(&ctx.base_dir, &dir),
        None => first.parent().map_or_else(|| ctx.base_dir.clone(), Path::to_path_buf),
    };
    let env_files: Vec<PathBuf> = match env_files {
        Some(files) => files.iter().map(|f| absolute(&ctx.base_dir, f)).collect(),
        None => Some(project_dir.join(".env")).filter(|f| f.is_file()).into_iter().collect(),
    };
    let variables = ctx.variables.with_env_files(&env_files, &loader.parsed_env_files, &mut loader.undefined)?;
    for env_file in env_files {
        if !loader.include_env_files.contains(&env_file) {
            loader.include_env_files.push(env_file);
        }
    }
    let mut chain = ctx.include_chain.clone();
    chain.push(file.to_path_buf());
    let sub = FileContext { variables: &variables, base_dir: project_dir, include_chain: chain };
    let mut merged: Option<Node> = None;
    for path in &paths {
        let node = loader.load_file(path, &sub)?;
        merged = Some(match merged {
            None => node,
            Some(base) => merge_files(base, node),
        });
    }
    merged.ok_or_else(|| invalid("needs a `path`"))
}

/// A string or a list of strings.
fn strings(node: Option<&Node>) -> Option<Vec<String>> {
    let node = node?;
    match &node.value {
        Value::Seq(items) => Some(items.iter().filter_map(Node::as_str).map(str::to_string).collect()),
        _ => node.as_str().map(|s| vec![s.to_string()]),
    }
}
