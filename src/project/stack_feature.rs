//! Finding, in one compose file as written (before interpolation, include and extends), the uses of features that
//! `docker stack deploy` does not read as `docker compose` does.

use std::path::{Path, PathBuf};

use super::node::{Node, Value};
use super::yaml_file::parse_compose_yaml;
use super::{ProjectError, StackFeatureKind, VariablePlace};

/// The sections docker/cli's loader interpolates (`x-` extensions and the rest are left alone).
const INTERPOLATED_SECTIONS: &[&str] = &["services", "networks", "volumes", "secrets", "configs"];

/// One use of a feature, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackFeature {
    pub kind: StackFeatureKind,
    pub file: PathBuf,
    /// The line of the feature's value: a block (`include:`'s list, `extends:`'s mapping) by its first line.
    pub line: Option<usize>,
}

impl StackFeature {
    /// Every use in the compose file at `path`, in file order within each section.
    pub fn scan(path: &Path) -> Result<Vec<StackFeature>, ProjectError> {
        let text = crate::envfile::read_bounded_to_string(path)
            .map_err(|source| ProjectError::Read { path: path.to_path_buf(), source })?;
        let root = parse_compose_yaml(&text, path)?;
        let mut found = Vec::new();
        let mut push = |kind, line| found.push(StackFeature { kind, file: path.to_path_buf(), line });
        let Some(top) = root.as_map() else { return Ok(Vec::new()) };
        if let Some(include) = top.get("include") {
            push(StackFeatureKind::Include, include.line);
        }
        for (key, section) in top.iter().filter(|(k, _)| INTERPOLATED_SECTIONS.contains(&k.as_str())) {
            for (name, entry) in section.as_map().into_iter().flatten() {
                if key == "secrets" {
                    secret_features(name, entry, &mut push);
                } else if key == "services" {
                    service_features(name, entry, &mut push);
                } else {
                    variables(entry, &|| VariablePlace::Other, &mut push);
                }
            }
        }
        Ok(found)
    }
}

type Push<'a> = dyn FnMut(StackFeatureKind, Option<usize>) + 'a;

fn secret_features(secret: &str, node: &Node, push: &mut Push<'_>) {
    for (field, value) in node.as_map().into_iter().flatten() {
        let place = || match field.as_str() {
            "name" => VariablePlace::SecretName { secret: secret.to_string() },
            "file" => VariablePlace::SecretFile { secret: secret.to_string() },
            _ => VariablePlace::Other,
        };
        if field == "environment" {
            push(StackFeatureKind::SecretEnvironment { secret: secret.to_string() }, value.line.or(node.line));
        }
        variables(value, &place, push);
    }
}

fn service_features(service: &str, node: &Node, push: &mut Push<'_>) {
    for (field, value) in node.as_map().into_iter().flatten() {
        match field.as_str() {
            "extends" => push(StackFeatureKind::Extends { service: service.to_string() }, value.line.or(node.line)),
            "env_file" => {
                for (index, item) in value.as_seq().into_iter().flatten().enumerate() {
                    if item.as_map().is_some() {
                        let kind = StackFeatureKind::EnvFileLongForm { service: service.to_string(), index };
                        push(kind, item.line.or(value.line));
                    }
                }
            }
            "environment" => {
                environment(service, value, push);
                continue;
            }
            _ => {}
        }
        variables(value, &|| VariablePlace::Other, push);
    }
}

/// The references in a service's `environment`, as a mapping or as a list of `KEY=value`.
fn environment(service: &str, node: &Node, push: &mut Push<'_>) {
    let place = |key: &str| VariablePlace::Environment { service: service.to_string(), key: key.to_string() };
    // A key without a value (`KEY:`, `- KEY`) takes the variable of its name, as a reference would.
    let bare = |key: &str| StackFeatureKind::Variable { variable: key.to_string(), place: place(key), required: false };
    match &node.value {
        Value::Map(map) => {
            for (key, value) in map {
                if value.is_null() {
                    push(bare(key), value.line.or(node.line));
                }
                variables(value, &|| place(key), push);
            }
        }
        Value::Seq(items) => {
            for item in items {
                let text = item.as_str().unwrap_or_default();
                match text.split_once('=') {
                    Some((key, _)) => variables(item, &|| place(key), push),
                    None if !text.is_empty() => push(bare(text), item.line),
                    None => {}
                }
            }
        }
        _ => variables(node, &|| VariablePlace::Other, push),
    }
}

/// Every reference in the strings under `node`, each with the place `place` gives.
fn variables(node: &Node, place: &dyn Fn() -> VariablePlace, push: &mut Push<'_>) {
    match &node.value {
        Value::Str(text) => {
            for (variable, operator) in references(text) {
                if operator == Operator::Alternative {
                    push(StackFeatureKind::Alternative { variable: variable.clone() }, node.line);
                }
                let required = operator == Operator::Required;
                push(StackFeatureKind::Variable { variable, place: place(), required }, node.line);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| variables(n, place, push)),
        Value::Map(map) => map.values().for_each(|n| variables(n, place, push)),
        Value::Null | Value::Scalar(_) => {}
    }
}

/// What a reference does when its variable is unset or empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    /// `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`.
    Value,
    /// `${VAR:?error}`, `${VAR?error}`: interpolation fails.
    Required,
    /// `${VAR:+alt}`, `${VAR+alt}`.
    Alternative,
}

