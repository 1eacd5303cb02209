//! Merging compose definitions the way compose-go's `override` package does, for `-f` overrides and `extends`.
//!
//! Mappings merge by key (later wins), sequences append, scalars are replaced; per service `environment` and
//! `depends_on` merge by key, `env_file` by path, `volumes` and `secrets` by target (a later entry replaces the earlier one in
//! place), `command`, `entrypoint` and `healthcheck.test` are replaced whole. The YAML tags `!reset` (drop the
//! inherited value) and `!override` (replace instead of merging) are honoured.

use super::node::NodeMap;

use super::node::{MergeTag, Node, Value};

/// Merges the compose file `over` onto `base` (both normalised).
pub(crate) fn merge_files(base: Node, over: Node) -> Node {
    merge_map(base, over, &|key, base, over| match key {
        "services" => merge_map(base, over, &|_, base, over| merge_service(base, over)),
        _ => merge_value(base, over),
    })
}

/// Merges the service definition `over` onto `base`. The result stands where `base` stands.
pub(crate) fn merge_service(base: Node, over: Node) -> Node {
    merge_map(base, over, &|key, base, over| match key {
        "env_file" => merge_keyed_list(base, over, "path"),
        "volumes" => merge_keyed_list(base, over, "target"),
        "secrets" => merge_keyed_list(base, over, "target"),
        "command" | "entrypoint" => over,
        "healthcheck" => {
            merge_map(base, over, &|key, base, over| if key == "test" { over } else { merge_value(base, over) })
        }
        _ => merge_value(base, over),
    })
}

type Merger<'a> = &'a dyn Fn(&str, Node, Node) -> Node;

/// Merges two mappings key by key with `merge` (non-mappings: `over` wins). Tags on `over`'s values apply first.
fn merge_map(mut base: Node, over: Node, merge: Merger<'_>) -> Node {
    if over.tag == Some(MergeTag::Override) {
        return Node { tag: None, ..over };
    }
    let over_map = match over.value {
        Value::Map(map) if matches!(base.value, Value::Map(_)) => map,
        value => return Node { value, ..over },
    };
    let Value::Map(base_map) = &mut base.value else { return base };
    for (key, value) in over_map {
        match value.tag {
            Some(MergeTag::Reset) => {
                base_map.shift_remove(&key);
            }
            Some(MergeTag::Override) => {
                base_map.insert(key, Node { tag: None, ..value });
            }
            None => match base_map.get_mut(&key) {
                Some(existing) => {
                    let old = std::mem::replace(existing, Node::new(Value::Null));
                    *existing = merge(&key, old, value);
                }
                None => {
                    base_map.insert(key, value);
                }
            },
        }
    }
    base
}

/// The generic rule: mappings merge recursively, sequences append, anything else is replaced.
fn merge_value(base: Node, over: Node) -> Node {
    match (&base.value, &over.value) {
        (Value::Map(_), Value::Map(_)) => merge_map(base, over, &|_, b, o| merge_value(b, o)),
        (Value::Seq(_), Value::Seq(_)) => {
            let mut base = base;
            if let (Value::Seq(items), Value::Seq(more)) = (&mut base.value, over.value) {
                items.extend(more);
            }
            base
        }
        _ => over,
    }
}

