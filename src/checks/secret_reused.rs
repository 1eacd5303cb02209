//! `secret-reused`: one secret value used in two environments or under two unrelated keys.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::env_name::env_of;
use super::{Check, CheckName, Context, Finding, Severity};
use crate::secret::{Strength, fingerprint};

/// Values shorter than this are not compared: empty and tiny values repeat by chance.
const MIN_LEN: usize = 8;

/// The same value in dev and prod, or behind two unrelated keys: one leak opens both doors.
///
/// Two keys are related (and may share a value) when their first word is the same (`REDIS_PASSWORD` and
/// `REDIS_AUTH`). The same key with the same value in two files is reuse only when the files are for different
/// environments by name (`.env.local` and `.env.prod`); `.env` and `envs/.env.prod` are the same deployment.
pub struct SecretReused;

struct Use<'a> {
    path: &'a Path,
    key: &'a str,
    line: usize,
}

impl Check for SecretReused {
    fn name(&self) -> CheckName {
        CheckName::SecretReused
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "The same secret value is used in two environments (dev and prod) or under two unrelated keys. A leak of \
         the weaker place opens the stronger one. Give each its own value: `docker secops rotate KEY`."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let mut by_value: BTreeMap<&str, Vec<Use>> = BTreeMap::new();
        // Other environments' env files beside a bound one come first, so that a reuse is reported in the file
        // the loaded project binds; their reuses among themselves are theirs to report.
        let siblings: Vec<&Path> = cx.sibling_env_files.iter().map(|f| f.path.as_path()).collect();
        for file in cx.sibling_env_files.iter().chain(&cx.env_files) {
            for (entry, value) in file.secrets() {
                if value.len() >= MIN_LEN && crate::secret::placeholder_word(value).is_none() {
                    by_value.entry(value).or_default().push(Use {
                        path: &file.path,
                        key: &entry.key,
                        line: entry.line,
                    });
                }
            }
        }
        // A compose secret's file is one more place a value lives, under the secret's key.
        for secret in &cx.secret_files {
            let Some((path, value)) = secret.content() else { continue };
            if value.len() >= MIN_LEN && crate::secret::placeholder_word(value).is_none() {
                by_value.entry(value).or_default().push(Use { path, key: &secret.secret.key, line: 1 });
            }
        }
        for (value, uses) in by_value {
            // One use is no reuse: asking zxcvbn about each of thousands of distinct values cost seconds.
            if uses.len() < 2 {
                continue;
            }
            // Copies of one weak value are `weak-secret`'s single finding, not reuse on top of it.
            if uses.iter().any(|u| !Strength::estimate(value, u.key, None).is_strong()) {
                continue;
            }
            for (a, b) in uses.iter().zip(first_reuses(&uses)) {
                let Some(b) = b.map(|j| &uses[j]) else { continue };
                if one_credential(a.key, b.key) || siblings.contains(&a.path) {
                    continue;
                }
                findings.push(
                    self.finding(format!(
                        "{} has the same value as {} in {}:{}",
                        a.key,
                        b.key,
                        b.path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                        b.line
                    ))
                    .at(a.path, Some(a.line))
                    .key(a.key)
                    .fingerprint(fingerprint(value)),
                );
            }
        }
    }
}

/// For each use, the first earlier use of the same value it is a reuse of, if any: the same key in a file for
/// another environment, or a key with another first word.
///
/// Testing each use against every earlier one was quadratic in the uses of one value (thousands of keys set to one
/// shared value); here each use costs a few hash lookups. The answer is the same earliest use: among keys with
/// another first word that is the first use overall, or the first use whose first word differs from that one's;
/// among same-key uses it is the earliest use of that key in each other environment.
fn first_reuses(uses: &[Use]) -> Vec<Option<usize>> {
    let words: Vec<String> = uses.iter().map(|u| first_word(u.key)).collect();
    let Some(word0) = words.first() else { return Vec::new() };
    let second = words.iter().position(|w| w != word0);
    // Per key: the earliest use in each environment (files named for no environment never count).
    let mut by_key: HashMap<&str, Vec<(&'static str, usize)>> = HashMap::new();
    let mut out = Vec::with_capacity(uses.len());
    for (i, use_) in uses.iter().enumerate() {
        let other_word = if words[i] != *word0 { Some(0) } else { second }.filter(|&j| j < i);
        let env = env_of(use_.path);
        let seen = by_key.entry(use_.key).or_default();
        let same_key = env.and_then(|env| seen.iter().filter(|(e, _)| *e != env).map(|&(_, j)| j).min());
        if let Some(env) = env.filter(|env| !seen.iter().any(|(e, _)| e == env)) {
            seen.push((env, i));
        }
        out.push(match (other_word, same_key) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        });
    }
    out
}

/// Variables through which a database server's image takes its credential (`POSTGRES_PASSWORD`).
const SERVER_KEYS: &[&str] = &[
    "POSTGRES_PASSWORD",
    "MYSQL_PASSWORD",
    "MYSQL_ROOT_PASSWORD",
    "MARIADB_PASSWORD",
    "MARIADB_ROOT_PASSWORD",
    "MONGO_INITDB_ROOT_PASSWORD",
    "REDIS_PASSWORD",
    "RABBITMQ_DEFAULT_PASS",
    "MINIO_ROOT_PASSWORD",
    "ELASTIC_PASSWORD",
];

