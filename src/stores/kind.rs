//! The one interface a kind of credential store implements: everything the rest of the program needs to know
//! about it, so that adding a store is one module under `stores/` and one line in [`super::StoreKind`]'s registry.

use futures_util::future::LocalBoxFuture;

use super::{AnyStore, KindInfo, OpenRequest, Probe, StoreAddress, StoreError, StoreSpec};
use crate::envfile::EnvDocument;
use crate::project::{Project, SecretDecl, Service};
use crate::secret::Secret;

/// A kind of credential store (Redis, MongoDB, env files only, ...). Implementations are unit structs listed in the
/// registry; callers hold them as a [`super::StoreKind`].
pub trait Kind: Sync {
    /// The kind's names, images, port and user variables (data, no behaviour).
    fn info(&self) -> &'static KindInfo;

    /// The key whose value is the password the store service `service` checks; `values` (key, value) are where a
    /// literal password found in its configuration is looked up. `None` when the service takes no password.
    fn password_key<'v>(
        &self,
        service: &Service,
        values: &mut dyn Iterator<Item = (&'v str, &'v str)>,
    ) -> Option<String>;

    /// Every key whose value logs in to `service` (what `status` probes): the password key, and variables the
    /// server reads itself when the password key is only interpolated into them.
    fn login_keys(&self, service: &Service, password_key: Option<String>) -> Vec<String> {
        let _ = service;
        password_key.into_iter().collect()
    }

    /// Keys that may hold the user name of the login `key` is the password of (what `status` probes as); the
    /// kind's user keys unless the key belongs to a fixed account (MariaDB's root password: empty, the default).
    fn login_user_keys(&self, key: &str) -> &'static [&'static str] {
        let _ = key;
        self.info().user_keys
    }

    /// The plan's store for the secret `decl` held by store service `service` (declared or found by image).
    fn spec(&self, project: &Project, docs: &[EnvDocument], decl: &SecretDecl, service: Option<String>) -> StoreSpec;

    /// True when the server reads the password from its environment or command every time it starts, so its own
    /// container is recreated (last) when it carries the value.
    fn reads_password_at_start(&self) -> bool;

    /// One line for the plan: what `set` does and whether old and new passwords overlap.
    fn summary(&self, spec: &StoreSpec) -> String;

    /// Tries to log in as `spec`'s user with `secret` and run one command.
    fn probe<'a>(
        &'a self,
        address: &'a StoreAddress,
        spec: &'a StoreSpec,
        secret: &'a Secret,
    ) -> LocalBoxFuture<'a, Probe>;

    /// Opens the store for a rotation, logged in as the request says.
    fn open<'a>(&'a self, request: OpenRequest) -> LocalBoxFuture<'a, Result<AnyStore, StoreError>>;
}
