//! Tells whether a value embeds one of many secret values, in time linear in the value's length whatever the
//! number of secrets: the "a `MONGODB_URL` holding the password" rule of [`super::SecretRule`].

use aho_corasick::AhoCorasick;

/// Embedded values shorter than this are not matched: short strings occur everywhere by chance.
pub(crate) const MIN_EMBEDDED_LEN: usize = 8;

/// The secret values of one env file or one service, compiled into one Aho-Corasick automaton.
///
/// Testing every value against every secret with `str::contains` was quadratic in the number of keys (minutes
/// for an env file of 40,000 secrets); the automaton reads each value once.
pub(crate) struct EmbedMatcher {
    search: Search,
}

enum Search {
    /// No secret is long enough to count: nothing embeds anything.
    Nothing,
    /// Standard match semantics, so that an overlapping search reports every secret occurring in a value.
    Automaton(AhoCorasick),
    /// The automaton could not be built (its size limits: not reachable with the 16 MiB input cap, kept so that
    /// a limit is never a crash): the direct test.
    Direct(Vec<String>),
}

impl EmbedMatcher {
    /// Compiles `secrets`; those shorter than [`MIN_EMBEDDED_LEN`] are ignored and duplicates merged.
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut patterns: Vec<&str> = secrets.into_iter().filter(|s| s.len() >= MIN_EMBEDDED_LEN).collect();
        patterns.sort_unstable();
        patterns.dedup();
        let search = if patterns.is_empty() {
            Search::Nothing
        } else {
            match AhoCorasick::new(&patterns) {
                Ok(automaton) => Search::Automaton(automaton),
                Err(_) => Search::Direct(patterns.into_iter().map(str::to_string).collect()),
            }
        };
        EmbedMatcher { search }
    }

    /// True when `value` contains one of the secrets without being equal to it.
    pub(crate) fn embedded_in(&self, value: &str) -> bool {
        // A secret contained in `value` and different from it is strictly shorter than `value`.
        if value.len() <= MIN_EMBEDDED_LEN {
            return false;
        }
        match &self.search {
            Search::Nothing => false,
            // At most one occurrence can have the value's own length (the secret equal to the value, at offset 0),
            // so the search stops at the first or the second occurrence.
            Search::Automaton(automaton) => automaton.find_overlapping_iter(value).any(|m| m.len() < value.len()),
            Search::Direct(patterns) => patterns.iter().any(|secret| embeds(value, secret)),
        }
    }
}

/// True when `value` contains `secret` without being it: the rule the automaton implements, and its oracle in
/// tests.
pub(crate) fn embeds(value: &str, secret: &str) -> bool {
    secret.len() >= MIN_EMBEDDED_LEN && value != secret && value.contains(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_secret_inside_a_longer_value() {
        let m = EmbedMatcher::new(["s3cretPassw0rd", "other-secret-value"]);
        assert!(m.embedded_in("mongodb://admin:s3cretPassw0rd@mongo:27017/app"));
        assert!(m.embedded_in("prefixother-secret-valuesuffix"));
        assert!(!m.embedded_in("mongodb://admin:different@mongo:27017/app"));
    }

    #[test]
    fn a_value_equal_to_a_secret_does_not_embed_it() {
        let m = EmbedMatcher::new(["s3cretPassw0rd"]);
        assert!(!m.embedded_in("s3cretPassw0rd"));
        // ... but it embeds a shorter secret it contains.
        let m = EmbedMatcher::new(["s3cretPassw0rd", "cretPass"]);
        assert!(m.embedded_in("s3cretPassw0rd"));
    }

    #[test]
    fn short_secrets_and_short_values_never_match() {
        let m = EmbedMatcher::new(["1234567", "abc"]);
        assert!(!m.embedded_in("xx1234567xx abc"));
        let m = EmbedMatcher::new(["12345678"]);
        assert!(!m.embedded_in("12345678"));
        assert!(m.embedded_in("012345678"));
        assert!(!EmbedMatcher::new([]).embedded_in("anything at all"));
    }

    #[test]
    fn overlapping_and_nested_secrets_are_all_seen() {
        // The value equals the longest secret; a shorter one nested in it still counts.
        let m = EmbedMatcher::new(["abcdefghijkl", "defghijk", "abcdefghijkl"]);
        assert!(m.embedded_in("abcdefghijkl"));
        // A secret that is a prefix of the value and one that is the whole value.
        let m = EmbedMatcher::new(["password1234", "password12345"]);
        assert!(m.embedded_in("password12345"));
        assert!(!EmbedMatcher::new(["password12345"]).embedded_in("password12345"));
    }

    #[test]
    fn agrees_with_the_direct_test_on_generated_values() {
        // Values over a 2-letter alphabet, so that containment happens often; secrets of 5 to 12 letters, so that
        // too-short ones would match too if they were not ignored.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut word = |len: u64| (0..len).map(|_| ['a', 'b'][next(2) as usize]).collect::<String>();
        let secrets: Vec<String> = (0..24).map(|i| word(5 + i % 8)).collect();
        let values: Vec<String> = (0..400).map(|i| word(4 + i % 24)).chain(secrets.iter().cloned()).collect();
        let m = EmbedMatcher::new(secrets.iter().map(String::as_str));
        let mut hits = 0;
        for value in &values {
            let direct = secrets.iter().any(|s| embeds(value, s));
            assert_eq!(m.embedded_in(value), direct, "{value}");
            hits += usize::from(direct);
        }
        assert!(hits > 20 && hits < values.len() - 20, "{hits}: the sample should have both outcomes");
    }
}
