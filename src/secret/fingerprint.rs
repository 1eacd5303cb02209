//! Short fingerprints that identify a value in output without revealing it.

use sha2::{Digest, Sha256};

/// The first 8 hex digits of the value's SHA-256: enough to tell values apart, useless to recover them.
pub fn fingerprint(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    hex::encode(&digest[..4])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_eight_hex_of_sha256() {
        // sha256("hello") = 2cf24dba...
        assert_eq!(fingerprint("hello"), "2cf24dba");
    }
}