/// Merges two lists of mappings identified by `key` (`env_file` by path, `volumes` by target): an item of `over`
/// with a known identity replaces the earlier one in place, others are appended.
fn merge_keyed_list(base: Node, over: Node, key: &str) -> Node {
    let (Value::Seq(base_items), Value::Seq(over_items)) = (&base.value, &over.value) else {
        return over;
    };
    let mut merged: NodeMap = NodeMap::default();
    let mut anonymous = 0usize;
    for item in base_items.iter().chain(over_items) {
        let id = item.get(key).and_then(Node::as_str).map(str::to_string).unwrap_or_else(|| {
            anonymous += 1;
            format!("\0{anonymous}")
        });
        merged.insert(id, item.clone());
    }
    Node { value: Value::Seq(merged.into_values().collect()), ..base }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::project::normalize::{Scope, normalize_services};
    use crate::project::variables::Variables;
    use crate::project::yaml_file::parse_compose_yaml;

    fn load(yaml: &str) -> Node {
        let mut node = parse_compose_yaml(yaml, Path::new("/p/compose.yaml")).expect("parses");
        let variables = Variables::from_process(&BTreeMap::new());
        normalize_services(&mut node, &Scope { base_dir: Path::new("/p"), variables: &variables, home: None });
        node
    }

    fn merged(base: &str, over: &str) -> Node {
        let node = merge_files(load(base), load(over));
        node.get("services").and_then(|s| s.get("s")).cloned().expect("service s")
    }

    fn texts(node: Option<&Node>, key: &str) -> Vec<String> {
        node.and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .map(|n| n.get(key).or(Some(n)).and_then(Node::as_str).unwrap_or("?").to_string())
            .collect()
    }

    #[test]
    fn environment_merges_by_key_in_place() {
        let s = merged(
            "services:\n  s:\n    environment: [A=1, B=2]\n",
            "services:\n  s:\n    environment: {B: 3, C: 4}\n",
        );
        let env = s.get("environment").and_then(Node::as_map).expect("env");
        let pairs: Vec<_> = env.iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap_or("-"))).collect();
        assert_eq!(pairs, [("A", "1"), ("B", "3"), ("C", "4")]);
    }

    #[test]
    fn env_files_merge_by_path_keeping_the_first_position() {
        // docker compose 2.26: [a, b(optional)] + [a, b, a(optional)] -> [a(optional), b(required)].
        let s = merged(
            "services:\n  s:\n    env_file: [a.env, {path: b.env, required: false}]\n",
            "services:\n  s:\n    env_file: [a.env, b.env, {path: a.env, required: false}]\n",
        );
        let files = s.get("env_file").and_then(Node::as_seq).expect("list");
        let got: Vec<_> = files
            .iter()
            .map(|f| (f.get("path").and_then(Node::as_str), f.get("required").and_then(Node::as_str)))
            .collect();
        assert_eq!(got, [(Some("/p/a.env"), Some("false")), (Some("/p/b.env"), Some("true"))]);
    }

    #[test]
    fn volumes_merge_by_target_and_ports_append() {
        let s = merged(
            "services:\n  s:\n    volumes: [./data:/data, named:/n]\n    ports: ['8080:80']\n",
            "services:\n  s:\n    volumes: ['./other:/data', {type: bind, source: ./w, target: /w}]\n    ports: ['7070:70']\n",
        );
        assert_eq!(texts(s.get("volumes"), "source"), ["/p/other", "named", "/p/w"]);
        assert_eq!(texts(s.get("ports"), ""), ["8080:80", "7070:70"]);
    }

    #[test]
    fn commands_are_replaced_and_maps_merge() {
        let s = merged(
            "services:\n  s:\n    command: [a, b]\n    image: x\n    healthcheck: {test: [CMD, a], interval: 5s}\n",
            "services:\n  s:\n    command: [c]\n    healthcheck: {test: [CMD, b]}\n",
        );
        assert_eq!(texts(s.get("command"), ""), ["c"]);
        assert_eq!(s.get("image").and_then(Node::as_str), Some("x"));
        let health = s.get("healthcheck").expect("healthcheck");
        assert_eq!(texts(health.get("test"), ""), ["CMD", "b"]);
        assert_eq!(health.get("interval").and_then(Node::as_str), Some("5s"));
    }

    #[test]
    fn reset_and_override_tags() {
        let s = merged(
            "services:\n  s:\n    environment: {A: 1}\n    ports: ['80:80']\n",
            "services:\n  s:\n    environment: !reset {}\n    ports: !override ['81:81']\n",
        );
        assert!(s.get("environment").is_none());
        assert_eq!(texts(s.get("ports"), ""), ["81:81"]);
    }
}
