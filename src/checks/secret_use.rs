//! One place a secret value is delivered: an env file line, a compose `environment:` value that is a literal or
//! a `${VAR:-default}` whose default is what the container gets, or a compose secret's file. What `weak-secret`
//! judges.

use std::collections::HashMap;
use std::path::Path;

use super::Context;
use crate::project::Origin;

/// A secret value and where it is written.
#[derive(Debug, Clone)]
pub struct SecretUse<'a> {
    pub file: &'a Path,
    pub line: Option<usize>,
    pub key: &'a str,
    /// The service whose compose `environment:` holds it; `None` for an env file line or a secret file.
    pub service: Option<&'a str>,
    pub value: &'a str,
    /// The user name that goes with it (`POSTGRES_USER` for `POSTGRES_PASSWORD`), when known.
    pub user: Option<&'a str>,
    /// True for a `${VAR:-default}` whose default is delivered (no env file or shell sets `VAR`).
    pub from_default: bool,
    /// True for a compose secret's file: mounted by a service, so in use whatever its name says.
    pub secret_file: bool,
}

impl<'a> SecretUse<'a> {
    /// Every non-empty secret value of the project: env file secrets, then compose literals and delivered
    /// defaults, service by service, then the content of compose secret files (under the secret's key). A value
    /// interpolated from an env file is that file's line, judged once there.
    pub fn collect(cx: &'a Context) -> Vec<SecretUse<'a>> {
        let mut uses = Vec::new();
        for file in &cx.env_files {
            let Some(doc) = &file.doc else { continue };
            // The effective value of every key at once: looking each user name up in the file is quadratic.
            let last: HashMap<&str, Option<&str>> =
                doc.entries().iter().map(|e| (e.key.as_str(), e.value.as_deref())).collect();
            for (entry, value) in file.secrets() {
                let user = user_key(&entry.key).iter().find_map(|k| last.get(k.as_str()).copied().flatten());
                let user = user.filter(|u| !u.is_empty());
                uses.push(SecretUse {
                    file: &file.path,
                    line: Some(entry.line),
                    key: &entry.key,
                    service: None,
                    value,
                    user,
                    from_default: false,
                    secret_file: false,
                });
            }
        }
        for service in &cx.project.services {
            for var in cx.rule.secret_vars(service) {
                let Some(value) = var.value.as_deref().filter(|v| !v.is_empty()) else { continue };
                let (file, line, from_default) = match &var.origin {
                    Origin::Inline { file, line } => (file, *line, false),
                    Origin::Interpolated { file, line, source: None, variables, .. } => {
                        // Set in the shell: the deployment's value, not the file's.
                        if variables.iter().any(|v| std::env::var_os(v).is_some()) {
                            continue;
                        }
                        (file, *line, true)
                    }
                    _ => continue,
                };
                let user = user_key(&var.key)
                    .iter()
                    .find_map(|k| service.env(k).and_then(|u| u.value.as_deref()))
                    .filter(|u| !u.is_empty());
                uses.push(SecretUse {
                    file,
                    line,
                    key: &var.key,
                    service: Some(&service.name),
                    value,
                    user,
                    from_default,
                    secret_file: false,
                });
            }
        }
        for secret in &cx.secret_files {
            let Some((file, value)) = secret.content() else { continue };
            uses.push(SecretUse {
                file,
                line: None,
                key: &secret.secret.key,
                service: None,
                value,
                user: secret.user(cx),
                from_default: false,
                secret_file: true,
            });
        }
        uses
    }
}

/// The user-name keys that go with a password key: `MONGO_INITDB_ROOT_PASSWORD` -> `MONGO_INITDB_ROOT_USERNAME`,
/// `MONGO_INITDB_ROOT_USER`.
pub fn user_key(key: &str) -> Vec<String> {
    let upper = key.to_ascii_uppercase();
    let Some((at, word)) = ["PASSWORD", "PASSWD", "PWD", "PASS"].iter().find_map(|w| upper.rfind(w).map(|at| (at, *w)))
    else {
        return Vec::new();
    };
    ["USERNAME", "USER"].iter().map(|user| format!("{}{user}{}", &key[..at], &key[at + word.len()..])).collect()
}
