//! `extends`: a service inherits another service's definition, from the same file or from `extends.file`.

use std::path::{Path, PathBuf};

use super::node::NodeMap;

use super::ProjectError;
use super::file_loader::{FileContext, FileLoader};
use super::merge::merge_service;
use super::node::{Node, Value};
use super::normalize::absolute;

/// Resolves `extends` for every service of the loaded file `node` (read from `file`).
pub(crate) fn apply_extends(
    loader: &mut FileLoader,
    node: &mut Node,
    file: &Path,
    ctx: &FileContext<'_>,
) -> Result<(), ProjectError> {
    let Value::Map(top) = &mut node.value else { return Ok(()) };
    let Some(Value::Map(services)) = top.get_mut("services").map(|s| &mut s.value) else { return Ok(()) };
    let original = services.clone();
    for (name, service) in services.iter_mut() {
        if service.get("extends").is_some() {
            let mut stack = Vec::new();
            *service = resolve(loader, name, &original, file, &ctx.base_dir, ctx, &mut stack)?;
        }
    }
    Ok(())
}

/// The definition of service `name` of `services` (read from `file`, relative paths from `base_dir`) with its
/// `extends` chain merged in, base first.
fn resolve(
    loader: &mut FileLoader,
    name: &str,
    services: &NodeMap,
    file: &Path,
    base_dir: &Path,
    ctx: &FileContext<'_>,
    stack: &mut Vec<(PathBuf, String)>,
) -> Result<Node, ProjectError> {
    let Some(service) = services.get(name) else {
        return Err(ProjectError::ExtendsNotFound {
            file: stack.last().map_or_else(|| file.to_path_buf(), |(f, _)| f.clone()),
            service: stack.last().map_or_else(String::new, |(_, s)| s.clone()),
            target: name.to_string(),
            target_file: file.to_path_buf(),
        });
    };
    let Some(extends) = service.get("extends") else { return Ok(service.clone()) };
    let (target, target_file) = match &extends.value {
        Value::Map(map) => (
            map.get("service").and_then(Node::as_str).ok_or_else(|| ProjectError::InvalidValue {
                file: file.to_path_buf(),
                line: extends.line,
                key: format!("services.{name}.extends.service"),
                expected: "is required",
            })?,
            map.get("file").and_then(Node::as_str),
        ),
        _ => (extends.as_str().unwrap_or_default(), None),
    };
    let here = (file.to_path_buf(), name.to_string());
    if stack.contains(&here) {
        let mut chain: Vec<String> = stack.iter().map(|(f, s)| format!("{s} in {}", f.display())).collect();
        chain.push(format!("{name} in {}", file.display()));
        return Err(ProjectError::ExtendsCycle { chain });
    }
    stack.push(here);
    let base = match target_file {
        Some(other) => {
            let other = absolute(base_dir, other);
            let other_dir = other.parent().map_or_else(|| base_dir.to_path_buf(), Path::to_path_buf);
            let node = loader.load_plain(&other, ctx.variables, &other_dir)?;
            let others = node.get("services").and_then(Node::as_map).cloned().unwrap_or_default();
            resolve(loader, target, &others, &other, &other_dir, ctx, stack)?
        }
        None => resolve(loader, target, services, file, base_dir, ctx, stack)?,
    };
    stack.pop();
    let mut own = service.clone();
    if let Value::Map(map) = &mut own.value {
        map.shift_remove("extends");
    }
    let mut merged = merge_service(base, own);
    merged.file = service.file.clone();
    merged.line = service.line;
    if let Value::Map(map) = &mut merged.value {
        map.shift_remove("extends");
    }
    Ok(merged)
}
