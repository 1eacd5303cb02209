//! What `status` should do beyond comparing env files with containers.

use crate::stores::{AddressError, StoreKind};

/// Options of the status collection.
#[derive(Debug, Clone, Default)]
pub struct StatusOptions {
    /// Log in to the stores with the env files' credentials.
    pub probe: bool,
    /// `--store-uri` (and its aliases): reach the store whose scheme each names here instead of working out its
    /// address.
    pub store_uris: Vec<String>,
    /// `--stack NAME`: the deployment is Swarm stack NAME (its task containers on this node), not compose
    /// containers.
    pub stack: Option<String>,
}

impl StatusOptions {
    /// The hand-given URI for stores of `kind`, if any; an error when a URI's scheme names no store.
    pub fn store_uri(&self, kind: StoreKind) -> Result<Option<&str>, AddressError> {
        for uri in &self.store_uris {
            if StoreKind::from_uri(uri)? == kind {
                return Ok(Some(uri));
            }
        }
        Ok(None)
    }
}
