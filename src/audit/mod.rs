//! The append-only audit log of rotations (`audit.jsonl` in the project's state directory) and its reader.

mod archive;
mod audit_entry;
mod audit_log;

pub use archive::{ArchiveError, archive_revoked, parse_recipient};
pub use audit_entry::{AuditEntry, INITIALISED};
pub use audit_log::{AUDIT_DIR, AUDIT_FILE, AuditLog};
