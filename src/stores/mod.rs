//! Credential stores: the databases that hold a credential the env files also hold. Each kind is one module behind
//! one interface ([`Kind`]: images and variables it serves, port and URI scheme, probe, open) and the rotation
//! engine drives the opened store through [`CredentialStore`]; [`StoreKind`] lists the kinds, as `checks` lists
//! checks. No other layer names a store.

mod address_error;
mod any_store;
mod credential_store;
mod env;
mod kind;
mod kind_info;
mod located_address;
mod mariadb;
mod mongo;
mod mysql;
mod open_request;
mod postgres;
mod probe;
mod redis;
mod store_address;
mod store_kind;
mod store_locator;
mod store_spec;

pub use address_error::AddressError;
pub use any_store::AnyStore;
pub use credential_store::{CredentialStore, StoreError};
pub use env::EnvOnly;
pub use kind::Kind;
pub use kind_info::KindInfo;
pub use located_address::LocatedAddress;
pub use mariadb::MariaDbStore;
pub use mongo::MongoStore;
pub use mysql::MySqlStore;
pub use open_request::{Admin, ContainerExec, OpenRequest};
pub use postgres::{PostgresStore, ViaExec};
pub use probe::Probe;
pub use redis::{RedisAuthMode, RedisStore};
pub use store_address::{StoreAddress, URI_FLAG};
pub use store_kind::StoreKind;
pub use store_locator::StoreLocator;
pub use store_spec::StoreSpec;

use std::time::Duration;

/// How long a probe waits for a TCP connection: a store that does not answer in this time is `unreachable`.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a whole probe (connect, authenticate, one command) may take.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);
