//! Generation of new credentials, from the operating system's CSPRNG only.

use base64::Engine;
use rand::{TryRng, rngs::SysRng};

use super::{Secret, SecretKind};

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Why a secret could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("the operating system's random number generator failed: {0}")]
    Rng(String),
    #[error("a {} secret of {length} characters is too short: at least {min} are needed", kind.name())]
    TooShort { kind: SecretKind, length: usize, min: usize },
    #[error("a jwt secret is base64 and its length must be a multiple of 4, not {0}")]
    Base64Length(usize),
    #[error("{length} characters is more than the {max} this command generates")]
    TooLong { length: usize, max: usize },
}

/// The longest secret we generate: far beyond any real need, small enough to keep output sane.
pub const MAX_LENGTH: usize = 4096;

/// Generates a secret of `kind`, `length` characters long (its default when `None`).
pub fn generate(kind: SecretKind, length: Option<usize>) -> Result<Secret, GenerateError> {
    let length = length.unwrap_or(kind.default_length());
    if length < kind.min_length() {
        return Err(GenerateError::TooShort { kind, length, min: kind.min_length() });
    }
    if length > MAX_LENGTH {
        return Err(GenerateError::TooLong { length, max: MAX_LENGTH });
    }
    let value = match kind {
        SecretKind::Password => alphanumeric(length)?,
        SecretKind::Hex => {
            let bytes = random_bytes(length.div_ceil(2))?;
            let mut text = hex::encode(bytes);
            text.truncate(length);
            text
        }
        SecretKind::Jwt => {
            if !length.is_multiple_of(4) {
                return Err(GenerateError::Base64Length(length));
            }
            base64::engine::general_purpose::STANDARD.encode(random_bytes(length / 4 * 3)?)
        }
    };
    Ok(Secret::new(value))
}

fn random_bytes(n: usize) -> Result<Vec<u8>, GenerateError> {
    let mut bytes = vec![0u8; n];
    SysRng.try_fill_bytes(&mut bytes).map_err(|e| GenerateError::Rng(e.to_string()))?;
    Ok(bytes)
}

/// Uniform letters and digits by rejection sampling: a byte >= 248 (= 62 * 4) is dropped so that `% 62` has no bias.
fn alphanumeric(length: usize) -> Result<String, GenerateError> {
    let limit = (256 / ALPHANUMERIC.len() * ALPHANUMERIC.len()) as u8;
    let mut out = String::with_capacity(length);
    while out.len() < length {
        for byte in random_bytes(length)? {
            if byte < limit && out.len() < length {
                out.push(ALPHANUMERIC[(byte as usize) % ALPHANUMERIC.len()] as char);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn password_is_32_alphanumerics_by_default() {
        let s = generate(SecretKind::Password, None).expect("generates");
        assert_eq!(s.expose().len(), 32);
        assert!(s.expose().bytes().all(|b| b.is_ascii_alphanumeric()));
    }

    #[test]
    fn jwt_is_64_chars_of_base64_of_48_bytes() {
        let s = generate(SecretKind::Jwt, None).expect("generates");
        assert_eq!(s.expose().len(), 64);
        let raw = base64::engine::general_purpose::STANDARD.decode(s.expose()).expect("valid base64");
        assert_eq!(raw.len(), 48);
    }

    #[test]
    fn hex_has_the_asked_length_even_when_odd() {
        let s = generate(SecretKind::Hex, Some(33)).expect("generates");
        assert_eq!(s.expose().len(), 33);
        assert!(s.expose().bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }

    #[test]
    fn ten_thousand_draws_never_repeat() {
        for kind in [SecretKind::Password, SecretKind::Jwt, SecretKind::Hex] {
            let mut seen = HashSet::new();
            for _ in 0..10_000 {
                assert!(
                    seen.insert(generate(kind, None).expect("generates").expose().to_string()),
                    "{kind:?} repeated"
                );
            }
        }
    }

    #[test]
    fn every_alphanumeric_is_drawn_and_none_dominates() {
        let mut counts = [0usize; 128];
        for _ in 0..2_000 {
            for b in generate(SecretKind::Password, None).expect("generates").expose().bytes() {
                counts[b as usize] += 1;
            }
        }
        // 64,000 draws over 62 symbols: about 1032 each; a biased mapping would skew some by far more than 25%.
        for &c in ALPHANUMERIC {
            let n = counts[c as usize];
            assert!((774..=1290).contains(&n), "{} drawn {n} times", c as char);
        }
    }

    #[test]
    fn refuses_short_and_misaligned_lengths() {
        assert!(matches!(generate(SecretKind::Password, Some(8)), Err(GenerateError::TooShort { .. })));
        assert!(matches!(generate(SecretKind::Jwt, Some(63)), Err(GenerateError::Base64Length(63))));
    }
}
