//! Replaces known secret values in text we did not write (compose's stderr, container logs) by their fingerprints.
//!
//! An application that logs its configuration, or a compose error that quotes an interpolated value, would
//! otherwise carry a credential to the terminal or into a CI log.

use crate::secret::Secret;

/// Values shorter than this are not redacted: they would match everywhere by chance and carry little.
const MIN_LEN: usize = 6;

/// A set of secret values to hide.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Vec<Secret>,
}

impl Redactor {
    /// A redactor for `secrets` (short and duplicate values are dropped; longest first so that a value containing
    /// another is replaced whole).
    pub fn new(secrets: impl IntoIterator<Item = Secret>) -> Self {
        let mut secrets: Vec<Secret> = secrets.into_iter().filter(|s| s.expose().len() >= MIN_LEN).collect();
        secrets.sort_by(|a, b| b.expose().len().cmp(&a.expose().len()).then_with(|| a.expose().cmp(b.expose())));
        secrets.dedup();
        Redactor { secrets }
    }

    /// This redactor hiding `more` values as well.
    pub fn with(self, more: impl IntoIterator<Item = Secret>) -> Self {
        Redactor::new(self.secrets.into_iter().chain(more))
    }

    /// `text` with every known value replaced by `<redacted:FINGERPRINT>`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            if out.contains(secret.expose()) {
                out = out.replace(secret.expose(), &format!("<redacted:{}>", secret.fingerprint()));
            }
        }
        out
    }

    /// How many values it hides.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// True when it hides nothing.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_values_longest_first_and_skips_short_ones() {
        let r = Redactor::new([Secret::new("abc"), Secret::new("hunter2hunter2"), Secret::new("hunter2hunter2-plus")]);
        assert_eq!(r.len(), 2);
        let out = r.redact("pw=hunter2hunter2-plus other=hunter2hunter2 short=abc");
        assert!(!out.contains("hunter2"), "{out}");
        assert!(out.contains(&format!("<redacted:{}>", Secret::new("hunter2hunter2-plus").fingerprint())));
        assert!(out.ends_with("short=abc"));
    }
}
