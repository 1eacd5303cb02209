//! The store of secrets that live only in env files (JWT secrets, API keys): nothing to change outside the files.

use crate::secret::Secret;
use crate::stores::{CredentialStore, Probe, StoreError};

/// No external store: every step succeeds, and "logs in" means the value exists.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvOnly;

impl CredentialStore for EnvOnly {
    fn describe(&self) -> String {
        "env files only".to_string()
    }

    fn dual_window(&self) -> bool {
        false
    }

    fn external(&self) -> bool {
        false
    }

    async fn probe(&self, secret: &Secret) -> Probe {
        if secret.is_empty() { Probe::Rejected } else { Probe::Ok }
    }

    async fn set(&self, _current: &Secret, _new: &Secret) -> Result<(), StoreError> {
        Ok(())
    }

    async fn test(&self, _new: &Secret) -> Result<(), StoreError> {
        Ok(())
    }

    async fn finish(&self, _old: &Secret, _new: &Secret) -> Result<(), StoreError> {
        Ok(())
    }

    async fn rollback(&self, _old: &Secret, _new: &Secret) -> Result<(), StoreError> {
        Ok(())
    }
}
