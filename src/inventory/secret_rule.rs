//! Decides which environment keys of a project carry secrets.
//!
//! A key is secret when its name says so (`secret::is_secret_key`), when it is declared in the compose file's
//! `x-secops.secrets[].key`, when its value feeds a secret key by interpolation (`MONGO_PASSWORD: ${DB_PW}` makes
//! `DB_PW` secret), or when its value embeds the value of another secret key (a `MONGODB_URL` holding the password).

use std::collections::BTreeSet;

use crate::envfile::{Entry, EnvDocument};
use crate::project::{EnvVar, Origin, Project, SecretDecl, Service};
use crate::secret::is_secret_key;

/// Embedded values shorter than this are not matched: short strings occur everywhere by chance.
const MIN_EMBEDDED_LEN: usize = 8;

/// The secret-key rule for one project.
#[derive(Debug, Clone, Default)]
pub struct SecretRule {
    declared: BTreeSet<String>,
    feeds: BTreeSet<String>,
}

impl SecretRule {
    /// The rule with the project's `x-secops` declarations and interpolation feeds.
    pub fn for_project(project: &Project) -> Self {
        let declared = SecretDecl::all(project).into_iter().map(|d| d.key).collect();
        let mut rule = SecretRule { declared, feeds: BTreeSet::new() };
        let feeds: BTreeSet<String> = project
            .services
            .iter()
            .flat_map(|s| s.environment.iter())
            .filter(|v| rule.is_secret_name(&v.key))
            .filter_map(|v| match &v.origin {
                // Only a value that is one variable passes its secrecy on; `${HOST}` inside a URL does not.
                Origin::Interpolated { variables, .. } if variables.len() == 1 => Some(variables[0].clone()),
                _ => None,
            })
            .collect();
        rule.feeds = feeds;
        rule
    }

    /// True when `value` is a URL with a password in it (`mongodb://user:pass@host`).
    pub fn has_url_password(value: &str) -> bool {
        let Some((_, rest)) = value.split_once("://") else { return false };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        authority
            .rsplit_once('@')
            .is_some_and(|(userinfo, _)| userinfo.split_once(':').is_some_and(|(_, p)| !p.is_empty()))
    }

    /// True when `key` names a secret: by its name, a declaration, or because it feeds a secret key.
    pub fn is_secret_name(&self, key: &str) -> bool {
        is_secret_key(key) || self.declared.contains(key) || self.feeds.contains(key)
    }

    /// True when `var` of `service` carries a secret.
    pub fn is_secret(&self, service: &Service, var: &EnvVar) -> bool {
        if self.is_secret_by_name(var) {
            return true;
        }
        let Some(value) = var.value.as_deref() else { return false };
        if Self::has_url_password(value) {
            return true;
        }
        service.environment.iter().any(|other| {
            other.key != var.key
                && self.is_secret_by_name(other)
                && other.value.as_deref().is_some_and(|v| embeds(value, v))
        })
    }

    /// The entries of `doc` that hold secrets: by name, or embedding the value of such an entry.
    pub fn secret_entries<'d>(&self, doc: &'d EnvDocument) -> Vec<&'d Entry> {
        let named: Vec<&Entry> = doc.entries().iter().filter(|e| self.is_secret_name(&e.key)).collect();
        doc.entries()
            .iter()
            .filter(|e| {
                named.iter().any(|n| n.line == e.line)
                    || e.value.as_deref().is_some_and(Self::has_url_password)
                    || e.value.as_deref().is_some_and(|value| {
                        named.iter().any(|n| n.value.as_deref().is_some_and(|secret| embeds(value, secret)))
                    })
            })
            .collect()
    }

    fn is_secret_by_name(&self, var: &EnvVar) -> bool {
        if self.is_secret_name(&var.key) {
            return true;
        }
        matches!(&var.origin, Origin::Interpolated { variables, .. } if variables.iter().any(|v| self.is_secret_name(v)))
    }
}

/// True when `value` contains `secret` without being it.
fn embeds(value: &str, secret: &str) -> bool {
    secret.len() >= MIN_EMBEDDED_LEN && value != secret && value.contains(secret)
}

#[cfg(test)]
mod tests {
    use super::SecretRule;

    #[test]
    fn urls_with_passwords_are_secrets() {
        assert!(SecretRule::has_url_password("mongodb://admin:pw@mongo:27017/app?authSource=admin"));
        assert!(SecretRule::has_url_password("redis://:pw@redis:6379/0"));
        assert!(!SecretRule::has_url_password("redis://redis:6379/0"));
        assert!(!SecretRule::has_url_password("https://user@example.com/a:b@c"));
        assert!(!SecretRule::has_url_password("plain:value@x"));
    }
}
