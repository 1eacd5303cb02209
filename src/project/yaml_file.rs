//! Reading a compose file's YAML safely: anchors and merge keys expanded, alias bombs refused, errors positioned.

use std::path::Path;

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::options::{DuplicateKeyPolicy, MergeKeyPolicy};

use super::ProjectError;
use super::node::{Node, Value};

/// Most events alias expansion may replay in one file. A real compose file replays a few thousand (one anchored
/// block per service); a "billion laughs" file needs far more, and is refused with an error instead of eating memory.
/// This is the bomb guard: the parser's alias/anchor *ratio* heuristic is off, since compose files legitimately
/// merge a handful of anchors (`<<: *defaults`) into hundreds of places (Sentry's self-hosted file: 10 anchors, 142
/// aliases), and a ratio says nothing about how much an alias replays.
pub const MAX_ALIAS_REPLAYED_EVENTS: usize = 200_000;

/// Deepest nesting accepted (compose files nest five or six levels).
pub const MAX_DEPTH: usize = 64;

/// Parses `text` (the contents of `file`) into one mapping node, merging its YAML documents in order as compose
/// does. An empty file gives an empty mapping.
pub(crate) fn parse_compose_yaml(text: &str, file: &Path) -> Result<Node, ProjectError> {
    let mut options = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_depth: MAX_DEPTH, enforce_alias_anchor_ratio: false },
        alias_limits: serde_saphyr::alias_limits! { max_total_replayed_events: MAX_ALIAS_REPLAYED_EVENTS },
        duplicate_keys: DuplicateKeyPolicy::Error,
        merge_keys: MergeKeyPolicy::Merge,
    };
    // compose reads YAML like Go's yaml.v3: only true/false are booleans (`yes` stays a string), `010` is octal.
    options.strict_booleans = true;
    options.legacy_octal_numbers = true;
    let documents: Vec<Option<Node>> =
        serde_saphyr::from_str_multiple_with_options(text, options).map_err(|err| yaml_error(file, &err))?;
    let mut merged: Option<Node> = None;
    for document in documents.into_iter().flatten() {
        if document.is_null() {
            continue;
        }
        if document.as_map().is_none() {
            return Err(ProjectError::NotAMapping { file: file.to_path_buf() });
        }
        merged = Some(match merged {
            None => document,
            Some(base) => super::merge::merge_files(base, document),
        });
    }
    Ok(merged.unwrap_or_else(|| Node::new(Value::Map(Default::default()))))
}

fn yaml_error(file: &Path, err: &serde_saphyr::Error) -> ProjectError {
    let location = err.location();
    let line = location.map_or(0, |l| l.line() as usize);
    let column = location.map_or(0, |l| l.column() as usize);
    let message = match err.without_snippet() {
        serde_saphyr::Error::Budget { breach, .. } => budget_message(breach),
        other => user_message(&other.to_string()),
    };
    ProjectError::Yaml { file: file.to_path_buf(), line, column, message }
}

/// A parser budget breach said in words: which limit, and that it guards against resource exhaustion.
fn budget_message(breach: &BudgetBreach) -> String {
    let what = match breach {
        BudgetBreach::Events { events } => format!("{events} YAML events, more than accepted"),
        BudgetBreach::Aliases { aliases } => format!("{aliases} aliases (`*name`), more than accepted"),
        BudgetBreach::Anchors { anchors } => format!("{anchors} anchors (`&name`), more than accepted"),
        BudgetBreach::Depth { depth } => format!("nesting {depth} levels deep, more than the {MAX_DEPTH} accepted"),
        BudgetBreach::Nodes { nodes } => format!("{nodes} YAML nodes, more than accepted"),
        BudgetBreach::MergeKeys { merge_keys } => format!("{merge_keys} merge keys (`<<`), more than accepted"),
        BudgetBreach::Documents { documents } => format!("{documents} YAML documents, more than accepted"),
        BudgetBreach::AliasAnchorRatio { aliases, anchors } => {
            format!("{aliases} aliases for {anchors} anchors, more than accepted")
        }
        other => format!("a parser limit was reached ({other:?})"),
    };
    format!("the file is too large or too deeply aliased to read safely: {what}")
}

