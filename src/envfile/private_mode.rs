//! Making a secret file private before a new secret is written into it: `check` warns about a group- or
//! world-readable env file, and a rotation must not leave a freshly generated value in one.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// A file whose mode was tightened: from `before` to `after` (permission bits only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tightened {
    pub before: u32,
    pub after: u32,
}

/// Removes the group and other permission bits of `path` when it has any, keeping the owner's (0644 -> 0600,
/// 0640 -> 0600, 0755 -> 0700). `None` when the file was private already. The atomic write that follows keeps the
/// mode, so the new value never sits in a readable file.
pub fn make_private(path: &Path) -> std::io::Result<Option<Tightened>> {
    let before = std::fs::metadata(path)?.permissions().mode() & 0o7777;
    if before & 0o077 == 0 {
        return Ok(None);
    }
    let after = before & !0o077;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(after))?;
    Ok(Some(Tightened { before, after }))
}

/// Puts back the permission bits `mode` of `path` (undoing [`make_private`] when what followed failed).
pub fn restore_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_readable_file_loses_group_and_other_bits_and_a_private_one_is_left() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".env");
        std::fs::write(&path, "A=1\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(make_private(&path).expect("tighten"), Some(Tightened { before: 0o644, after: 0o600 }));
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
        assert_eq!(make_private(&path).expect("again"), None);
    }
}
