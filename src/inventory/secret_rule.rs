//! Decides which environment keys of a project carry secrets.
//!
//! A key is secret when its name says so (`secret::is_secret_key`), when it is declared in the compose file's
//! `x-secops.secrets[].key`, when its value is interpolated from a secret-named variable, or when its value embeds
//! the value of another secret key of the same service (a `MONGODB_URL` holding the password).

use std::collections::BTreeSet;

use crate::project::{EnvVar, Origin, Project, Service};
use crate::secret::is_secret_key;

/// Embedded values shorter than this are not matched: short strings occur everywhere by chance.
const MIN_EMBEDDED_LEN: usize = 8;

/// The secret-key rule for one project.
#[derive(Debug, Clone, Default)]
pub struct SecretRule {
    declared: BTreeSet<String>,
}

impl SecretRule {
    /// The rule with the project's `x-secops` declarations.
    pub fn for_project(project: &Project) -> Self {
        let declared = project
            .x_secops
            .as_ref()
            .and_then(|x| x.get("secrets"))
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.get("key").and_then(|k| k.as_str()).map(str::to_string))
            .collect();
        SecretRule { declared }
    }

    /// True when `var` of `service` carries a secret.
    pub fn is_secret(&self, service: &Service, var: &EnvVar) -> bool {
        if self.is_secret_by_declaration(var) {
            return true;
        }
        let Some(value) = var.value.as_deref() else { return false };
        service.environment.iter().any(|other| {
            other.key != var.key
                && self.is_secret_by_declaration(other)
                && other
                    .value
                    .as_deref()
                    .is_some_and(|v| v.len() >= MIN_EMBEDDED_LEN && v != value && value.contains(v))
        })
    }

    fn is_secret_by_declaration(&self, var: &EnvVar) -> bool {
        if is_secret_key(&var.key) || self.declared.contains(&var.key) {
            return true;
        }
        matches!(&var.origin, Origin::Interpolated { variables, .. }
            if variables.iter().any(|v| is_secret_key(v) || self.declared.contains(v)))
    }
}