/// The parser's message without what our error already says (the position) or what is meant for programmers.
fn user_message(raw: &str) -> String {
    let mut message = raw.replace(", set DuplicateKeyPolicy in Options if acceptable", "");
    if let Some(at) = message.rfind(" at line ")
        && message[at + 9..].chars().all(|c| c.is_ascii_digit() || c == ',' || c == ' ' || c.is_ascii_lowercase())
    {
        message.truncate(at);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Node, ProjectError> {
        parse_compose_yaml(text, Path::new("compose.yaml"))
    }

    #[test]
    fn anchors_and_merge_keys_expand() {
        let node = parse("x-base: &base\n  image: redis\n  environment: {A: '1'}\nservices:\n  s:\n    <<: *base\n    environment: {B: '2'}\n")
            .expect("parses");
        let service = node.get("services").and_then(|s| s.get("s")).expect("service");
        assert_eq!(service.get("image").and_then(Node::as_str), Some("redis"));
        // A merge key provides defaults: the service's own `environment` replaces the anchored one.
        let env = service.get("environment").and_then(Node::as_map).expect("env");
        assert_eq!(env.keys().collect::<Vec<_>>(), ["B"]);
    }

    #[test]
    fn scalars_read_like_compose() {
        let node = parse("a: 1.0\nb: yes\nc: 0x1F\nd: 010\ne: ~\nf: true\ng: 1e3\n").expect("parses");
        let text = |k: &str| node.get(k).and_then(Node::as_str).map(str::to_string);
        assert_eq!(text("a").as_deref(), Some("1"));
        assert_eq!(text("b").as_deref(), Some("yes"));
        assert_eq!(text("c").as_deref(), Some("31"));
        assert_eq!(text("d").as_deref(), Some("8"));
        assert!(node.get("e").is_some_and(Node::is_null));
        assert_eq!(text("f").as_deref(), Some("true"));
        assert_eq!(text("g").as_deref(), Some("1000"));
    }

    #[test]
    fn lines_are_recorded() {
        let node = parse("services:\n  s:\n    environment:\n      A: x\n      B: y\n").expect("parses");
        let env = node.get("services").and_then(|s| s.get("s")).and_then(|s| s.get("environment")).expect("env");
        assert_eq!(env.get("B").and_then(|n| n.line), Some(5));
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let err = parse("services:\n  s:\n    image: [unclosed\n").expect_err("invalid");
        assert_eq!(err.to_string(), "compose.yaml:3:12: invalid YAML: unclosed bracket '['");
        assert!(matches!(err, ProjectError::Yaml { line: 3, column: 12, .. }));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let err = parse(&text).expect_err("refused");
        assert!(err.to_string().contains("alias replay limit"), "{err}");
    }

    #[test]
    fn many_aliases_of_few_anchors_load() {
        // Sentry self-hosted's shape: a few anchored defaults merged into every service (10 anchors, 142 aliases
        // tripped the parser's ratio heuristic, though compose loads it).
        let mut text = String::from(
            "x-defaults: &defaults\n  restart: unless-stopped\n  healthcheck: &hc\n    interval: 5s\nservices:\n",
        );
        for i in 0..150 {
            text.push_str(&format!("  s{i}:\n    <<: *defaults\n    image: app\n    healthcheck: *hc\n"));
        }
        let node = parse(&text).expect("a file compose loads must load");
        let s = node.get("services").and_then(|s| s.get("s149")).expect("s149");
        assert_eq!(s.get("restart").and_then(Node::as_str), Some("unless-stopped"));
    }

    #[test]
    fn budget_breaches_are_said_in_words() {
        let text = "a:\n".to_string() + &(1..70).map(|i| format!("{}b:\n", "  ".repeat(i))).collect::<String>();
        // Debug builds recurse deeply per YAML level: parse on a thread with a main-thread-sized stack.
        let err = std::thread::Builder::new()
            .stack_size(16 << 20)
            .spawn(move || parse(&text).expect_err("too deep").to_string())
            .expect("thread")
            .join()
            .expect("no panic");
        assert!(err.contains("nesting") && err.contains("levels deep"), "{err}");
        assert!(!err.contains('{') && !err.contains("Depth"), "no Debug struct: {err}");
    }

    #[test]
    fn merge_tags_are_read() {
        let node =
            parse("services:\n  s:\n    environment: !reset {}\n    ports: !override [\"80\"]\n").expect("parses");
        let s = node.get("services").and_then(|s| s.get("s")).expect("s");
        assert_eq!(s.get("environment").and_then(|n| n.tag), Some(super::super::node::MergeTag::Reset));
        assert_eq!(s.get("ports").and_then(|n| n.tag), Some(super::super::node::MergeTag::Override));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("a: 1\na: 2\n").expect_err("duplicate");
        assert_eq!(err.to_string(), "compose.yaml:2:1: invalid YAML: duplicate mapping key: a");
    }
}
