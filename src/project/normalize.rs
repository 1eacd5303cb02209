//! Puts one service definition into a single shape before merging, as compose-go's canonical transform does:
//! `environment` becomes a mapping (bare keys looked up), `env_file` a list of `{path, required}` with absolute paths,
//! `depends_on` a mapping, `volumes` long syntax with absolute bind sources, `secrets` long syntax; and the
//! top-level `secrets` with absolute `file:` paths.

use std::path::{Path, PathBuf};

use super::node::NodeMap;

use super::node::{Node, Value};
use super::substitution::Substitution;
use super::variables::Variables;
use super::volume_spec::parse_short_volume;

/// What relative paths and bare environment keys resolve against in one compose file.
pub(crate) struct Scope<'a> {
    /// Relative paths are relative to this directory: the project directory for `-f` files, the include's project
    /// directory for included files, the extended file's directory for a service `extends` takes from another file.
    pub base_dir: &'a Path,
    pub variables: &'a Variables,
    /// `$HOME`, for `~` in bind sources.
    pub home: Option<&'a Path>,
}

/// Normalises every service of a compose file node, and its top-level `secrets`, in place.
pub(crate) fn normalize_services(file: &mut Node, scope: &Scope<'_>) {
    let Value::Map(top) = &mut file.value else { return };
    if let Some(Value::Map(secrets)) = top.get_mut("secrets").map(|s| &mut s.value) {
        for secret in secrets.values_mut() {
            if let Some(path) = secret.get("file").and_then(Node::as_str).map(|p| resolve_host_path(p, scope))
                && let Value::Map(map) = &mut secret.value
                && let Some(file) = map.get_mut("file")
            {
                file.value = Value::Str(path);
            }
        }
    }
    let Some(Value::Map(services)) = top.get_mut("services").map(|s| &mut s.value) else { return };
    for service in services.values_mut() {
        normalize_service(service, scope);
    }
}

/// Normalises one service definition in place.
pub(crate) fn normalize_service(service: &mut Node, scope: &Scope<'_>) {
    let Value::Map(map) = &mut service.value else { return };
    if let Some(env) = map.get_mut("environment") {
        normalize_environment(env, scope.variables);
    }
    if let Some(files) = map.get_mut("env_file") {
        normalize_env_files(files, scope.base_dir);
    }
    if let Some(deps) = map.get_mut("depends_on") {
        normalize_depends_on(deps);
    }
    if let Some(volumes) = map.get_mut("volumes") {
        normalize_volumes(volumes, scope);
    }
    if let Some(secrets) = map.get_mut("secrets") {
        normalize_secret_mounts(secrets);
    }
}

/// A service's `secrets` in long syntax with a target: `- name` becomes `{source: name, target:
/// /run/secrets/name}`, as compose-go does before merging (override files merge secrets by target).
fn normalize_secret_mounts(secrets: &mut Node) {
    let Value::Seq(items) = &mut secrets.value else { return };
    for item in items.iter_mut() {
        if let Some(name) = item.as_str().map(str::to_string) {
            let mut entry = NodeMap::default();
            entry.insert("source".to_string(), Node::like(item, Value::Str(name)));
            *item = Node::like(item, Value::Map(entry));
        }
        let source = item.get("source").and_then(Node::as_str).map(str::to_string);
        if let (Value::Map(map), Some(source)) = (&mut item.value, source)
            && map.get("target").and_then(Node::as_str).is_none_or(str::is_empty)
        {
            let target = format!("{}/{source}", super::SECRETS_DIR);
            let node = Node::like(map.get("source").unwrap_or(&Node::new(Value::Null)), Value::Str(target));
            map.insert("target".to_string(), node);
        }
    }
}

/// `environment` as a mapping. Bare keys of the list form (`- KEY`) take their value from this file's variables
/// now, as compose-go's `ResolveEnvironment` does per loaded project (so an included file's bare keys see the
/// include's env files); bare keys of the mapping form (`KEY:`) stay null and are looked up later in the project's
/// variables only (compose resolves those once, for the whole project).
fn normalize_environment(env: &mut Node, variables: &Variables) {
    let mut entries: NodeMap = NodeMap::default();
    match &env.value {
        Value::Seq(items) => {
            for item in items {
                let Some(text) = item.as_str() else { continue };
                match text.split_once('=') {
                    Some((key, value)) => {
                        let mut node = Node::like(item, Value::Str(value.to_string()));
                        node.substitution = item.substitution.as_ref().map(|s| {
                            let template = s.template.split_once('=').map_or("", |(_, t)| t).to_string();
                            Box::new(Substitution { template, ..(**s).clone() })
                        });
                        entries.insert(key.to_string(), node);
                    }
                    None => {
                        let mut node = Node::like(item, Value::Null);
                        resolve_bare(text, &mut node, variables);
                        entries.insert(text.to_string(), node);
                    }
                }
            }
        }
        Value::Map(map) => entries = map.clone(),
        _ => return,
    }
    env.value = Value::Map(entries);
}

