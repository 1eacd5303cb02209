//! Short fingerprints that identify a value in output without revealing it, keyed with the project's key.
//!
//! The key is process-wide because a [`super::Secret`] prints as its fingerprint (`Display` takes no argument):
//! a command installs its project's key once, right after loading the project, and everything it prints or logs
//! (check findings, inventory, status, rotation plans, the audit log) uses it. Before that, or in a command
//! without a project, a one-time random key stands in: fingerprints then only tell values apart within one run.

use std::sync::OnceLock;

use super::FingerprintKey;

static KEY: OnceLock<FingerprintKey> = OnceLock::new();

/// Makes `key` the one every fingerprint of this process uses. False when a key was already in use (installed,
/// or a fingerprint was already made with the one-time key): the first one stays, so that one run never mixes two.
pub fn install_key(key: FingerprintKey) -> bool {
    KEY.set(key).is_ok()
}

/// The key fingerprints of this process use.
pub fn current_key() -> &'static FingerprintKey {
    KEY.get_or_init(FingerprintKey::generate)
}

/// The first 8 hex digits of HMAC-SHA256(key, value): enough to tell values apart, useless to recover them, and
/// without the key useless to confirm a guess.
pub fn fingerprint(value: &str) -> String {
    current_key().fingerprint(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_within_a_run_and_keyed() {
        assert_eq!(fingerprint("hello"), fingerprint("hello"));
        assert_ne!(fingerprint("hello"), fingerprint("hello!"));
        // Not the unkeyed sha256("hello") = 2cf24dba... that a word list could be checked against.
        assert_ne!(fingerprint("hello"), "2cf24dba");
        assert_eq!(fingerprint("hello"), current_key().fingerprint("hello"));
    }
}
