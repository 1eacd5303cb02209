//! `undefined-variable`: `${VAR}` with no value from any source and no default.

use super::{Check, CheckName, Context, Finding, Severity};

/// Variables that interpolate to the empty string: the container silently gets `""`.
pub struct UndefinedVariable;

impl Check for UndefinedVariable {
    fn name(&self) -> CheckName {
        CheckName::UndefinedVariable
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "A compose file uses ${VAR} but no source defines VAR (shell, --env-file, .env) and no default is given, \
         so it becomes an empty string: an empty password, or a wrong command line. A secret variable is a warning, \
         any other an info (an empty setting is often the default wanted). Define it, or write ${VAR:?message} so \
         compose refuses to start without it (${VAR:-} says empty is fine)."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for undefined in &cx.project.undefined_variables {
            let mut finding = self
                .finding(format!("${{{}}} is not set and has no default: it becomes an empty string", undefined.name))
                .at(&undefined.file, undefined.line)
                .key(&undefined.name);
            // An empty secret is a hole, and so is an empty name of what the stack logs in as or serves (a database
            // user or name, the host name); an empty setting (`TZ`, `ADDITIONAL_SAN`) is usually the default wanted.
            if !cx.rule.is_secret_name(&undefined.name) && !names_an_identity(&undefined.name) {
                finding.severity = Severity::Info;
            }
            findings.push(finding);
        }
    }
}

/// Last words of variables naming what the stack logs in as or serves: empty, a login or the server name is wrong.
const IDENTITY_WORDS: &[&str] = &["USER", "USERNAME", "DBUSER", "DBNAME", "HOSTNAME", "DATABASE"];

/// True when `name` names a database user or name or the host name (`DBUSER`, `POSTGRES_USER`, `MAILCOW_HOSTNAME`);
/// compose's own `COMPOSE_*` variables are optional.
fn names_an_identity(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    !upper.starts_with("COMPOSE_") && upper.rsplit(['_', '-', '.']).next().is_some_and(|w| IDENTITY_WORDS.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_variables_are_required_settings_optional() {
        for name in ["DBUSER", "DBNAME", "POSTGRES_USER", "MAILCOW_HOSTNAME", "MYSQL_DATABASE"] {
            assert!(names_an_identity(name), "{name}");
        }
        for name in ["TZ", "ADDITIONAL_SAN", "COMPOSE_PROJECT_NAME", "USER_AGENT", "LOG_LEVEL"] {
            assert!(!names_an_identity(name), "{name}");
        }
    }
}
