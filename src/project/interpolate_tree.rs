//! Interpolation of every string value of a compose file (keys are left alone, as compose does).

use std::path::Path;

use super::node::{Node, Value};
use super::substitution::Substitution;
use super::variables::Variables;
use super::{ProjectError, UndefinedVariable, interpolate};

/// Interpolates the strings of `node` (read from `file`) with `variables`, recording on each substituted node what
/// it read, and every unset variable read without a fallback in `undefined`.
pub(crate) fn interpolate_tree(
    node: &mut Node,
    variables: &Variables,
    file: &Path,
    undefined: &mut Vec<UndefinedVariable>,
) -> Result<(), ProjectError> {
    let mut path = Vec::new();
    walk(node, &mut path, &Walk { variables, file }, undefined)
}

struct Walk<'a> {
    variables: &'a Variables,
    file: &'a Path,
}

fn walk(
    node: &mut Node,
    path: &mut Vec<String>,
    ctx: &Walk<'_>,
    undefined: &mut Vec<UndefinedVariable>,
) -> Result<(), ProjectError> {
    match &mut node.value {
        Value::Map(map) => {
            for (key, child) in map.iter_mut() {
                path.push(key.clone());
                walk(child, path, ctx, undefined)?;
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                path.push(index.to_string());
                walk(child, path, ctx, undefined)?;
                path.pop();
            }
        }
        Value::Str(text) => {
            if !text.contains('$') {
                return Ok(());
            }
            let lookup = |name: &str| ctx.variables.lookup(name);
            let key = key_of(path, text);
            let result = interpolate(text, &lookup).map_err(|source| ProjectError::Interpolation {
                file: ctx.file.to_path_buf(),
                line: node.line,
                key: key.clone(),
                source,
            })?;
            let service = match path.as_slice() {
                [top, name, ..] if top == "services" => Some(name.clone()),
                _ => None,
            };
            for name in &result.undefined {
                undefined.push(UndefinedVariable {
                    name: name.clone(),
                    file: ctx.file.to_path_buf(),
                    line: node.line,
                    service: service.clone(),
                    key: key.clone(),
                });
            }
            if result.is_substituted() {
                let source = result.variables.first().and_then(|v| ctx.variables.source(v)).cloned();
                node.substitution = Some(Box::new(Substitution {
                    template: std::mem::take(text),
                    variables: result.variables,
                    source,
                }));
            }
            *text = result.value;
        }
        Value::Null | Value::Scalar(_) => {}
    }
    Ok(())
}

/// The dotted path of a value; an `environment` list item is named by its key (`environment.DB_URL`, not
/// `environment.3`).
fn key_of(path: &[String], text: &str) -> String {
    match path {
        [.., parent, _index] if parent == "environment" => {
            let name = text.split('=').next().unwrap_or(text);
            format!("{}.{name}", path[..path.len() - 1].join("."))
        }
        _ => path.join("."),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::project::yaml_file::parse_compose_yaml;

    #[test]
    fn strings_are_interpolated_and_keys_are_not() {
        let file = Path::new("compose.yaml");
        let mut node =
            parse_compose_yaml("services:\n  ${S}:\n    environment:\n      - A=${X}\n      - B=${NOPE}\n", file)
                .expect("parses");
        let vars = Variables::from_process(&BTreeMap::from([("X".to_string(), "x".to_string())]));
        let mut undefined = Vec::new();
        interpolate_tree(&mut node, &vars, file, &mut undefined).expect("interpolates");
        let env = node.get("services").and_then(|s| s.get("${S}")).and_then(|s| s.get("environment")).expect("env");
        let items = env.as_seq().expect("list");
        assert_eq!(items[0].as_str(), Some("A=x"));
        let substitution = items[0].substitution.as_ref().expect("recorded");
        assert_eq!(substitution.variables, ["X"]);
        assert_eq!(substitution.template, "A=${X}");
        assert_eq!(undefined.len(), 1);
        assert_eq!(undefined[0].key, "services.${S}.environment.B");
        assert_eq!(undefined[0].service.as_deref(), Some("${S}"));
        assert_eq!(undefined[0].line, Some(5));
    }

    #[test]
    fn required_variables_fail_with_file_and_key() {
        let file = Path::new("compose.yaml");
        let mut node = parse_compose_yaml("services:\n  s:\n    image: ${IMG:?set IMG}\n", file).expect("parses");
        let err = interpolate_tree(&mut node, &Variables::default(), file, &mut Vec::new()).expect_err("fails");
        let text = err.to_string();
        assert!(text.contains("compose.yaml:3") && text.contains("services.s.image") && text.contains("IMG"), "{text}");
    }
}
