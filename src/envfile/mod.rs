//! `.env` documents in compose's env-file syntax: parsing with positions, format-preserving edits, atomic writes
//! and backups. (Being written: see the envfile helper's task.)

mod entry;
mod quote;

pub use entry::Entry;
pub use quote::Quote;
