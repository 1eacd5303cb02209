//! Decides which environment keys of a project carry secrets.
//!
//! A key is secret when its name says so (`secret::is_secret_key`), when it is declared in the compose file's
//! `x-secops.secrets[].key`, when its value feeds a secret key by interpolation (`MONGO_PASSWORD: ${DB_PW}` makes
//! `DB_PW` secret), or when its value is a URL with a password in it (a `MONGODB_URL` holding the password).

use std::collections::BTreeSet;

use super::url_password::has_url_password;
use crate::envfile::EnvDocument;
use crate::project::{EnvVar, Origin, Project, SECRETS_DIR, SecretDecl, Service};
use crate::secret::{is_non_secret_value, is_secret_key};

/// The secret-key rule for one project.
#[derive(Debug, Clone, Default)]
pub struct SecretRule {
    declared: BTreeSet<String>,
    feeds: BTreeSet<String>,
    /// `is_secret_key` of each distinct key of the services' environments, judged once: the same few names recur
    /// in every env file, and `check` asks again for each entry of each file.
    by_name: foldhash::HashMap<String, bool>,
}

impl SecretRule {
    /// The rule with the project's `x-secops` declarations and interpolation feeds.
    pub fn for_project(project: &Project) -> Self {
        let declared = SecretDecl::all(project).into_iter().map(|d| d.key).collect();
        let mut by_name = foldhash::HashMap::default();
        for var in project.services.iter().flat_map(|s| s.environment.iter()) {
            if !by_name.contains_key(&var.key) {
                by_name.insert(var.key.clone(), is_secret_key(&var.key));
            }
        }
        let mut rule = SecretRule { declared, feeds: BTreeSet::new(), by_name };
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

    /// True when `value` is a URL with a password in it (`mongodb://user:pass@host`, `...?password=pass`).
    pub fn has_url_password(value: &str) -> bool {
        has_url_password(value)
    }

    /// True when `key` names a secret: by its name, a declaration, or because it feeds a secret key.
    pub fn is_secret_name(&self, key: &str) -> bool {
        let by_name = self.by_name.get(key).copied().unwrap_or_else(|| is_secret_key(key));
        by_name || self.declared.contains(key) || self.feeds.contains(key)
    }

    /// For each variable of `service.environment`, in order, whether it carries a secret: by its name (or the
    /// variables it is interpolated from), or as a URL with a password. (A value that merely contains another
    /// secret's value is no secret: `DB_HOST=postgresql` beside `DB_PASSWORD=postgres`.)
    pub fn secret_flags(&self, service: &Service) -> Vec<bool> {
        service
            .environment
            .iter()
            .map(|var| {
                // A boolean or "off" value (`OAUTH_PRIVATE_KEY=disabled`) is a setting, whatever the key says; a
                // path under /run/secrets names where the secret is.
                !var.value.as_deref().is_some_and(is_non_secret_value)
                    && !is_secret_path(var)
                    && (self.is_secret_by_name(var) || var.value.as_deref().is_some_and(has_url_password))
            })
            .collect()
    }

    /// The variables of `service` that carry a secret, in order ([`SecretRule::secret_flags`]).
    pub fn secret_vars<'s>(&self, service: &'s Service) -> impl Iterator<Item = &'s EnvVar> {
        service.environment.iter().zip(self.secret_flags(service)).filter_map(|(var, secret)| secret.then_some(var))
    }

    /// For each entry of `doc`, in order, whether it holds a secret: by name, or as a URL with a password.
    pub fn entry_secret_flags(&self, doc: &EnvDocument) -> Vec<bool> {
        doc.entries()
            .iter()
            .map(|e| {
                !e.value.as_deref().is_some_and(|v| is_non_secret_value(v) || is_secrets_dir_path(v))
                    && (self.is_secret_name(&e.key) || e.value.as_deref().is_some_and(has_url_password))
            })
            .collect()
    }

    /// `DB_PASSWORD_FILE: /run/secrets/db_password` names where the secret is, not the secret: the content
    /// of the compose secret mounted there is (the inventory lists it under `secrets`).
    fn is_secret_by_name(&self, var: &EnvVar) -> bool {
        if self.is_secret_name(&var.key) {
            return true;
        }
        matches!(&var.origin, Origin::Interpolated { variables, .. } if variables.iter().any(|v| self.is_secret_name(v)))
    }
}

/// A path under /run/secrets names where the secret is, not the secret: `POSTGRES_PASSWORD_FILE`, and apps that
/// read a file from their password variable (`DATABASE_PASSWORD=/run/secrets/db-password`).
fn is_secret_path(var: &EnvVar) -> bool {
    var.value.as_deref().is_some_and(is_secrets_dir_path)
}

fn is_secrets_dir_path(value: &str) -> bool {
    value.strip_prefix(SECRETS_DIR).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::SecretRule;
    use crate::envfile::EnvDocument;
    use crate::project::{EnvVar, Origin, Service};

    #[test]
    fn a_value_containing_a_secret_is_a_secret_only_as_a_url_password() {
        let text = "DB_PASSWORD=postgres\n\
                    DB_HOST=postgresql\n\
                    DATABASE_URL=postgresql://app:postgres@postgresql:5432/app\n\
                    QUERY_URL=postgres://db:5432/app?password=s3cretPassw0rd\n\
                    COPY=postgres\n\
                    API_TOKEN=califragil\n\
                    GREETING=supercalifragilistic\n\
                    REDIS_URL=redis://:pw@redis:6379\n\
                    PLAIN_URL=redis://redis:6379\n\
                    OLD_PASSWORD=firstvalue1\n\
                    OLD_PASSWORD=secondvalue2\n\
                    NOTE=see-firstvalue1-here\n";
        let doc = EnvDocument::parse("app.env", text.as_bytes()).expect("parses");
        let flags = SecretRule::default().entry_secret_flags(&doc);
        let secret: Vec<&str> =
            doc.entries().iter().zip(flags).filter(|(_, s)| *s).map(|(e, _)| e.key.as_str()).collect();
        // A host name, a copy and a sentence that contain a secret's bytes are no secrets; URLs with a password are.
        assert_eq!(
            secret,
            ["DB_PASSWORD", "DATABASE_URL", "QUERY_URL", "API_TOKEN", "REDIS_URL", "OLD_PASSWORD", "OLD_PASSWORD"]
        );
    }

    #[test]
    fn service_flags_follow_names_interpolation_and_url_passwords() {
        let rule = SecretRule::default();
        let mut service = Service::for_test("app", &[]);
        let vars = [
            ("REDIS_PASSWORD", "redis", Origin::EnvFile { file: "app.env".into(), line: 1 }),
            ("REDIS_HOST", "redis", Origin::EnvFile { file: "app.env".into(), line: 2 }),
            ("CACHE_URL", "redis://:redis@redis:6379", Origin::EnvFile { file: "app.env".into(), line: 3 }),
            (
                "CONN",
                "x",
                Origin::Interpolated {
                    file: "compose.yaml".into(),
                    line: Some(4),
                    variables: vec!["DB_PASSWORD".into()],
                    source: None,
                    optional: false,
                },
            ),
        ];
        for (key, value, origin) in vars {
            service.environment.push(EnvVar { key: key.into(), value: Some(value.into()), origin });
        }
        assert_eq!(rule.secret_flags(&service), [true, false, true, true]);
        let names: Vec<&str> = rule.secret_vars(&service).map(|v| v.key.as_str()).collect();
        assert_eq!(names, ["REDIS_PASSWORD", "CACHE_URL", "CONN"]);
    }
}
