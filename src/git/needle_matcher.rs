//! Finds which of many needles occur in a haystack, in one pass, for the history scan: long needles through a
//! sampled window index, short ones through Aho-Corasick.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, BuildError, Input, MatchKind};

use super::window_index::{MIN_NEEDLE, WindowIndex};

/// All needles compiled once, so a blob is searched once whatever the number of secrets.
///
/// Needles of at least [`MIN_NEEDLE`] bytes (every secret the policy accepts) go into a [`WindowIndex`], which
/// looks at one 8-byte window in every 9 or more bytes: an automaton over thousands of needles has no SIMD
/// prefilter and walks every byte through its states, which made it most of `check`'s time on a long history with
/// a large project (bench/README.md). Shorter needles go into two automata: `first` (leftmost semantics, which
/// lets aho-corasick use its SIMD "Teddy" prefilter while the needles are few) stops at the first occurrence of any
/// of them; only from there on does `every` (standard semantics, overlapping search) list all the short needles
/// present, so a needle that overlaps or contains another is still reported.
///
/// Identical needles are merged (each original index is still reported) and empty needles are dropped: an empty
/// secret would "occur" in every blob and is never a finding.
pub(crate) struct NeedleMatcher {
    long: Option<WindowIndex>,
    short: Option<ShortNeedles>,
    /// For each distinct pattern, the indices of the caller's needles equal to it.
    owners: Vec<Vec<usize>>,
    /// Scratch: the distinct patterns found in the current haystack.
    hits: Vec<usize>,
}

/// The automata of the needles shorter than [`MIN_NEEDLE`], and the distinct pattern each of theirs is.
struct ShortNeedles {
    first: AhoCorasick,
    every: AhoCorasick,
    patterns: Vec<usize>,
}

impl NeedleMatcher {
    /// Compiles `needles`.
    pub(crate) fn new(needles: &[&[u8]]) -> Result<Self, BuildError> {
        let mut patterns: Vec<(usize, &[u8])> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        // Pattern index of each distinct needle: a linear search here was quadratic in the number of secrets.
        let mut distinct: HashMap<&[u8], usize> = HashMap::new();
        for (index, needle) in needles.iter().enumerate() {
            if needle.is_empty() {
                continue;
            }
            match distinct.get(needle) {
                Some(&at) => owners[at].push(index),
                None => {
                    distinct.insert(needle, patterns.len());
                    patterns.push((patterns.len(), needle));
                    owners.push(vec![index]);
                }
            }
        }
        let short: Vec<(usize, &[u8])> =
            patterns.iter().copied().filter(|(_, needle)| needle.len() < MIN_NEEDLE).collect();
        let short = if short.is_empty() {
            None
        } else {
            let bytes: Vec<&[u8]> = short.iter().map(|(_, needle)| *needle).collect();
            Some(ShortNeedles {
                first: AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(&bytes)?,
                every: AhoCorasick::new(&bytes)?,
                patterns: short.iter().map(|(pattern, _)| *pattern).collect(),
            })
        };
        Ok(NeedleMatcher { long: WindowIndex::new(&patterns), short, owners, hits: Vec::new() })
    }

    /// True when there is nothing to look for, so the caller can skip reading history at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }

    /// Replaces the content of `out` with the indices (ascending) of the needles that occur in `haystack`.
    ///
    /// Overlapping search, so a needle that is a substring of another (or overlaps it) is still reported.
    pub(crate) fn find_all(&mut self, haystack: &[u8], out: &mut Vec<usize>) {
        out.clear();
        self.hits.clear();
        if let Some(long) = &self.long {
            long.find(haystack, |pattern| self.hits.push(pattern));
        }
        if let Some(short) = &self.short {
            short.find(haystack, &mut self.hits);
        }
        if self.hits.is_empty() {
            return;
        }
        self.hits.sort_unstable();
        self.hits.dedup();
        for pattern in &self.hits {
            out.extend_from_slice(&self.owners[*pattern]);
        }
        out.sort_unstable();
    }
}

impl ShortNeedles {
    /// Pushes onto `hits` the distinct pattern of each short needle in `haystack`, each once.
    fn find(&self, haystack: &[u8], hits: &mut Vec<usize>) {
        // Leftmost semantics: no occurrence of any short needle starts before this one.
        let Some(first) = self.first.find(haystack) else { return };
        let mut seen = vec![false; self.patterns.len()];
        let mut remaining = seen.len();
        for m in self.every.find_overlapping_iter(Input::new(haystack).span(first.start()..haystack.len())) {
            let flag = &mut seen[m.pattern().as_usize()];
            if !*flag {
                *flag = true;
                hits.push(self.patterns[m.pattern().as_usize()]);
                remaining -= 1;
                if remaining == 0 {
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(needles: &[&[u8]], haystack: &[u8]) -> Vec<usize> {
        let mut matcher = NeedleMatcher::new(needles).unwrap();
        let mut out = Vec::new();
        matcher.find_all(haystack, &mut out);
        out
    }

    #[test]
    fn reports_every_needle_present_once() {
        let hits = find(&[b"s3cret", b"absent", b"token"], b"token=s3cret\ntoken=s3cret\n");
        assert_eq!(hits, vec![0, 2]);
    }

    #[test]
    fn overlapping_and_nested_needles_are_all_reported() {
        assert_eq!(find(&[b"abcdef", b"cde", b"efgh"], b"xxabcdefghxx"), vec![0, 1, 2]);
        // Leftmost-first alone would stop at the shorter prefix and miss the longer needle (and vice versa).
        assert_eq!(find(&[b"secret", b"secret123"], b"v=secret123"), vec![0, 1]);
        assert_eq!(find(&[b"secret123", b"secret"], b"v=secret123"), vec![0, 1]);
        assert_eq!(find(&[b"later", b"x"], b"x ... later"), vec![0, 1]);
    }

    proptest::proptest! {
        /// Short needles (the automata) and long ones (the window index) together, nested in and overlapping each
        /// other over a four-letter alphabet: the matcher reports exactly the needles a naive search finds.
        #[test]
        fn reports_exactly_what_a_naive_search_finds(
            needles in proptest::collection::vec(proptest::collection::vec(b'a'..=b'd', 0..30), 1..10),
            filler in proptest::collection::vec(b'a'..=b'd', 0..200),
            plants in proptest::collection::vec(
                (proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<proptest::sample::Index>()),
                0..5,
            ),
        ) {
            let needles: Vec<&[u8]> = needles.iter().map(Vec::as_slice).collect();
            let mut hay = filler.clone();
            for (which, at) in &plants {
                let at = at.index(hay.len() + 1);
                hay.splice(at..at, needles[which.index(needles.len())].iter().copied());
            }
            let naive: Vec<usize> = (0..needles.len())
                .filter(|&i| !needles[i].is_empty() && hay.windows(needles[i].len()).any(|w| w == needles[i]))
                .collect();
            proptest::prop_assert_eq!(find(&needles, &hay), naive);
        }
    }

    #[test]
    fn duplicate_needles_report_each_index_and_empty_ones_never_match() {
        let mut matcher = NeedleMatcher::new(&[b"pw", b"", b"pw"]).unwrap();
        let mut out = Vec::new();
        matcher.find_all(b"a pw here", &mut out);
        assert_eq!(out, vec![0, 2]);
        matcher.find_all(b"nothing", &mut out);
        assert!(out.is_empty());
        assert!(NeedleMatcher::new(&[b""]).unwrap().is_empty());
    }
}
