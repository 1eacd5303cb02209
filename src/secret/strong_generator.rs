//! Generation that is sure to pass our own `weak-secret` policy.

use super::{GenerateError, Secret, SecretKind, Strength, generate};

/// Draws before giving up; a draw fails the policy about once in a thousand (a random `xXx` reads as a placeholder).
const ATTEMPTS: usize = 16;

/// [`generate`], drawn again while [`Strength::estimate`] finds a weakness for `key`: a fresh credential must never
/// be one that `check` then reports (letters and digits sometimes spell `xxx` or `todo`).
pub fn generate_strong(kind: SecretKind, length: Option<usize>, key: &str) -> Result<Secret, GenerateError> {
    let mut secret = generate(kind, length)?;
    for _ in 1..ATTEMPTS {
        if Strength::estimate(secret.expose(), key, None).is_strong() {
            break;
        }
        secret = generate(kind, length)?;
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_draws_all_pass_the_policy() {
        // 300 draws of 32 characters: about one in three runs meets a weak first draw (zxcvbn is slow unoptimised).
        for _ in 0..300 {
            let s = generate_strong(SecretKind::Password, None, "DB_PASSWORD").expect("generates");
            assert!(Strength::estimate(s.expose(), "DB_PASSWORD", None).is_strong());
        }
    }
}
