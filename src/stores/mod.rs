//! Credential stores behind one trait: Redis (ACL dual-password window), MongoDB (`updateUser`), env-only.

mod credential_store;
mod env_only;

pub use credential_store::{CredentialStore, Probe, StoreError};
pub use env_only::EnvOnly;
