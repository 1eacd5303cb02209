//! Reading a merged service definition into a [`Service`].

use std::path::{Path, PathBuf};

use super::environment::resolve_environment;
use super::node::{Node, Value};
use super::port_spec::parse_port;
use super::shell_words::split_command;
use super::variables::Variables;
use super::volume_spec::volume_from_node;
use super::{
    ArgumentVariable, EnvFileBinding, ParsedEnvFiles, Port, ProjectError, SecretMount, Service, UndefinedVariable,
    Volume, VolumeKind,
};

/// Builds the service `name` from its merged, normalised definition.
pub(crate) fn build_service(
    name: &str,
    node: &Node,
    variables: &Variables,
    parsed: &ParsedEnvFiles,
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
    let environment = resolve_environment(name, node, &env_files, variables, parsed, undefined)?;
    let mut ports: Vec<Port> = Vec::new();
    for item in node.get("ports").and_then(Node::as_seq).unwrap_or_default() {
        for mut port in parse_port(item).map_err(|_| invalid("ports", item, "is not a valid port mapping"))? {
            if !ports.iter().any(|p| p.same_mapping(&port)) {
                port.declared_in = Some(item.file.as_deref().map_or_else(|| declared_in.clone(), Path::to_path_buf));
                port.line = item.line;
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
        dockerfile: dockerfile(node),
        env_files,
        environment,
        volumes: volumes(node),
        ports,
        secrets: secret_mounts(node),
        command,
        argument_variables: argument_variables(node, &declared_in),
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
            let (exists, missing) = super::env_file_binding::presence(&path);
            Some(EnvFileBinding {
                exists,
                missing,
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

/// The Dockerfile of `build:` (a context string, or a map with `context` and `dockerfile`), relative paths taken
/// from the directory of the compose file that wrote `build:`.
fn dockerfile(node: &Node) -> Option<PathBuf> {
    let build = node.get("build")?;
    let (context, file) = match &build.value {
        Value::Map(_) => (
            build.get("context").and_then(Node::as_str).unwrap_or("."),
            build.get("dockerfile").and_then(Node::as_str).unwrap_or("Dockerfile"),
        ),
        _ => (build.as_str()?, "Dockerfile"),
    };
    // A remote context (git URL) has no Dockerfile here.
    if context.contains("://") || context.starts_with("git@") {
        return None;
    }
    let base = build.file.as_deref().and_then(Path::parent).unwrap_or(Path::new("."));
    Some(base.join(context).join(file))
}

/// The variables interpolated into the fields whose value leaves the container's environment.
fn argument_variables(node: &Node, declared_in: &Path) -> Vec<ArgumentVariable> {
    let mut found = Vec::new();
    let fields = [
        ("command".to_string(), node.get("command")),
        ("entrypoint".to_string(), node.get("entrypoint")),
        ("healthcheck.test".to_string(), node.get("healthcheck").and_then(|h| h.get("test"))),
    ];
    let args = node.get("build").and_then(|b| b.get("args"));
    let arg_fields: Vec<(String, Option<&Node>)> = match args.map(|a| &a.value) {
        Some(Value::Map(map)) => map.iter().map(|(k, v)| (format!("build.args.{k}"), Some(v))).collect(),
        Some(Value::Seq(items)) => items
            .iter()
            .map(|i| {
                let key = i.as_str().and_then(|t| t.split_once('=')).map_or("", |(k, _)| k);
                (format!("build.args.{key}"), Some(i))
            })
            .collect(),
        _ => Vec::new(),
    };
    for (field, value) in fields.into_iter().chain(arg_fields) {
        if let Some(value) = value {
            collect_variables(&field, value, declared_in, &mut found);
        }
    }
    found
}

/// Every variable recorded on `node` and the nodes inside it.
fn collect_variables(field: &str, node: &Node, declared_in: &Path, found: &mut Vec<ArgumentVariable>) {
    if let Some(substitution) = &node.substitution {
        for variable in &substitution.variables {
            found.push(ArgumentVariable {
                field: field.to_string(),
                variable: variable.clone(),
                file: node.file.as_deref().map_or_else(|| declared_in.to_path_buf(), Path::to_path_buf),
                line: node.line,
            });
        }
    }
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|i| collect_variables(field, i, declared_in, found)),
        Value::Map(map) => map.values().for_each(|v| collect_variables(field, v, declared_in, found)),
        _ => {}
    }
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
