//! The append-only audit log of rotations (`.secops/audit.jsonl` beside the env file) and its reader.

mod audit_entry;
mod audit_log;

pub use audit_entry::AuditEntry;
pub use audit_log::{AUDIT_DIR, AUDIT_FILE, AuditLog};
