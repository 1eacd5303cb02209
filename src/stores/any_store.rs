//! One of the stores, chosen at run time from the plan (the trait's async methods are not object-safe).

use super::{CredentialStore, EnvOnly, MongoStore, Probe, RedisStore, StoreError};
use crate::secret::Secret;

/// Redis, MongoDB or env-only, behind the `CredentialStore` trait.
#[derive(Debug)]
pub enum AnyStore {
    Redis(RedisStore),
    Mongo(MongoStore),
    Env(EnvOnly),
}

macro_rules! each {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            AnyStore::Redis($s) => $e,
            AnyStore::Mongo($s) => $e,
            AnyStore::Env($s) => $e,
        }
    };
}

impl CredentialStore for AnyStore {
    fn describe(&self) -> String {
        each!(self, s => s.describe())
    }

    fn dual_window(&self) -> bool {
        each!(self, s => s.dual_window())
    }

    fn external(&self) -> bool {
        each!(self, s => s.external())
    }

    async fn probe(&self, secret: &Secret) -> Probe {
        each!(self, s => s.probe(secret).await)
    }

    async fn set(&self, current: &Secret, new: &Secret) -> Result<(), StoreError> {
        each!(self, s => s.set(current, new).await)
    }

    async fn test(&self, new: &Secret) -> Result<(), StoreError> {
        each!(self, s => s.test(new).await)
    }

    async fn finish(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        each!(self, s => s.finish(old, new).await)
    }

    async fn rollback(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        each!(self, s => s.rollback(old, new).await)
    }

    async fn relocate(&self) {
        each!(self, s => s.relocate().await)
    }
}
