//! The live login attempt made for one key.

use crate::stores::{Probe, StoreKind};

/// Which store a key's value was tried against, where, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeResult {
    pub kind: StoreKind,
    /// The compose service that runs the store.
    pub store_service: String,
    /// The address tried (never with credentials), when one could be worked out.
    pub address: Option<String>,
    pub probe: Probe,
}
