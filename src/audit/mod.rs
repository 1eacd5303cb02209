//! The append-only audit log of rotations (`.secops/audit.jsonl` beside the env file) and its reader.

mod archive;
mod audit_entry;
mod audit_log;

pub use archive::{ArchiveError, archive_revoked, parse_recipient};
pub use audit_entry::{AuditEntry, INITIALISED};
pub use audit_log::{AUDIT_DIR, AUDIT_FILE, AuditLog};
