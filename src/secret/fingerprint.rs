//! Short fingerprints that identify a value in output without revealing it, keyed with the project's key.
//!
//! The key is process-wide because a [`super::Secret`] prints as its fingerprint (`Display` takes no argument):
//! a command installs its project's key once, right after loading the project, and everything it prints or logs
//! (check findings, inventory, status, rotation plans, the audit log) uses it. Before that, or in a command
//! without a project, a one-time random key stands in: fingerprints then only tell values apart within one run.

use std::sync::OnceLock;

use super::{FingerprintKey, ProjectKey};
use crate::state_dir::StateDir;

static KEY: OnceLock<FingerprintKey> = OnceLock::new();

/// A project key that does not exist yet: made at the first fingerprint, so that a run that makes none (a lint,
/// a refused rotation) writes nothing.
struct Pending {
    state: StateDir,
    note: fn(&str),
}

static PENDING: OnceLock<Pending> = OnceLock::new();

/// Makes `key` the one every fingerprint of this process uses. False when a key was already in use (installed,
/// or a fingerprint was already made with the one-time key): the first one stays, so that one run never mixes two.
pub fn install_key(key: FingerprintKey) -> bool {
    KEY.set(key).is_ok()
}

/// Makes the key of the project in `state`, created at the first fingerprint, the one this process uses; `note`
/// is called with what to tell the user when it cannot be kept (a one-time key is used then). False as for
/// [`install_key`].
pub fn install_project_key(state: StateDir, note: fn(&str)) -> bool {
    KEY.get().is_none() && PENDING.set(Pending { state, note }).is_ok()
}

/// The key fingerprints of this process use (created now when it is a pending project key).
pub fn current_key() -> &'static FingerprintKey {
    KEY.get_or_init(|| match PENDING.get() {
        Some(pending) => {
            let chosen = ProjectKey::create(&pending.state);
            if let Some(note) = &chosen.note {
                (pending.note)(note);
            }
            chosen.key
        }
        None => FingerprintKey::generate(),
    })
}

/// The key fingerprints were made with so far, if any was made.
pub fn key_in_use() -> Option<&'static FingerprintKey> {
    KEY.get()
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
