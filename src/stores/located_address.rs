//! Where a store answers, and how to find it again once a rotation recreated its container (a new container gets
//! a new IP, on a Swarm stack a new address on the gateway bridge, and a port published as `127.0.0.1::6379` a new
//! host port). Every store kind keeps its address in one of these.

use std::sync::RwLock;

use super::{StoreAddress, StoreLocator};

/// A store's address, replaced by [`LocatedAddress::relocate`] when the engine knows a newer one.
#[derive(Debug)]
pub struct LocatedAddress {
    address: RwLock<StoreAddress>,
    locator: Option<StoreLocator>,
}

impl Clone for LocatedAddress {
    fn clone(&self) -> Self {
        LocatedAddress::new(self.current(), self.locator.clone())
    }
}

impl LocatedAddress {
    /// `address`, found again through `locator` when there is one (not for a `--store-uri`).
    pub fn new(address: StoreAddress, locator: Option<StoreLocator>) -> Self {
        LocatedAddress { address: RwLock::new(address), locator }
    }

    /// Where the store answers now.
    pub fn current(&self) -> StoreAddress {
        self.address.read().map(|a| a.clone()).unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// Looks the store's container up again. Not found: the old address stays, and the next call reports the store
    /// unreachable there.
    pub async fn relocate(&self) {
        let Some(locator) = &self.locator else { return };
        if let Ok(found) = locator.locate().await
            && let Ok(mut address) = self.address.write()
        {
            *address = found;
        }
    }
}
