//! What a rotation will do, decided before anything changes: `--dry-run` prints it, the journal records it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::secret::SecretKind;
use crate::state_dir::StateDir;
use crate::stores::StoreSpec;

/// How an edit changes its file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EditKind {
    /// An env file's `KEY=value`: the value is replaced.
    #[default]
    Value,
    /// An env file's value embedding the secret (a URL): the old value inside it is replaced, the rest kept.
    Embedded,
    /// A compose `file:` secret: the whole content is the value; its trailing line breaks, mode and owner are kept.
    SecretFile,
    /// On a Swarm stack, the env file variable giving a secret's `name:` its version: set to the new object's
    /// version (see [`super::SecretObjectSwap::version_variable`]). No secret.
    Version,
}

/// One change to one file: an env file's key, or a whole secret file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "EditRecord")]
pub struct FileEdit {
    pub file: PathBuf,
    /// The env key, or for a secret file the compose secret's key.
    pub key: String,
    pub kind: EditKind,
}

impl FileEdit {
    /// True for a value embedding the secret (a URL).
    pub fn embedded(&self) -> bool {
        self.kind == EditKind::Embedded
    }

    /// True for a whole secret file.
    pub fn whole_file(&self) -> bool {
        self.kind == EditKind::SecretFile
    }
}

/// A [`FileEdit`] as journals record it; journals written before edit kinds existed say `embedded` only.
#[derive(Deserialize)]
struct EditRecord {
    file: PathBuf,
    key: String,
    #[serde(default)]
    kind: Option<EditKind>,
    #[serde(default)]
    embedded: bool,
}

impl From<EditRecord> for FileEdit {
    fn from(record: EditRecord) -> Self {
        let kind = record.kind.unwrap_or(if record.embedded { EditKind::Embedded } else { EditKind::Value });
        FileEdit { file: record.file, key: record.key, kind }
    }
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
    /// The file that defines the value: the env file defining the key, or the compose secret's file.
    pub primary_file: PathBuf,
    /// Every edit, the primary one first.
    pub edits: Vec<FileEdit>,
    /// Keys whose value contains the old value's bytes other than whole or as a URL's password (`DB_HOST=postgresql`
    /// when `postgres` is rotated): left alone, and said so in the plan.
    #[serde(default)]
    pub partial_matches: Vec<(PathBuf, String)>,
    /// SHA-256 of each edited file when planned: a file changed by someone else before commit is refused.
    pub file_hashes: Vec<(PathBuf, String)>,
    /// Container paths where consumers read the rotated value as a compose secret (`/run/secrets/db_password`):
    /// each recreated container must show the new value there.
    #[serde(default)]
    pub secret_targets: Vec<String>,
    /// Services to recreate, in order (dependencies first).
    pub consumers: Vec<String>,
    /// The store's own service, recreated after the consumers because it reads the value when it starts.
    pub store_restart: Option<String>,
    /// `--keep-previous NAME`: the old value is written to this key for apps that accept both for a while.
    pub keep_previous: Option<String>,
    /// The project's state directory (journal, lock, audit log, backups, archive): `<project dir>/.secops`, or
    /// `.secops` beside the env file in the offline form. See [`StateDir`].
    pub state_dir: PathBuf,
    /// The compose project name, when there is a project.
    pub project: Option<String>,
    /// An age X25519 recipient: the revoked value is archived encrypted to it (`--archive-recipient`).
    #[serde(default)]
    pub archive_recipient: Option<String>,
    /// On a Swarm stack: each rotated compose secret's object and the versioned one replacing it (filled in
    /// before staging; empty for compose).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_objects: Vec<super::SecretObjectSwap>,
    /// The Swarm stack whose services the rotation updates, when it runs on one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
}

impl RotationPlan {
    /// Every service the rotation recreates, in order.
    pub fn recreate_order(&self) -> Vec<String> {
        self.consumers.iter().cloned().chain(self.store_restart.clone()).collect()
    }

    /// What a container recreated with `value` must hold: the key in its environment (when it gets it) and each
    /// secret target (a container path: see [`crate::rotation::Recreator::recreate`]).
    pub fn expectations(&self, value: &crate::secret::Secret) -> Vec<(String, crate::secret::Secret)> {
        std::iter::once(&self.key).chain(&self.secret_targets).map(|k| (k.clone(), value.clone())).collect()
    }

    /// True when the rotation edits secret files: containers see a renamed-over file only once recreated.
    pub fn edits_secret_files(&self) -> bool {
        self.edits.iter().any(FileEdit::whole_file)
    }

    /// The value the version edit of `key` writes, and the one it held before.
    pub fn version_of(&self, key: &str) -> Option<(String, &str)> {
        self.secret_objects.iter().find_map(|swap| {
            let variable = swap.version_variable.as_ref().filter(|v| v.key == key)?;
            Some((swap.version.to_string(), variable.old.as_str()))
        })
    }

    /// On stack `stack`: records it and `swaps`, and adds an edit for each version variable among them, with the
    /// hash of its file as it is now unless the plan edits that file already.
    pub fn on_stack(&mut self, stack: &str, swaps: Vec<super::SecretObjectSwap>) -> std::io::Result<()> {
        self.stack = Some(stack.to_string());
        for variable in swaps.iter().filter_map(|s| s.version_variable.as_ref()) {
            if !self.file_hashes.iter().any(|(p, _)| *p == variable.file) {
                let doc = crate::envfile::EnvDocument::read(&variable.file).map_err(std::io::Error::other)?;
                self.file_hashes.push((variable.file.clone(), doc.content_hash()));
            }
            let edit = FileEdit { file: variable.file.clone(), key: variable.key.clone(), kind: EditKind::Version };
            self.edits.push(edit);
        }
        self.secret_objects = swaps;
        Ok(())
    }

    /// The state directory this rotation writes to.
    pub fn state(&self) -> StateDir {
        StateDir::at(&self.state_dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_of_journals_without_kinds_still_load() {
        let old: FileEdit = serde_json::from_str(r#"{"file":"/p/.env","key":"URL","embedded":true}"#).expect("old");
        assert_eq!(old.kind, EditKind::Embedded);
        let plain: FileEdit = serde_json::from_str(r#"{"file":"/p/.env","key":"K","embedded":false}"#).expect("plain");
        assert_eq!(plain.kind, EditKind::Value);
        let edit = FileEdit { file: "/p/pw.txt".into(), key: "db_password".into(), kind: EditKind::SecretFile };
        let back: FileEdit = serde_json::from_str(&serde_json::to_string(&edit).expect("json")).expect("load");
        assert_eq!(back, edit);
    }
}
