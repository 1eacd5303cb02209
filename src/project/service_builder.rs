//! Reading a merged service definition into a [`Service`].

use std::path::{Path, PathBuf};

use super::environment::resolve_environment;
use super::node::{Node, Value};
use super::port_spec::parse_port;
use super::shell_words::split_command;
use super::variables::Variables;
use super::volume_spec::volume_from_node;
use super::{EnvFileBinding, Port, ProjectError, SecretMount, Service, UndefinedVariable, Volume, VolumeKind};

/// Builds the service `name` from its merged, normalised definition.
pub(crate) fn build_service(
    name: &str,
    node: &Node,
    variables: &Variables,
    undefined: &mut Vec<UndefinedVariable>,
) -> Result<Service, ProjectError> {
    let declared_in = node.file.as_deref().map_or_else(PathBuf::new, Path::to_path_buf);
    let invalid = |key: &str, at: &Node, expected: &'static str| ProjectError::InvalidValue {
        file: at.file.as_deref().map_or_else(|| declared_in.clone(), Path::to_path_buf),
        line: at.line,
        key: format!("services.{name}.{key}"),
        expected,
    };
    let env_files = env_file_bindings(node);
    let environment = resolve_environment(name, node, &env_files, variables, undefined)?;
    let mut ports: Vec<Port> = Vec::new();
    for item in node.get("ports").and_then(Node::as_seq).unwrap_or_default() {
        for port in parse_port(item).map_err(|_| invalid("ports", item, "is not a valid port mapping"))? {
            if !ports.contains(&port) {
                ports.push(port);
            }
        }
    }
    let command = match node.get("command") {
        None => None,
        Some(c) if c.is_null() => None,
        Some(c) => Some(match &c.value {
            Value::Seq(items) => items.iter().map(|i| i.as_str().unwrap_or_default().to_string()).collect(),
            _ => split_command(c.as_str().unwrap_or_default())
                .ok_or_else(|| invalid("command", c, "has an unterminated quote"))?,
        }),
    };
    Ok(Service {
        name: name.to_string(),
        image: node.get("image").and_then(Node::as_str).map(str::to_string),
        env_files,
        environment,
        volumes: volumes(node),
        ports,
        secrets: secret_mounts(node),
        command,
        depends_on: node
            .get("depends_on")
            .and_then(Node::as_map)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default(),
        has_healthcheck: has_healthcheck(node),
        declared_in,
    })
}

fn env_file_bindings(node: &Node) -> Vec<EnvFileBinding> {
    let items = node.get("env_file").and_then(Node::as_seq).unwrap_or_default();
    items
        .iter()
        .filter_map(|item| {
            let path_node = item.get("path")?;
            let path = PathBuf::from(path_node.as_str()?);
            Some(EnvFileBinding {
                exists: path.is_file(),
                missing: super::env_file_binding::is_missing(&path),
                required: item.get("required").is_none_or(Node::is_true),
                declared_in: path_node.file.as_deref().map_or_else(PathBuf::new, Path::to_path_buf),
                format: item.get("format").and_then(Node::as_str).map(str::to_string),
                path,
            })
        })
        .collect()
}

/// `secrets` entries (normalised to the long syntax).
fn secret_mounts(node: &Node) -> Vec<SecretMount> {
    let items = node.get("secrets").and_then(Node::as_seq).unwrap_or_default();
    items
        .iter()
        .filter_map(|item| {
            let source = item.get("source").and_then(Node::as_str)?.to_string();
            let text = |key: &str| item.get(key).and_then(Node::as_str).map(str::to_string);
            let target = SecretMount::container_path(&source, text("target").as_deref());
            // YAML 1.1 octal (`0440`) and plain decimal (`288`) are both seen in the wild; compose takes either.
            let mode = text("mode").and_then(|m| {
                if m.len() > 1 && m.starts_with('0') { u32::from_str_radix(&m[1..], 8).ok() } else { m.parse().ok() }
            });
            Some(SecretMount { source, target, uid: text("uid"), gid: text("gid"), mode, line: item.line })
        })
        .collect()
}

/// `volumes` entries, then the service's `tmpfs` mounts.
fn volumes(node: &Node) -> Vec<Volume> {
    let mut out: Vec<Volume> =
        node.get("volumes").and_then(Node::as_seq).unwrap_or_default().iter().filter_map(volume_from_node).collect();
    let tmpfs = node.get("tmpfs");
    let targets: Vec<&str> = match tmpfs.map(|t| &t.value) {
        Some(Value::Seq(items)) => items.iter().filter_map(Node::as_str).collect(),
        _ => tmpfs.and_then(Node::as_str).into_iter().collect(),
    };
    for target in targets {
        let target = target.split(':').next().unwrap_or(target).to_string();
        out.push(Volume { kind: VolumeKind::Tmpfs, source: None, target, read_only: false });
    }
    out
}

/// A `healthcheck` that is neither `disable: true` nor `test: ["NONE"]`.
fn has_healthcheck(node: &Node) -> bool {
    let Some(health) = node.get("healthcheck").filter(|h| h.as_map().is_some()) else { return false };
    if health.get("disable").is_some_and(Node::is_true) {
        return false;
    }
    let test = health.get("test");
    let first = test.and_then(Node::as_seq).and_then(|t| t.first()).and_then(Node::as_str);
    !(first == Some("NONE") || test.and_then(Node::as_str) == Some("NONE"))
}
