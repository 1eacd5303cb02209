//! Every entry under a directory with its bytes (or size for big files), mode and mtime: taken before and after a
//! command, two snapshots are equal only when the command changed nothing on disk.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Files up to this size are compared byte for byte; bigger ones by size, inode and mtime.
const MAX_COMPARED_BYTES: u64 = 1 << 20;

/// One entry's state: kind, mode, mtime in nanoseconds, and content (file bytes, link target, or nothing).
#[derive(Debug, PartialEq, Eq)]
struct EntryState {
    kind: &'static str,
    mode: u32,
    mtime_ns: i128,
    size: u64,
    inode: u64,
    content: Vec<u8>,
}

/// The state of a directory tree (symlinks are not followed).
#[derive(Debug, PartialEq, Eq)]
pub struct TreeSnapshot {
    entries: BTreeMap<PathBuf, EntryState>,
}

impl TreeSnapshot {
    /// Snapshots `root` and everything below it.
    pub fn of(root: &Path) -> TreeSnapshot {
        let mut entries = BTreeMap::new();
        walk(root, root, &mut entries);
        TreeSnapshot { entries }
    }

    /// Panics with the differing entries when `root` no longer matches this snapshot.
    pub fn assert_unchanged(&self, root: &Path) {
        let now = TreeSnapshot::of(root);
        let mut diffs = Vec::new();
        for (path, state) in &self.entries {
            match now.entries.get(path) {
                None => diffs.push(format!("removed: {}", path.display())),
                Some(after) if after != state => {
                    diffs.push(format!("changed: {} ({} -> {})", path.display(), describe(state), describe(after)))
                }
                Some(_) => {}
            }
        }
        diffs.extend(
            now.entries.keys().filter(|p| !self.entries.contains_key(*p)).map(|p| format!("added: {}", p.display())),
        );
        assert!(diffs.is_empty(), "the command changed the disk under {}:\n{}", root.display(), diffs.join("\n"));
    }
}

fn walk(root: &Path, dir: &Path, entries: &mut BTreeMap<PathBuf, EntryState>) {
    let Ok(listing) = std::fs::read_dir(dir) else { return };
    for entry in listing {
        let path = entry.expect("dir entry").path();
        let meta = std::fs::symlink_metadata(&path).expect("lstat");
        let (kind, content) = if meta.file_type().is_symlink() {
            ("link", std::fs::read_link(&path).expect("readlink").into_os_string().into_encoded_bytes())
        } else if meta.is_dir() {
            ("dir", Vec::new())
        } else if meta.len() <= MAX_COMPARED_BYTES {
            // An unreadable file (chmod 000 when not root) is compared by metadata alone.
            ("file", std::fs::read(&path).unwrap_or_default())
        } else {
            ("file", Vec::new())
        };
        let mtime_ns = i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec());
        let state = EntryState { kind, mode: meta.mode(), mtime_ns, size: meta.len(), inode: meta.ino(), content };
        let relative = path.strip_prefix(root).expect("below root").to_path_buf();
        entries.insert(relative, state);
        if meta.is_dir() {
            walk(root, &path, entries);
        }
    }
}

fn describe(state: &EntryState) -> String {
    format!("{} mode {:o} mtime {} size {}", state.kind, state.mode, state.mtime_ns, state.size)
}
