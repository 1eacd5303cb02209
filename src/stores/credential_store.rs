//! The one interface the rotation engine uses to change a credential, so it never names Redis or MongoDB.

use std::future::Future;

use super::Probe;
use crate::secret::Secret;

/// A store failure, naming the store and what it was doing. Never holds a secret.
#[derive(Debug, thiserror::Error)]
#[error("{store}: {action} failed: {reason}")]
pub struct StoreError {
    pub store: String,
    pub action: &'static str,
    pub reason: String,
}

/// A place that checks a credential: Redis, MongoDB, or nothing (env-only secrets).
pub trait CredentialStore {
    /// A short name for messages (`redis at 172.18.0.2:6379`).
    fn describe(&self) -> String;

    /// True when old and new passwords can both be valid for a while (Redis ACL), so consumers never see a
    /// rejection during the switch.
    fn dual_window(&self) -> bool;

    /// False for a store that is only the env files: there is nothing outside them to set or test.
    fn external(&self) -> bool {
        true
    }

    /// Tries to log in with `secret`.
    fn probe(&self, secret: &Secret) -> impl Future<Output = Probe>;

    /// Makes `new` valid, authenticating with `current`. With a dual window `current` stays valid.
    fn set(&self, current: &Secret, new: &Secret) -> impl Future<Output = Result<(), StoreError>>;

    /// Logs in with `new` on a fresh connection and does a real read and write.
    fn test(&self, new: &Secret) -> impl Future<Output = Result<(), StoreError>>;

    /// Revokes `old` where it is still valid (the end of the dual window).
    fn finish(&self, old: &Secret, new: &Secret) -> impl Future<Output = Result<(), StoreError>>;

    /// Undoes `set`: `old` valid again, `new` revoked.
    fn rollback(&self, old: &Secret, new: &Secret) -> impl Future<Output = Result<(), StoreError>>;

    /// Looks the store up again after its container was recreated (a new IP, a new published port). Stores
    /// reached at a fixed address do nothing.
    fn relocate(&self) -> impl Future<Output = ()> {
        async {}
    }
}
