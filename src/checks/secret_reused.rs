//! `secret-reused`: one secret value used in two environments or under two unrelated keys.

use std::collections::BTreeMap;
use std::path::Path;

use super::env_name::env_of;
use super::{Check, CheckName, Context, Finding, Severity};
use crate::secret::fingerprint;

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
        for file in &cx.env_files {
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
        for (value, uses) in by_value {
            for (i, a) in uses.iter().enumerate() {
                let Some(b) = uses[..i].iter().find(|b| is_reuse(b, a)) else { continue };
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

fn is_reuse(a: &Use, b: &Use) -> bool {
    if a.key == b.key {
        return a.path != b.path && matches!((env_of(a.path), env_of(b.path)), (Some(x), Some(y)) if x != y);
    }
    first_word(a.key) != first_word(b.key)
}

fn first_word(key: &str) -> String {
    key.split('_').next().unwrap_or(key).to_ascii_uppercase()
}
