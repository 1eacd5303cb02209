//! How guessable a secret is: length, charset entropy, zxcvbn's dictionary/sequence/repeat matching, placeholder
//! words, and values equal to their own key or user name.

use rayon::prelude::*;
use serde::Serialize;

/// The policy's shortest acceptable secret.
pub const MIN_LENGTH: usize = 16;
/// Below this many bits of charset entropy a secret is weak, whatever its length.
pub const MIN_ENTROPY_BITS: f64 = 64.0;
/// zxcvbn analyses at most this many characters: its matching is quadratic in the length (a 64-char value costs
/// 3.9 ms at 100 and 0.6 ms at 32, bench/README.md), and a weak pattern shows within the first 32 characters.
const ZXCVBN_PREFIX: usize = 32;

const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "example",
    "xxx",
    "placeholder",
    "replace",
    "todo",
    "fixme",
    "secret",
    "password",
    "your_",
    "your-",
    "<",
    "dummy",
    "sample",
    "default",
    "insert",
    "redacted",
    "generate",
];

/// One reason a secret is weak.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Weakness {
    /// Fewer characters than the policy asks for.
    TooShort { length: usize, min: usize },
    /// Too few bits from its length and alphabet.
    LowEntropy { bits: u32 },
    /// A placeholder left from a template (`changeme`, `example`, `xxx`, ...).
    Placeholder { word: String },
    /// zxcvbn finds it guessable: a common password, a word, a sequence, a repeat, a date.
    Guessable { score: u8, hint: String },
    /// The value is its own key name or user name.
    EqualsName { name: String },
}

impl Weakness {
    /// A one-line explanation for output (never contains the value).
    pub fn describe(&self) -> String {
        match self {
            Weakness::TooShort { length, min } => format!("{length} characters, policy asks for at least {min}"),
            Weakness::LowEntropy { bits } => {
                format!("about {bits} bits of entropy, policy asks for {MIN_ENTROPY_BITS}")
            }
            Weakness::Placeholder { word } => format!("looks like a placeholder ({word:?})"),
            Weakness::Guessable { score, hint } => format!("guessable (zxcvbn score {score}/4): {hint}"),
            Weakness::EqualsName { name } => format!("equals the name {name:?}"),
        }
    }
}

/// The estimate for one value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Strength {
    pub length: usize,
    pub entropy_bits: u32,
    pub weaknesses: Vec<Weakness>,
}

impl Strength {
    /// Estimates `value`, which is stored under `key` and belongs to `user` when known.
    pub fn estimate(value: &str, key: &str, user: Option<&str>) -> Self {
        let length = value.chars().count();
        let entropy_bits = charset_entropy(value);
        let mut weaknesses = Vec::new();
        if length < MIN_LENGTH {
            weaknesses.push(Weakness::TooShort { length, min: MIN_LENGTH });
        }
        if f64::from(entropy_bits) < MIN_ENTROPY_BITS {
            weaknesses.push(Weakness::LowEntropy { bits: entropy_bits });
        }
        let lower = value.to_lowercase();
        if let Some(word) = placeholder_word(value) {
            weaknesses.push(Weakness::Placeholder { word: word.to_string() });
        } else if describes_key(value, key) {
            // `DATA_ENCRYPTION_KEY=data encryption key with 32 char`: a template's description of what goes there.
            weaknesses.push(Weakness::Placeholder { word: "its own key name".to_string() });
        }
        for name in std::iter::once(key).chain(user) {
            if !name.is_empty() && lower == name.to_lowercase() {
                weaknesses.push(Weakness::EqualsName { name: name.to_string() });
            }
        }
        if length > 0 {
            let prefix: String = value.chars().take(ZXCVBN_PREFIX).collect();
            let inputs: Vec<&str> = std::iter::once(key).chain(user).collect();
            let entropy = zxcvbn::zxcvbn(&prefix, &inputs);
            let score = u8::from(entropy.score());
            if score < 3 {
                let hint = entropy
                    .feedback()
                    .and_then(|f| f.warning().map(|w| w.to_string()))
                    .unwrap_or_else(|| "predictable pattern".to_string());
                weaknesses.push(Weakness::Guessable { score, hint });
            }
        }
        Strength { length, entropy_bits, weaknesses }
    }

    /// [`Strength::estimate`] of each `(value, key, user)`, in order: each distinct one estimated once, spread over
    /// the machine's cores (zxcvbn is nearly all of `check`'s offline time; each estimate is independent).
    pub fn estimate_many(items: &[(&str, &str, Option<&str>)]) -> Vec<Strength> {
        let mut distinct: Vec<(&str, &str, Option<&str>)> = items.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let estimates: Vec<Strength> = distinct.par_iter().map(|(v, k, u)| Strength::estimate(v, k, *u)).collect();
        items
            .iter()
            .map(|item| {
                let at = distinct.binary_search(item).unwrap_or_default();
                estimates[at].clone()
            })
            .collect()
    }

    /// True when no weakness was found.
    pub fn is_strong(&self) -> bool {
        self.weaknesses.is_empty()
    }
}

/// The placeholder word `value` contains (`changeme`, `example`, `xxx`, ...), when it looks like template filler.
pub fn placeholder_word(value: &str) -> Option<&'static str> {
    let lower = value.to_lowercase();
    PLACEHOLDERS.iter().find(|w| lower.contains(**w)).copied()
}

