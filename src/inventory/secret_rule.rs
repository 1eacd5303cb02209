//! Decides which environment keys of a project carry secrets.
//!
//! A key is secret when its name says so (`secret::is_secret_key`), when it is declared in the compose file's
//! `x-secops.secrets[].key`, when its value feeds a secret key by interpolation (`MONGO_PASSWORD: ${DB_PW}` makes
//! `DB_PW` secret), or when its value embeds the value of another secret key (a `MONGODB_URL` holding the password).

use std::collections::{BTreeSet, HashSet};

use super::embed_matcher::EmbedMatcher;
use crate::envfile::{Entry, EnvDocument};
use crate::project::{EnvVar, Origin, Project, SecretDecl, Service};
use crate::secret::{is_non_secret_value, is_secret_key};

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

    /// For each variable of `service.environment`, in order, whether it carries a secret: by its name (or the
    /// variables it is interpolated from), as a URL with a password, or because its value embeds the value of a
    /// variable that is secret by name. One pass: the secret values are compiled into one automaton.
    pub fn secret_flags(&self, service: &Service) -> Vec<bool> {
        let by_name: Vec<bool> = service
            .environment
            .iter()
            .map(|var| self.is_secret_by_name(var) && !var.value.as_deref().is_some_and(is_non_secret_value))
            .collect();
        let named_values = service.environment.iter().zip(&by_name).filter(|(_, named)| **named);
        let matcher = EmbedMatcher::new(named_values.filter_map(|(var, _)| var.value.as_deref()));
        service
            .environment
            .iter()
            .zip(by_name)
            .map(|(var, named)| {
                // Keys are unique in a service's environment, so a variable never "embeds" its own value here.
                named || var.value.as_deref().is_some_and(|v| Self::has_url_password(v) || matcher.embedded_in(v))
            })
            .collect()
    }

    /// The variables of `service` that carry a secret, in order ([`SecretRule::secret_flags`]).
    pub fn secret_vars<'s>(&self, service: &'s Service) -> impl Iterator<Item = &'s EnvVar> {
        service.environment.iter().zip(self.secret_flags(service)).filter_map(|(var, secret)| secret.then_some(var))
    }

    /// For each entry of `doc`, in order, whether it holds a secret: by name, as a URL with a password, or
    /// embedding the value of an entry that is secret by name (any occurrence of it, not only the last).
    pub fn entry_secret_flags(&self, doc: &EnvDocument) -> Vec<bool> {
        let named: Vec<&Entry> = doc
            .entries()
            .iter()
            .filter(|e| self.is_secret_name(&e.key) && !e.value.as_deref().is_some_and(is_non_secret_value))
            .collect();
        let named_lines: HashSet<usize> = named.iter().map(|n| n.line).collect();
        let matcher = EmbedMatcher::new(named.iter().filter_map(|n| n.value.as_deref()));
        doc.entries()
            .iter()
            .map(|e| {
                named_lines.contains(&e.line)
                    || e.value.as_deref().is_some_and(|v| Self::has_url_password(v) || matcher.embedded_in(v))
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

#[cfg(test)]
mod tests {
    use super::SecretRule;
    use crate::envfile::EnvDocument;
    use crate::inventory::embed_matcher::embeds;
    use crate::project::{EnvVar, Origin, Service};

    #[test]
    fn entry_flags_keep_the_embedding_rule() {
        let text = "DB_PASSWORD=s3cretPassw0rd\n\
                    DATABASE_URL=postgres://db:5432/app?password=s3cretPassw0rd\n\
                    COPY=s3cretPassw0rd\n\
                    GREETING=supercalifragilistic\n\
                    API_TOKEN=califragil\n\
                    SHORT_TOKEN=abc1234\n\
                    WORD=xxabc1234xx\n\
                    REDIS_URL=redis://:pw@redis:6379\n\
                    OLD_PASSWORD=firstvalue1\n\
                    OLD_PASSWORD=secondvalue2\n\
                    NOTE=see-firstvalue1-here\n\
                    PLAIN=nothing-secret-here\n";
        let doc = EnvDocument::parse("app.env", text.as_bytes()).expect("parses");
        let flags = SecretRule::default().entry_secret_flags(&doc);
        let secret: Vec<&str> =
            doc.entries().iter().zip(flags).filter(|(_, s)| *s).map(|(e, _)| e.key.as_str()).collect();
        // The URL embeds the password; a word embeds a 10-character token (plain substring, no word boundaries);
        // an equal value is no embedding; a 7-character secret is too short to count; an earlier value of a
        // duplicated key still counts.
        assert_eq!(
            secret,
            [
                "DB_PASSWORD",
                "DATABASE_URL",
                "GREETING",
                "API_TOKEN",
                "SHORT_TOKEN",
                "REDIS_URL",
                "OLD_PASSWORD",
                "OLD_PASSWORD",
                "NOTE"
            ]
        );
    }

    #[test]
    fn service_flags_agree_with_the_pairwise_rule() {
        let rule = SecretRule::default();
        let mut service = Service::for_test("app", &[]);
        // 100 secret-named values (enough for the automaton, not the direct test), and values that embed one,
        // equal one, hold a truncated one, or carry a URL password.
        for i in 0..300 {
            let named = format!("secret{:04}xyz", i - i % 3);
            let (key, value) = match i % 3 {
                0 => (format!("K{i}_PASSWORD"), named),
                1 => match i % 4 {
                    0 => (format!("K{i}_NOTE"), format!("pre-{named}-post")),
                    1 => (format!("K{i}_NOTE"), named),
                    2 => (format!("K{i}_NOTE"), named[..9].to_string()),
                    _ => (format!("K{i}_NOTE"), format!("{}-{}", &named[..8], &named[8..])),
                },
                _ if i % 2 == 0 => (format!("K{i}_URL"), "redis://:pw@cache:6379".to_string()),
                _ => (format!("K{i}_URL"), "redis://cache:6379".to_string()),
            };
            let origin = Origin::EnvFile { file: "app.env".into(), line: i + 1 };
            service.environment.push(EnvVar { key, value: Some(value), origin });
        }
        let pairwise = |var: &EnvVar| {
            rule.is_secret_by_name(var)
                || var.value.as_deref().is_some_and(|value| {
                    SecretRule::has_url_password(value)
                        || service.environment.iter().any(|other| {
                            other.key != var.key
                                && rule.is_secret_by_name(other)
                                && other.value.as_deref().is_some_and(|v| embeds(value, v))
                        })
                })
        };
        let expected: Vec<bool> = service.environment.iter().map(pairwise).collect();
        assert_eq!(rule.secret_flags(&service), expected);
        assert!(expected.iter().filter(|s| **s).count() > 150 && expected.iter().filter(|s| !**s).count() > 50);
    }

    #[test]
    fn urls_with_passwords_are_secrets() {
        assert!(SecretRule::has_url_password("mongodb://admin:pw@mongo:27017/app?authSource=admin"));
        assert!(SecretRule::has_url_password("redis://:pw@redis:6379/0"));
        assert!(!SecretRule::has_url_password("redis://redis:6379/0"));
        assert!(!SecretRule::has_url_password("https://user@example.com/a:b@c"));
        assert!(!SecretRule::has_url_password("plain:value@x"));
    }
}
