//! One of the stores, chosen at run time from the plan: `CredentialStore`'s async methods are not object-safe, so
//! a private boxed twin of the trait carries any store behind one type.

use std::fmt;

use futures_util::future::LocalBoxFuture;

use super::{CredentialStore, Probe, StoreError};
use crate::secret::Secret;

/// Any [`CredentialStore`], opened by its store kind.
pub struct AnyStore(Box<dyn DynStore>);

impl AnyStore {
    /// Wraps `store`.
    pub fn new(store: impl CredentialStore + 'static) -> Self {
        AnyStore(Box::new(store))
    }
}

impl fmt::Debug for AnyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AnyStore({})", self.0.describe())
    }
}

/// `CredentialStore` with boxed futures, implemented for every store.
trait DynStore {
    fn describe(&self) -> String;
    fn dual_window(&self) -> bool;
    fn external(&self) -> bool;
    fn probe<'a>(&'a self, secret: &'a Secret) -> LocalBoxFuture<'a, Probe>;
    fn set<'a>(&'a self, current: &'a Secret, new: &'a Secret) -> LocalBoxFuture<'a, Result<(), StoreError>>;
    fn test<'a>(&'a self, new: &'a Secret) -> LocalBoxFuture<'a, Result<(), StoreError>>;
    fn finish<'a>(&'a self, old: &'a Secret, new: &'a Secret) -> LocalBoxFuture<'a, Result<(), StoreError>>;
    fn rollback<'a>(&'a self, old: &'a Secret, new: &'a Secret) -> LocalBoxFuture<'a, Result<(), StoreError>>;
    fn relocate(&self) -> LocalBoxFuture<'_, ()>;
}

impl<T: CredentialStore> DynStore for T {
    fn describe(&self) -> String {
        CredentialStore::describe(self)
    }
    fn dual_window(&self) -> bool {
        CredentialStore::dual_window(self)
    }
    fn external(&self) -> bool {
        CredentialStore::external(self)
    }
    fn probe<'a>(&'a self, secret: &'a Secret) -> LocalBoxFuture<'a, Probe> {
        Box::pin(CredentialStore::probe(self, secret))
    }
    fn set<'a>(&'a self, current: &'a Secret, new: &'a Secret) -> LocalBoxFuture<'a, Result<(), StoreError>> {
        Box::pin(CredentialStore::set(self, current, new))
    }
    fn test<'a>(&'a self, new: &'a Secret) -> LocalBoxFuture<'a, Result<(), StoreError>> {
        Box::pin(CredentialStore::test(self, new))
    }
    fn finish<'a>(&'a self, old: &'a Secret, new: &'a Secret) -> LocalBoxFuture<'a, Result<(), StoreError>> {
        Box::pin(CredentialStore::finish(self, old, new))
    }
    fn rollback<'a>(&'a self, old: &'a Secret, new: &'a Secret) -> LocalBoxFuture<'a, Result<(), StoreError>> {
        Box::pin(CredentialStore::rollback(self, old, new))
    }
    fn relocate(&self) -> LocalBoxFuture<'_, ()> {
        Box::pin(CredentialStore::relocate(self))
    }
}

impl CredentialStore for AnyStore {
    fn describe(&self) -> String {
        self.0.describe()
    }

    fn dual_window(&self) -> bool {
        self.0.dual_window()
    }

    fn external(&self) -> bool {
        self.0.external()
    }

    async fn probe(&self, secret: &Secret) -> Probe {
        DynStore::probe(&*self.0, secret).await
    }

    async fn set(&self, current: &Secret, new: &Secret) -> Result<(), StoreError> {
        DynStore::set(&*self.0, current, new).await
    }

    async fn test(&self, new: &Secret) -> Result<(), StoreError> {
        DynStore::test(&*self.0, new).await
    }

    async fn finish(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        DynStore::finish(&*self.0, old, new).await
    }

    async fn rollback(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        DynStore::rollback(&*self.0, old, new).await
    }

    async fn relocate(&self) {
        DynStore::relocate(&*self.0).await
    }
}
