//! Tells whether a value embeds one of many secret values, in time linear in the value's length whatever the
//! number of secrets: the "a `MONGODB_URL` holding the password" rule of [`super::SecretRule`].

use aho_corasick::AhoCorasick;

/// Embedded values shorter than this are not matched: short strings occur everywhere by chance.
pub(crate) const MIN_EMBEDDED_LEN: usize = 8;

/// Up to this many secrets, testing each one with `str::contains` is cheaper than building an automaton: env files
/// usually hold a handful of secrets, and a check of 2,000 such files would spend most of its time building them.
const DIRECT_MAX: usize = 32;

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
    /// A few secrets (at most [`DIRECT_MAX`]), or an automaton that could not be built (its size limits: not
    /// reachable with the 16 MiB input cap, kept so that a limit is never a crash): the direct test.
    Direct(Vec<String>),
}

impl EmbedMatcher {
    /// Compiles `secrets`; those shorter than [`MIN_EMBEDDED_LEN`] are ignored and duplicates merged.
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        Self::build(secrets, DIRECT_MAX)
    }

    /// [`EmbedMatcher::new`] with the direct test up to `direct_max` secrets (tests try both searches).
    fn build<'a>(secrets: impl IntoIterator<Item = &'a str>, direct_max: usize) -> Self {
        let mut patterns: Vec<&str> = secrets.into_iter().filter(|s| s.len() >= MIN_EMBEDDED_LEN).collect();
        patterns.sort_unstable();
        patterns.dedup();
        let direct = |patterns: Vec<&str>| Search::Direct(patterns.into_iter().map(str::to_string).collect());
        let search = if patterns.is_empty() {
            Search::Nothing
        } else if patterns.len() <= direct_max {
            direct(patterns)
        } else {
            match AhoCorasick::new(&patterns) {
                Ok(automaton) => Search::Automaton(automaton),
                Err(_) => direct(patterns),
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

/// True when `value` contains `secret` without being it: the rule the automaton implements, its oracle in tests,
/// and the rule by which a rotation edits the keys that embed the value it changes.
pub(crate) fn embeds(value: &str, secret: &str) -> bool {
    secret.len() >= MIN_EMBEDDED_LEN && value != secret && value.contains(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts what `value` gives with the automaton and with the direct test over `secrets`.
    fn assert_embeds(secrets: &[&str], value: &str, expected: bool) {
        let automaton = EmbedMatcher::build(secrets.iter().copied(), 0);
        let direct = EmbedMatcher::build(secrets.iter().copied(), usize::MAX);
        assert_eq!(automaton.embedded_in(value), expected, "automaton: {value} in {secrets:?}");
        assert_eq!(direct.embedded_in(value), expected, "direct: {value} in {secrets:?}");
    }

    #[test]
    fn finds_a_secret_inside_a_longer_value() {
        let secrets = ["s3cretPassw0rd", "other-secret-value"];
        assert_embeds(&secrets, "mongodb://admin:s3cretPassw0rd@mongo:27017/app", true);
        assert_embeds(&secrets, "prefixother-secret-valuesuffix", true);
        assert_embeds(&secrets, "mongodb://admin:different@mongo:27017/app", false);
    }

    #[test]
    fn a_value_equal_to_a_secret_does_not_embed_it() {
        assert_embeds(&["s3cretPassw0rd"], "s3cretPassw0rd", false);
        // ... but it embeds a shorter secret it contains.
        assert_embeds(&["s3cretPassw0rd", "cretPass"], "s3cretPassw0rd", true);
    }

    #[test]
    fn short_secrets_and_short_values_never_match() {
        assert_embeds(&["1234567", "abc"], "xx1234567xx abc", false);
        assert_embeds(&["12345678"], "12345678", false);
        assert_embeds(&["12345678"], "012345678", true);
        assert_embeds(&[], "anything at all", false);
    }

    #[test]
    fn overlapping_and_nested_secrets_are_all_seen() {
        // The value equals the longest secret; a shorter one nested in it still counts.
        assert_embeds(&["abcdefghijkl", "defghijk", "abcdefghijkl"], "abcdefghijkl", true);
        // A secret that is a prefix of the value and one that is the whole value.
        assert_embeds(&["password1234", "password12345"], "password12345", true);
        assert_embeds(&["password12345"], "password12345", false);
    }

    #[test]
    fn many_secrets_use_the_automaton_and_few_the_direct_test() {
        let many: Vec<String> = (0..=DIRECT_MAX).map(|i| format!("secret-number-{i:04}")).collect();
        let m = EmbedMatcher::new(many.iter().map(String::as_str));
        assert!(matches!(m.search, Search::Automaton(_)));
        assert!(m.embedded_in("url://u:secret-number-0032@host"));
        assert!(!m.embedded_in("secret-number-0032"));
        assert!(matches!(EmbedMatcher::new(["secret-number-0001"]).search, Search::Direct(_)));
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
        let m = EmbedMatcher::build(secrets.iter().map(String::as_str), 0);
        assert!(matches!(m.search, Search::Automaton(_)));
        let mut hits = 0;
        for value in &values {
            let direct = secrets.iter().any(|s| embeds(value, s));
            assert_eq!(m.embedded_in(value), direct, "{value}");
            hits += usize::from(direct);
        }
        assert!(hits > 20 && hits < values.len() - 20, "{hits}: the sample should have both outcomes");
    }
}
