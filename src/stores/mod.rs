//! Credential stores: the databases that hold a credential the env files also hold. The rotation engine drives
//! them through one trait (`CredentialStore`: Redis with an ACL dual-password window, MongoDB with `updateUser`,
//! env-only secrets); `status` uses their live probes.

mod address_error;
mod any_store;
mod credential_store;
mod env_only;
pub mod mongo;
mod mongo_store;
mod probe;
pub mod redis;
mod redis_auth_mode;
mod redis_store;
mod store_address;
mod store_kind;
mod store_locator;

pub use address_error::AddressError;
pub use any_store::AnyStore;
pub use credential_store::{CredentialStore, StoreError};
pub use env_only::EnvOnly;
pub use mongo_store::{MongoAdmin, MongoStore};
pub use probe::Probe;
pub use redis_auth_mode::RedisAuthMode;
pub use redis_store::RedisStore;
pub use store_address::StoreAddress;
pub use store_kind::StoreKind;
pub use store_locator::StoreLocator;

use std::time::Duration;

/// How long a probe waits for a TCP connection: a store that does not answer in this time is `unreachable`.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a whole probe (connect, authenticate, one command) may take.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);
