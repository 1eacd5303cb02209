//! Service volume syntax: the short `source:target[:options]` form (as compose-go's `format.ParseVolume` reads it)
//! and the long form, both read into a [`Volume`].

use super::node::NodeMap;

use super::node::{Node, Value};
use super::normalize::is_windows_absolute;
use super::{Volume, VolumeKind};

/// Parses the short syntax: `target` (anonymous volume), `source:target`, `source:target:options`. A source that
/// starts with `.`, `/` or `~` (or is a Windows drive path) is a bind mount, anything else a named volume.
pub(crate) fn parse_short_volume(spec: &str) -> Option<Volume> {
    let parts = split_volume(spec);
    let (source, target, options) = match parts.as_slice() {
        [target] => (None, *target, ""),
        [source, target] => (Some(*source), *target, ""),
        [source, target, options] => (Some(*source), *target, *options),
        _ => return None,
    };
    if target.is_empty() {
        return None;
    }
    let read_only = options.split(',').any(|o| o == "ro");
    let kind = match source {
        None | Some("") => VolumeKind::Anonymous,
        Some(s) if is_host_path(s) => VolumeKind::Bind,
        Some(_) => VolumeKind::Named,
    };
    let source = source.filter(|s| !s.is_empty()).map(str::to_string);
    Some(Volume { kind, source, target: target.to_string(), read_only })
}

/// Reads a long-syntax volume mapping (after normalisation every volume has this shape).
pub(crate) fn volume_from_node(node: &Node) -> Option<Volume> {
    let map = node.as_map()?;
    let text = |key: &str| map.get(key).and_then(Node::as_str).map(str::to_string);
    let target = text("target")?;
    let source = text("source").filter(|s| !s.is_empty());
    let kind = match text("type").as_deref() {
        Some("bind") => VolumeKind::Bind,
        Some("tmpfs") => VolumeKind::Tmpfs,
        _ if source.is_none() => VolumeKind::Anonymous,
        _ => VolumeKind::Named,
    };
    let read_only = map.get("read_only").is_some_and(Node::is_true);
    Some(Volume { kind, source, target, read_only })
}

impl Volume {
    /// The long-syntax mapping compose writes for this volume, standing where `origin` stands.
    pub(crate) fn into_node(self, origin: &Node) -> Node {
        let mut map = NodeMap::default();
        let kind = match self.kind {
            VolumeKind::Bind => "bind",
            VolumeKind::Tmpfs => "tmpfs",
            VolumeKind::Named | VolumeKind::Anonymous => "volume",
        };
        map.insert("type".to_string(), Node::like(origin, Value::Str(kind.to_string())));
        if let Some(source) = self.source {
            map.insert("source".to_string(), Node::like(origin, Value::Str(source)));
        }
        map.insert("target".to_string(), Node::like(origin, Value::Str(self.target)));
        if self.read_only {
            map.insert("read_only".to_string(), Node::like(origin, Value::Scalar("true".to_string())));
        }
        Node::like(origin, Value::Map(map))
    }
}

fn is_host_path(source: &str) -> bool {
    source.starts_with(['.', '/', '~']) || is_windows_absolute(source)
}

/// Splits on `:`, keeping a Windows drive prefix (`C:`) with its path.
fn split_volume(spec: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = spec.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b':' {
            continue;
        }
        let drive =
            i == start + 1 && bytes[start].is_ascii_alphabetic() && matches!(bytes.get(i + 1), Some(b'/' | b'\\'));
        if drive {
            continue;
        }
        parts.push(&spec[start..i]);
        start = i + 1;
    }
    parts.push(&spec[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(spec: &str) -> Volume {
        parse_short_volume(spec).expect("parses")
    }

    #[test]
    fn short_syntax_kinds() {
        let v = short("./data:/data:ro");
        assert_eq!(
            (v.kind, v.source.as_deref(), v.target.as_str(), v.read_only),
            (VolumeKind::Bind, Some("./data"), "/data", true)
        );
        let v = short("dbdata:/var/lib/db");
        assert_eq!((v.kind, v.source.as_deref()), (VolumeKind::Named, Some("dbdata")));
        let v = short("/anon");
        assert_eq!((v.kind, v.source, v.target.as_str()), (VolumeKind::Anonymous, None, "/anon"));
        assert_eq!(short("~/x:/y:ro,z").kind, VolumeKind::Bind);
        assert!(short("~/x:/y:ro,z").read_only);
        assert!(!short("vol:/v:rw").read_only);
        assert_eq!(short("/abs:/abs").kind, VolumeKind::Bind);
    }

    #[test]
    fn windows_drive_letters_stay_in_the_source() {
        let v = short("C:/win:/w");
        assert_eq!((v.kind, v.source.as_deref(), v.target.as_str()), (VolumeKind::Bind, Some("C:/win"), "/w"));
    }

    #[test]
    fn long_syntax() {
        let yaml = "type: volume\nsource: vol\ntarget: /long\nread_only: true\n";
        let node = crate::project::yaml_file::parse_compose_yaml(yaml, std::path::Path::new("c.yaml")).expect("yaml");
        let v = volume_from_node(&node).expect("volume");
        assert_eq!(
            (v.kind, v.source.as_deref(), v.target.as_str(), v.read_only),
            (VolumeKind::Named, Some("vol"), "/long", true)
        );
        let tmpfs = crate::project::yaml_file::parse_compose_yaml(
            "type: tmpfs\ntarget: /tmp\n",
            std::path::Path::new("c.yaml"),
        )
        .expect("yaml");
        assert_eq!(volume_from_node(&tmpfs).map(|v| v.kind), Some(VolumeKind::Tmpfs));
        let round = short("./d:/d:ro").into_node(&Node::new(Value::Null));
        assert_eq!(volume_from_node(&round), Some(short("./d:/d:ro")));
    }
}
