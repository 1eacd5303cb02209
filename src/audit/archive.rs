//! The archive of revoked credentials: each old value encrypted to an age recipient, never stored in plaintext.

use std::io::Write;
use std::path::PathBuf;

use crate::envfile::write_atomic;
use crate::secret::Secret;
use crate::state_dir::StateDir;

/// Why a value could not be archived.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{0:?} is not an age X25519 recipient (age1...): {1}")]
    Recipient(String, String),
    #[error("cannot encrypt the revoked value: {0}")]
    Encrypt(String),
    #[error("cannot write the archive {}: {source}", .path.display())]
    Write { path: PathBuf, source: crate::envfile::EnvError },
    #[error("cannot create {}: {source}", .path.display())]
    Dir { path: PathBuf, source: std::io::Error },
}

/// Checks that `recipient` is an age X25519 public key (done before a rotation changes anything).
pub fn parse_recipient(recipient: &str) -> Result<age::x25519::Recipient, ArchiveError> {
    recipient.trim().parse().map_err(|e: &str| ArchiveError::Recipient(recipient.to_string(), e.to_string()))
}

/// Encrypts `value` (the revoked `key`) to `recipient` and stores it as `archive/<KEY>.<UTC time>.age` (0600) in
/// the project's state directory. Returns the archive path.
pub fn archive_revoked(state: &StateDir, key: &str, value: &Secret, recipient: &str) -> Result<PathBuf, ArchiveError> {
    let recipient = parse_recipient(recipient)?;
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| ArchiveError::Encrypt(e.to_string()))?;
    let mut sealed = Vec::new();
    let mut writer = encryptor.wrap_output(&mut sealed).map_err(|e| ArchiveError::Encrypt(e.to_string()))?;
    writer.write_all(value.expose().as_bytes()).map_err(|e| ArchiveError::Encrypt(e.to_string()))?;
    writer.finish().map_err(|e| ArchiveError::Encrypt(e.to_string()))?;
    let dir = state.archive();
    state.create_sub(&dir).map_err(|source| ArchiveError::Dir { path: dir.clone(), source })?;
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let path = dir.join(format!("{key}.{stamp}.age"));
    write_atomic(&path, &sealed).map_err(|source| ArchiveError::Write { path: path.clone(), source })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn archives_decrypt_with_the_identity_and_hold_no_plaintext() {
        use age::secrecy::ExposeSecret;
        let dir = tempfile::tempdir().expect("tempdir");
        let identity = age::x25519::Identity::generate();
        let recipient = identity.to_public().to_string();
        let value = Secret::new("revoked-value-1234567890");
        let path =
            archive_revoked(&StateDir::of_project(dir.path()), "REDIS_PASSWORD", &value, &recipient).expect("archive");
        let sealed = std::fs::read(&path).expect("read");
        assert!(!String::from_utf8_lossy(&sealed).contains("revoked-value"));
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
        let decryptor = age::Decryptor::new(&sealed[..]).expect("age file");
        let mut reader = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).expect("decrypts");
        let mut plain = String::new();
        reader.read_to_string(&mut plain).expect("read");
        assert_eq!(plain, "revoked-value-1234567890");
        let _ = identity.to_string().expose_secret().len();
    }

    #[test]
    fn a_bad_recipient_is_refused() {
        assert!(matches!(parse_recipient("ssh-rsa AAAA"), Err(ArchiveError::Recipient(..))));
    }
}
