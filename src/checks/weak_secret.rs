//! `weak-secret`: a secret below policy.

use std::collections::HashMap;

use super::{Check, CheckName, Context, Finding, Severity};
use crate::envfile::EnvDocument;
use crate::secret::{Strength, fingerprint};

/// Secrets that are short, low in entropy, common, placeholders, or equal to their own key or user name.
pub struct WeakSecret;

impl Check for WeakSecret {
    fn name(&self) -> CheckName {
        CheckName::WeakSecret
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A secret is below policy: shorter than 16 characters, low in entropy, a common or guessable password \
         (zxcvbn), a template placeholder such as `changeme`, or equal to its key or user name. Replace it with \
         `docker secops rotate KEY` (or `docker secops generate`)."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for file in &cx.env_files {
            let Some(doc) = &file.doc else { continue };
            let last = last_values(doc);
            for (entry, value) in file.secrets() {
                let user = user_of(&last, &entry.key);
                let strength = Strength::estimate(value, &entry.key, user);
                if strength.is_strong() {
                    continue;
                }
                let reasons: Vec<String> = strength.weaknesses.iter().map(|w| w.describe()).collect();
                findings.push(
                    self.finding(format!("{} is weak: {}", entry.key, reasons.join("; ")))
                        .at(&file.path, Some(entry.line))
                        .key(&entry.key)
                        .fingerprint(fingerprint(value)),
                );
            }
        }
    }
}

/// The value of each key's effective (last) occurrence, `None` for a bare `KEY` line: `EnvDocument::get` for
/// every key at once, since looking each user name up in the file was quadratic in its number of keys.
fn last_values(doc: &EnvDocument) -> HashMap<&str, Option<&str>> {
    doc.entries().iter().map(|e| (e.key.as_str(), e.value.as_deref())).collect()
}

/// The user name that goes with a password key: `MONGO_INITDB_ROOT_PASSWORD` -> `MONGO_INITDB_ROOT_USERNAME`.
fn user_of<'a>(last: &HashMap<&str, Option<&'a str>>, key: &str) -> Option<&'a str> {
    let upper = key.to_ascii_uppercase();
    ["PASSWORD", "PASSWD", "PWD", "PASS"].iter().find_map(|word| {
        let at = upper.rfind(word)?;
        ["USERNAME", "USER"].iter().find_map(|user| {
            let candidate = format!("{}{user}{}", &key[..at], &key[at + word.len()..]);
            last.get(candidate.as_str()).copied().flatten()
        })
    })
}
