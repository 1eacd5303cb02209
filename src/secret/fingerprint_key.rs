//! The key that makes fingerprints keyed: 32 random bytes, kept as 64 hex characters in a 0600 file.

use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// A fingerprint key. A fingerprint is the first 8 hex digits of HMAC-SHA256(key bytes, value bytes), so that a
/// shared report cannot be used to confirm a guessed value without the key:
/// `printf %s VALUE | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(cat KEYFILE)` gives the same digits.
#[derive(Clone)]
pub struct FingerprintKey {
    bytes: Zeroizing<[u8; 32]>,
}

/// A key file that does not hold a key.
#[derive(Debug, thiserror::Error)]
#[error("{path}: not a fingerprint key (expected 64 hex characters on one line, as `openssl rand -hex 32` prints)")]
pub struct BadKeyFile {
    pub path: String,
}

impl FingerprintKey {
    /// A new key from the OS CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::fill(&mut bytes[..]);
        FingerprintKey { bytes }
    }

    /// The key a key file's text holds (64 hex characters; surrounding white space ignored).
    pub fn parse(text: &str, path: &Path) -> Result<Self, BadKeyFile> {
        let bad = || BadKeyFile { path: path.display().to_string() };
        let hex_text = text.trim();
        let mut bytes = Zeroizing::new([0u8; 32]);
        if hex_text.len() != 64 {
            return Err(bad());
        }
        hex::decode_to_slice(hex_text, &mut bytes[..]).map_err(|_| bad())?;
        Ok(FingerprintKey { bytes })
    }

    /// The key as the file holds it: 64 lower-case hex characters and a line break.
    pub fn to_file_text(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("{}\n", hex::encode(&self.bytes[..])))
    }

    /// The fingerprint of `value` under this key.
    pub fn fingerprint(&self, value: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.bytes[..]).expect("HMAC takes a key of any length");
        mac.update(value.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..4])
    }

    /// Which key this is, for a report to say (so that a baseline knows whether its fingerprints are comparable):
    /// the fingerprint of a fixed label, which tells nothing about any value.
    pub fn id(&self) -> String {
        self.fingerprint("docker-secops fingerprint key id")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn is_hmac_sha256_of_the_value_under_the_key() {
        let key = FingerprintKey::parse(&format!("{KEY}\n"), Path::new("k")).expect("key");
        // Fixed vector: `printf %s changeme | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f`.
        assert_eq!(key.fingerprint("changeme"), "99540b2d");
        // The same as openssl computes, when it is installed.
        let openssl = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf %s postgres | openssl dgst -sha256 -mac HMAC -macopt hexkey:{KEY}"))
            .output();
        match openssl {
            Ok(out) if out.status.success() => {
                let text = String::from_utf8_lossy(&out.stdout);
                let digest = text.rsplit(' ').next().unwrap_or_default().trim();
                assert_eq!(key.fingerprint("postgres"), digest[..8], "{text}");
            }
            _ => eprintln!("openssl not found: only the fixed vector was compared"),
        }
        assert_ne!(key.fingerprint("postgres"), FingerprintKey::generate().fingerprint("postgres"));
    }

    #[test]
    fn key_files_hold_64_hex_characters() {
        let key = FingerprintKey::generate();
        let text = key.to_file_text();
        assert_eq!(text.len(), 65);
        let again = FingerprintKey::parse(&text, Path::new("k")).expect("round trip");
        assert_eq!(again.fingerprint("x"), key.fingerprint("x"));
        for bad in ["", "abc", &KEY[..63], &format!("{}zz", &KEY[..62]), &format!("{KEY}00")] {
            let err = FingerprintKey::parse(bad, Path::new("/p/fingerprint.key")).err().expect("refused");
            assert!(err.to_string().starts_with("/p/fingerprint.key: not a fingerprint key"), "{err}");
        }
    }
}