/// True when `value` spells out the words of `key` (three or more of them, any separators): a description of the
/// value, left in a template, not a value.
fn describes_key(value: &str, key: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect()
    };
    let key_words = words(key);
    let value_words = words(value);
    value.contains(' ')
        && key_words.len() >= 2
        && value_words.len() >= 3
        && value_words.windows(key_words.len()).any(|w| w == key_words)
}

/// Bits from length and alphabet: length * log2(size of the character classes used), with repeated characters
/// counted once per distinct character so that `aaaaaaaa...` does not pass on length alone.
fn charset_entropy(value: &str) -> u32 {
    let (mut lower, mut upper, mut digit, mut other) = (false, false, false, false);
    for c in value.chars() {
        match c {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            _ => other = true,
        }
    }
    let alphabet =
        26 * usize::from(lower) + 26 * usize::from(upper) + 10 * usize::from(digit) + 33 * usize::from(other);
    if alphabet == 0 {
        return 0;
    }
    let distinct = value.chars().collect::<std::collections::HashSet<_>>().len();
    let effective = value.chars().count().min(distinct * 2);
    (effective as f64 * (alphabet as f64).log2()) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{SecretKind, generate};

    fn weak(value: &str) -> bool {
        !Strength::estimate(value, "DB_PASSWORD", Some("admin")).is_strong()
    }

    #[test]
    fn generated_secrets_are_strong() {
        for kind in [SecretKind::Password, SecretKind::Jwt, SecretKind::Hex] {
            let s = generate(kind, None).expect("generates");
            let strength = Strength::estimate(s.expose(), "KEY", None);
            assert!(strength.is_strong(), "{kind:?}: {:?}", strength.weaknesses);
        }
    }

    #[test]
    fn weak_values_are_caught() {
        for value in [
            "short",
            "password123456789",
            "changeme-changeme",
            "aaaaaaaaaaaaaaaaaaaaaaaa",
            "abcdefghijklmnopqrstuvwxyz",
            "admin",
            "db_password",
            "xxxxxxxxxxxxxxxxxxxxx",
            "Summer2024!Summer2024!",
            "",
        ] {
            assert!(weak(value), "{value:?} should be weak");
        }
    }

    #[test]
    fn a_value_spelling_out_its_key_is_a_placeholder() {
        let strength = Strength::estimate("data encryption key with 32 char", "DATA_ENCRYPTION_KEY", None);
        assert!(strength.weaknesses.iter().any(|w| matches!(w, Weakness::Placeholder { .. })), "{strength:?}");
        assert!(!describes_key("xK9-data-encryption-key-Q2z", "DATA_ENCRYPTION"));
    }

    /// The batch estimator is a speed-up only: over generated values (random, patterned, weak, shared by several
    /// keys, equal to their key) it gives exactly what `estimate` gives one by one.
    #[test]
    fn estimating_many_at_once_changes_no_verdict() {
        let mut values: Vec<String> = (0..200)
            .map(|i| {
                let kind = [SecretKind::Password, SecretKind::Jwt, SecretKind::Hex][i % 3];
                generate(kind, Some(16 + 4 * (i % 10))).expect("generates").expose().to_string()
            })
            .collect();
        values.extend(
            [
                "short",
                "password123456789",
                "changeme-changeme",
                "aaaaaaaaaaaaaaaaaaaaaaaa",
                "db_password",
                "admin",
                "Summer2024!Summer2024!",
                "",
                "data encryption key with 32 char",
                "qwertyuiopasdfghjkl",
                "1234567890123456",
            ]
            .map(String::from),
        );
        let keys = ["DB_PASSWORD", "DATA_ENCRYPTION_KEY", "REDIS_PASSWORD"];
        let mut items: Vec<(&str, &str, Option<&str>)> = Vec::new();
        for (i, value) in values.iter().enumerate() {
            items.push((value, keys[i % 3], if i % 2 == 0 { Some("admin") } else { None }));
            // The same value again under another key, and once more as it was: shared and repeated uses.
            items.push((value, keys[(i + 1) % 3], None));
            items.push((value, keys[i % 3], if i % 2 == 0 { Some("admin") } else { None }));
        }
        let one_by_one: Vec<Strength> = items.iter().map(|(v, k, u)| Strength::estimate(v, k, *u)).collect();
        // zxcvbn's hint may name either of two equally cheap patterns from one run to the next (its search keeps
        // candidates in hash maps): the verdict, each weakness and the score are compared, not the hint's wording.
        let verdict = |s: &Strength| {
            let mut s = s.clone();
            for w in &mut s.weaknesses {
                if let Weakness::Guessable { hint, .. } = w {
                    hint.clear();
                }
            }
            s
        };
        let many = Strength::estimate_many(&items);
        assert_eq!(many.len(), one_by_one.len());
        for (i, (a, b)) in many.iter().zip(&one_by_one).enumerate() {
            assert_eq!(verdict(a), verdict(b), "item {i}: {:?} {:?}", items[i].1, items[i].2);
        }
        assert!(one_by_one.iter().any(Strength::is_strong) && one_by_one.iter().any(|s| !s.is_strong()));
        assert!(Strength::estimate_many(&[]).is_empty());
    }

    #[test]
    fn descriptions_never_hold_the_value() {
        let value = "Tr0ub4dor&3-Tr0ub4dor&3";
        for w in Strength::estimate(value, "K", None).weaknesses {
            assert!(!w.describe().contains("Tr0ub4dor"), "{w:?}");
        }
    }
}
