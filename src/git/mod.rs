//! Read-only git access for the checks that look at version control: tracking, ignore rules, history scan.
//!
//! Built on `gix` (pure Rust, no libgit2, no `git` subprocess). The checks only ever ask four questions — which
//! repository holds this file, is it in the index, do the ignore rules exclude it, and does a live secret appear
//! anywhere in history — so this module answers exactly those and hides every gix type behind [`GitRepo`].

mod git_error;
mod git_repo;
mod history_hit;
mod history_scan;
mod history_walker;
mod needle_matcher;
mod scan_stats;
#[cfg(test)]
mod test_repo;
mod window_index;

pub use git_error::GitError;
pub use git_repo::GitRepo;
pub use history_hit::HistoryHit;
pub use history_scan::{HistoryScan, MAX_BLOB_SIZE};
pub use scan_stats::ScanStats;
