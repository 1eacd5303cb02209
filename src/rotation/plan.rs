//! What a rotation will do, decided before anything changes: `--dry-run` prints it, the journal records it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::secret::SecretKind;
use crate::stores::StoreSpec;

/// One change to one env file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvEdit {
    pub file: PathBuf,
    pub key: String,
    /// The value embeds the secret (a URL): the old value inside it is replaced, the rest kept.
    pub embedded: bool,
}

/// The plan of one rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationPlan {
    /// The key rotated.
    pub key: String,
    pub kind: SecretKind,
    /// Generated length (the kind's default when `None`).
    pub length: Option<usize>,
    pub store: StoreSpec,
    /// The env file that defines the key (audit log and backups live beside it).
    pub primary_file: PathBuf,
    /// Every edit, the primary one first.
    pub edits: Vec<EnvEdit>,
    /// Keys whose value contains the old value's bytes other than whole or as a URL's password (`DB_HOST=postgresql`
    /// when `postgres` is rotated): left alone, and said so in the plan.
    #[serde(default)]
    pub partial_matches: Vec<(PathBuf, String)>,
    /// SHA-256 of each edited file when planned: a file changed by someone else before commit is refused.
    pub file_hashes: Vec<(PathBuf, String)>,
    /// Services to recreate, in order (dependencies first).
    pub consumers: Vec<String>,
    /// The store's own service, recreated after the consumers because it reads the value when it starts.
    pub store_restart: Option<String>,
    /// `--keep-previous NAME`: the old value is written to this key for apps that accept both for a while.
    pub keep_previous: Option<String>,
    /// Directory for the lock and the journal (`.secops/` in the project or beside the env file).
    pub state_dir: PathBuf,
    /// The compose project name, when there is a project.
    pub project: Option<String>,
    /// An age X25519 recipient: the revoked value is archived encrypted to it (`--archive-recipient`).
    #[serde(default)]
    pub archive_recipient: Option<String>,
}

impl RotationPlan {
    /// Every service the rotation recreates, in order.
    pub fn recreate_order(&self) -> Vec<String> {
        self.consumers.iter().cloned().chain(self.store_restart.clone()).collect()
    }
}
