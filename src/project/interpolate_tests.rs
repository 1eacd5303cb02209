//! Unit tests of `interpolate`, one per form compose supports (values checked against `docker compose config`).

use std::collections::HashMap;

use super::*;

fn env() -> HashMap<&'static str, &'static str> {
    HashMap::from([("SET", "value"), ("EMPTY", ""), ("lower", "l"), ("B", "b")])
}

fn run(template: &str) -> Result<Interpolated, InterpolationError> {
    let vars = env();
    interpolate(template, &|name| vars.get(name).map(|v| v.to_string()))
}

fn value(template: &str) -> String {
    run(template).expect("interpolates").value
}

#[test]
fn plain_and_braced() {
    assert_eq!(value("$SET"), "value");
    assert_eq!(value("${SET}"), "value");
    assert_eq!(value("a${SET}b$SET.c"), "avaluebvalue.c");
    assert_eq!(value("$lower"), "l");
    assert_eq!(value("no variables"), "no variables");
}

#[test]
fn unset_without_fallback_is_empty_and_recorded() {
    let result = run("x${NOPE}y$ALSO_NOPE").expect("interpolates");
    assert_eq!(result.value, "xy");
    assert_eq!(result.undefined, ["NOPE", "ALSO_NOPE"]);
    assert_eq!(result.variables, ["NOPE", "ALSO_NOPE"]);
}

#[test]
fn soft_and_hard_defaults() {
    assert_eq!(value("${NOPE:-d}"), "d");
    assert_eq!(value("${EMPTY:-d}"), "d");
    assert_eq!(value("${SET:-d}"), "value");
    assert_eq!(value("${NOPE-d}"), "d");
    assert_eq!(value("${EMPTY-d}"), "");
    assert_eq!(value("${SET-}x"), "valuex");
    assert!(run("${NOPE:-d}").expect("ok").undefined.is_empty());
}

#[test]
fn alternatives() {
    assert_eq!(value("${SET:+alt}"), "alt");
    assert_eq!(value("${EMPTY:+alt}"), "");
    assert_eq!(value("${NOPE:+alt}"), "");
    assert_eq!(value("${EMPTY+alt}"), "alt");
    assert_eq!(value("${NOPE+alt}"), "");
}

#[test]
fn nested_defaults() {
    assert_eq!(value("${A1:-${B1:-x}}"), "x");
    assert_eq!(value("${A1:-${B:-x}}"), "b");
    assert_eq!(value("${A1:-pre-${B}-post}"), "pre-b-post");
    let result = run("${NOPE:-${B}}").expect("ok");
    assert_eq!(result.variables, ["NOPE", "B"]);
    // An unused default does not count among the variables.
    assert_eq!(run("${SET:-${B}}").expect("ok").variables, ["SET"]);
}

#[test]
fn dollar_escapes_and_lone_dollars() {
    assert_eq!(value("$$HOME"), "$HOME");
    assert_eq!(value("$$$SET"), "$value");
    assert_eq!(value("${SET:-$$}"), "value");
    assert_eq!(value("${NOPE:-$$}"), "$");
    assert_eq!(value("a $5"), "a $5");
    assert_eq!(value("a$"), "a$");
    assert!(!run("$$X").expect("ok").is_substituted());
}

#[test]
fn braces_after_a_substitution_stay() {
    assert_eq!(value("${SET}}"), "value}");
    assert_eq!(value("${NOPE:-{x}}"), "{x}");
    assert_eq!(value("${NOPE:-}}"), "}");
}

#[test]
fn required_forms_fail_with_the_message() {
    assert_eq!(
        run("${NOPE:?set it}"),
        Err(InterpolationError::Required { variable: "NOPE".into(), message: "set it".into() })
    );
    assert!(matches!(run("${EMPTY:?x}"), Err(InterpolationError::Required { .. })));
    assert_eq!(value("${EMPTY?x}"), "");
    assert!(matches!(run("${NOPE?x}"), Err(InterpolationError::Required { .. })));
    assert_eq!(value("${SET?}"), "value");
    assert_eq!(value("${SET:?msg ${B}}"), "value");
}

#[test]
fn an_unused_default_is_still_evaluated() {
    // compose fails here although SET is set: it interpolates the default first.
    assert!(matches!(run("${SET:-${NOPE:?boom}}"), Err(InterpolationError::Required { .. })));
}

#[test]
fn malformed_templates_are_errors() {
    for template in ["${}", "${A B}", "${A:-x", "${A:=x}", "${1A}", "x ${"] {
        assert!(
            matches!(run(template), Err(InterpolationError::InvalidTemplate { template: t }) if t == template),
            "{template}"
        );
    }
}
