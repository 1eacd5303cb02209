//! What a rotation hands a store kind to open its store.

use super::{StoreAddress, StoreLocator, StoreSpec};
use crate::secret::Secret;

/// An admin login used to change another user's password (`--admin-user`; its password comes from stdin).
#[derive(Debug, Clone)]
pub struct Admin {
    pub user: String,
    pub password: Secret,
}

/// Everything a store kind needs to open its store for a rotation.
#[derive(Debug)]
pub struct OpenRequest {
    /// The plan's store: service, user and database.
    pub spec: StoreSpec,
    /// Where the server answers now.
    pub address: StoreAddress,
    /// How to find the server again after its container is recreated (none for a `--store-uri`).
    pub locator: Option<StoreLocator>,
    /// The credential the server accepts now.
    pub login: Secret,
    /// Change the password as this admin instead of as the user.
    pub admin: Option<Admin>,
    /// `--via-exec`: change the password from inside the server's container instead of over the network.
    pub via_exec: Option<ContainerExec>,
}

/// The server's container and how to run `docker exec` in it (`--via-exec`).
#[derive(Debug, Clone)]
pub struct ContainerExec {
    /// The docker binary (the one that invoked the plugin).
    pub docker: String,
    /// Docker's global flags, passed on unchanged.
    pub global_args: Vec<String>,
    /// The container's ID.
    pub container: String,
    /// The container's image, for stores whose images differ in what they trust.
    pub image: String,
}