/// Gives a bare `environment` key (a null node) the value of the variable of the same name, when it is set.
pub(crate) fn resolve_bare(key: &str, node: &mut Node, variables: &Variables) {
    if !node.is_null() {
        return;
    }
    if let Some(value) = variables.get(key) {
        node.value = Value::Str(value.to_string());
        node.substitution = Some(Box::new(Substitution {
            template: key.to_string(),
            variables: vec![key.to_string()],
            source: variables.source(key).cloned(),
        }));
    }
}

fn normalize_env_files(files: &mut Node, base_dir: &Path) {
    let items: Vec<Node> = match &files.value {
        Value::Seq(items) => items.clone(),
        Value::Str(_) | Value::Scalar(_) => vec![files.clone()],
        _ => return,
    };
    let mut out = Vec::new();
    for item in items {
        let (path_node, required, format) = match &item.value {
            Value::Map(map) => {
                let Some(path) = map.get("path") else { continue };
                let required = map.get("required").is_none_or(|r| r.as_str().is_none_or(|s| s != "false"));
                (path.clone(), required, map.get("format").cloned())
            }
            _ => (item.clone(), true, None),
        };
        let Some(path) = path_node.as_str() else { continue };
        let mut entry = NodeMap::default();
        let absolute = absolute(base_dir, path).to_string_lossy().into_owned();
        entry.insert("path".to_string(), Node::like(&path_node, Value::Str(absolute)));
        entry.insert("required".to_string(), Node::like(&item, Value::Scalar(required.to_string())));
        if let Some(format) = format {
            entry.insert("format".to_string(), format);
        }
        out.push(Node::like(&item, Value::Map(entry)));
    }
    files.value = Value::Seq(out);
}

fn normalize_depends_on(deps: &mut Node) {
    let Value::Seq(items) = &deps.value else { return };
    let mut map = NodeMap::default();
    for item in items {
        if let Some(name) = item.as_str() {
            map.insert(name.to_string(), Node::like(item, Value::Map(NodeMap::default())));
        }
    }
    deps.value = Value::Map(map);
}

fn normalize_volumes(volumes: &mut Node, scope: &Scope<'_>) {
    let Value::Seq(items) = &mut volumes.value else { return };
    for item in items.iter_mut() {
        if let Some(spec) = item.as_str().and_then(parse_short_volume) {
            *item = spec.into_node(item);
        }
        let Value::Map(map) = &mut item.value else { continue };
        let is_bind = map.get("type").and_then(Node::as_str) == Some("bind");
        if let Some(source) = map.get_mut("source")
            && is_bind
            && let Some(text) = source.as_str()
        {
            let resolved = resolve_host_path(text, scope);
            source.value = Value::Str(resolved);
        }
    }
}

/// A bind source made absolute: `~` is the home directory, relative paths join `base_dir`.
fn resolve_host_path(text: &str, scope: &Scope<'_>) -> String {
    if let (Some(home), Some(rest)) = (scope.home, text.strip_prefix('~')) {
        if rest.is_empty() {
            return home.to_string_lossy().into_owned();
        }
        if let Some(rest) = rest.strip_prefix('/') {
            return home.join(rest).to_string_lossy().into_owned();
        }
    }
    if is_windows_absolute(text) {
        return text.to_string();
    }
    absolute(scope.base_dir, text).to_string_lossy().into_owned()
}

/// `C:\x` or `C:/x`: compose keeps such paths as they are.
pub(crate) fn is_windows_absolute(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'/' || b[2] == b'\\')
}

/// `path` joined to `base` when relative, with `.` and `..` components folded (without touching the disk, as
/// compose does).
pub(crate) fn absolute(base: &Path, path: &str) -> PathBuf {
    clean(&base.join(path))
}

/// Folds `.` and `..` components lexically (Go's `filepath.Clean`).
pub(crate) fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}
