//! One secret reference of a Swarm service moved from one object to another at the same target, as a rolling
//! update does it (`docker service update --secret-rm OLD --secret-add source=NEW,target=SAME`).

/// Point every reference to object `from` at object `to` (whose id is `to_id`), keeping target, owner and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRebind {
    pub from: String,
    pub to: String,
    pub to_id: String,
}