/// Words a client's variable for a database credential carries (`DB_PASSWORD`, `DATABASE_PASS`, `PG_PASSWORD`).
const CLIENT_WORDS: &[&str] =
    &["DB", "DATABASE", "POSTGRES", "POSTGRESQL", "PG", "MYSQL", "MARIADB", "MONGO", "MONGODB", "REDIS", "CACHE"];

/// True when `a` and `b` are the two ends of one credential: a database server's variable and the same password
/// in the client that logs in with it (`POSTGRES_PASSWORD` = `DB_PASSWORD` of the app is one credential).
fn one_credential(a: &str, b: &str) -> bool {
    let ends = |server: &str, client: &str| {
        if !is_server_key(server) || !is_client_key(client) {
            return false;
        }
        // The client names the same database (`PG_PASSWORD` for `POSTGRES_PASSWORD`) or none in particular.
        let family = first_word(server);
        let upper = client.to_ascii_uppercase();
        let words: Vec<&str> = upper.split(['_', '-', '.']).collect();
        let same = |w: &str| {
            w == family
                || (family == "POSTGRES" && matches!(w, "PG" | "POSTGRESQL"))
                || (family == "REDIS" && w == "CACHE")
                || (family == "MONGO" && w == "MONGODB")
                || (matches!(family.as_str(), "MYSQL" | "MARIADB") && matches!(w, "MYSQL" | "MARIADB"))
        };
        let named: Vec<&&str> = words.iter().filter(|w| CLIENT_WORDS.contains(w)).collect();
        named.iter().any(|w| same(w)) || named.iter().all(|w| matches!(**w, "DB" | "DATABASE"))
    };
    ends(a, b) || ends(b, a)
}

/// True when `key` is a database server image's own credential variable (`POSTGRES_PASSWORD`).
pub(super) fn is_server_key(key: &str) -> bool {
    SERVER_KEYS.iter().any(|s| key.eq_ignore_ascii_case(s))
}

/// True when `key` is a client's password to a database (`DB_PASSWORD`, `NETBOX_DATABASE_PASSWORD`).
pub(super) fn is_client_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    let words: Vec<&str> = upper.split(['_', '-', '.']).collect();
    words.iter().any(|w| CLIENT_WORDS.contains(w))
        && words.iter().any(|w| ["PASSWORD", "PASSWD", "PASS", "PWD"].contains(w))
}

fn first_word(key: &str) -> String {
    key.split('_').next().unwrap_or(key).to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition `first_reuses` implements, tested pair by pair.
    fn is_reuse(a: &Use, b: &Use) -> bool {
        if a.key == b.key {
            return a.path != b.path && matches!((env_of(a.path), env_of(b.path)), (Some(x), Some(y)) if x != y);
        }
        first_word(a.key) != first_word(b.key)
    }

    fn naive(uses: &[Use]) -> Vec<Option<usize>> {
        (0..uses.len()).map(|i| uses[..i].iter().position(|b| is_reuse(b, &uses[i]))).collect()
    }

    #[test]
    fn first_reuse_is_the_earliest_pairwise_reuse() {
        let paths = [".env", ".env.prod", ".env.local", "envs/.env.prod", "prod.env", "app.env"].map(Path::new);
        let keys = ["REDIS_PASSWORD", "REDIS_AUTH", "MONGO_PASSWORD", "mongo_pw", "JWT_SECRET", "JWT"];
        // Every sequence of up to 4 uses over a slice of that space, and a few long ones.
        let all: Vec<Use> = (0..paths.len() * keys.len())
            .map(|n| Use { path: paths[n % paths.len()], key: keys[n / paths.len()], line: n })
            .collect();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for round in 0..3000 {
            let len = if round < 2900 { 1 + round % 4 } else { 200 };
            let uses: Vec<Use> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    let u = &all[(state % all.len() as u64) as usize];
                    Use { path: u.path, key: u.key, line: u.line }
                })
                .collect();
            assert_eq!(first_reuses(&uses), naive(&uses), "round {round}");
        }
    }

    #[test]
    fn server_and_client_ends_of_one_credential_are_not_reuse() {
        assert!(one_credential("POSTGRES_PASSWORD", "DB_PASSWORD"));
        assert!(one_credential("NETBOX_DATABASE_PASSWORD", "POSTGRES_PASSWORD"));
        assert!(!one_credential("POSTGRES_PASSWORD", "SMTP_PASSWORD"));
        assert!(!one_credential("JWT_SECRET", "DB_PASSWORD"));
        assert!(!one_credential("REDIS_PASSWORD", "MONGO_PASSWORD"));
        assert!(one_credential("REDIS_PASSWORD", "CACHE_PASSWORD"));
    }

    #[test]
    fn same_key_reuse_needs_two_named_environments() {
        let (local, prod, plain) = (Path::new(".env.local"), Path::new(".env.prod"), Path::new(".env"));
        let u = |path, key| Use { path, key, line: 1 };
        assert_eq!(first_reuses(&[u(plain, "A_PW"), u(prod, "A_PW"), u(local, "A_PW")]), [None, None, Some(1)]);
        assert_eq!(first_reuses(&[u(prod, "A_PW"), u(prod, "A_TOKEN"), u(prod, "B_PW")]), [None, None, Some(0)]);
    }
}