/// The variables `text` references (`$$` is a literal `$`), each with its operator. References nested in a default
/// (`${A:-${B}}`) are found too.
fn references(text: &str) -> Vec<(String, Operator)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let (start, braced) = match bytes.get(i + 1) {
            Some(b'$') => {
                i += 2;
                continue;
            }
            Some(b'{') => (i + 2, true),
            _ => (i + 1, false),
        };
        let end = start + bytes[start..].iter().take_while(|&&c| c == b'_' || c.is_ascii_alphanumeric()).count();
        let named = end > start && !bytes[start].is_ascii_digit();
        if named {
            let rest = text[end..].strip_prefix(':').unwrap_or(&text[end..]);
            let operator = match rest.as_bytes().first() {
                Some(b'+') if braced => Operator::Alternative,
                Some(b'?') if braced => Operator::Required,
                _ => Operator::Value,
            };
            found.push((text[start..end].to_string(), operator));
        }
        i = end.max(i + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_skip_escapes_and_find_nested_and_alternatives() {
        let names = |t: &str| references(t);
        let v = |name: &str, op| (name.to_string(), op);
        use Operator::{Alternative, Required, Value};
        assert_eq!(names("a$$B ${C} $D-x $E:?"), vec![v("C", Value), v("D", Value), v("E", Value)]);
        assert_eq!(names("${A:-${B}}"), vec![v("A", Value), v("B", Value)]);
        assert_eq!(names("${A:+x}${B+y}${C:-+}"), vec![v("A", Alternative), v("B", Alternative), v("C", Value)]);
        assert_eq!(names("${A:?no}${B?}"), vec![v("A", Required), v("B", Required)]);
        assert!(names("$1 $ ${} $$").is_empty());
    }

    #[test]
    fn each_feature_is_found_where_it_is_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("compose.yaml");
        let text = concat!(
            "include:\n  - other.yaml\nservices:\n  app:\n    image: app:${TAG}\n    extends:\n      service: base\n",
            "    env_file:\n      - plain.env\n      - path: long.env\n        required: false\n",
            "    environment:\n      DB_PASSWORD: ${DB_PW}\nsecrets:\n  pw:\n    environment: PW\n  v:\n",
            "    file: ./v.txt\n    name: v_${V:+2}\nx-secops:\n  a: ${IGNORED}\n",
        );
        std::fs::write(&path, text).expect("write");
        let found = StackFeature::scan(&path).expect("scans");
        let at = |kind: StackFeatureKind| found.iter().find(|f| f.kind == kind).and_then(|f| f.line);
        assert_eq!(at(StackFeatureKind::Include), Some(2), "{found:#?}");
        assert_eq!(at(StackFeatureKind::Extends { service: "app".into() }), Some(7), "{found:#?}");
        assert_eq!(at(StackFeatureKind::EnvFileLongForm { service: "app".into(), index: 1 }), Some(10));
        assert_eq!(at(StackFeatureKind::SecretEnvironment { secret: "pw".into() }), Some(16));
        assert_eq!(at(StackFeatureKind::Alternative { variable: "V".into() }), Some(19));
        let env = VariablePlace::Environment { service: "app".into(), key: "DB_PASSWORD".into() };
        assert_eq!(at(StackFeatureKind::Variable { variable: "DB_PW".into(), place: env, required: false }), Some(13));
        let name = VariablePlace::SecretName { secret: "v".into() };
        assert_eq!(at(StackFeatureKind::Variable { variable: "V".into(), place: name, required: false }), Some(19));
        assert!(
            found
                .iter()
                .all(|f| !matches!(&f.kind, StackFeatureKind::Variable { variable, .. } if variable == "IGNORED"))
        );
        assert_eq!(found.iter().filter(|f| matches!(f.kind, StackFeatureKind::EnvFileLongForm { .. })).count(), 1);
    }

    #[test]
    fn a_key_without_a_value_reads_the_variable_of_its_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("compose.yaml");
        let text =
            "services:\n  a:\n    environment:\n      API_KEY:\n  b:\n    environment:\n      - TOKEN\n      - X=1\n";
        std::fs::write(&path, text).expect("write");
        let found: Vec<(String, Option<usize>)> = StackFeature::scan(&path)
            .expect("scans")
            .into_iter()
            .filter_map(|f| match f.kind {
                StackFeatureKind::Variable { variable, .. } => Some((variable, f.line)),
                _ => None,
            })
            .collect();
        assert_eq!(found, [("API_KEY".to_string(), Some(4)), ("TOKEN".to_string(), Some(7))]);
    }
}
