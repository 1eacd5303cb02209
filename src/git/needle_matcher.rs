//! Finds which of many needles occur in a haystack, in one pass (Aho-Corasick), for the history scan.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, BuildError, Input, MatchKind};

/// All needles compiled into one automaton, so a blob is searched once whatever the number of secrets.
///
/// Two automata over the same needles: `first` (leftmost semantics, which lets aho-corasick use its SIMD "Teddy"
/// prefilter) runs over every haystack and stops at the first occurrence of any needle — for the vast majority of
/// blobs, which hold no secret, that is the one and only pass, at several GB/s. Only from that first occurrence on
/// does `every` (standard semantics, overlapping search: slower, no prefilter) list all the needles present, so a
/// needle that overlaps or contains another is still reported.
///
/// Identical needles are merged (each original index is still reported) and empty needles are dropped: an empty
/// secret would "occur" in every blob and is never a finding.
pub(crate) struct NeedleMatcher {
    first: AhoCorasick,
    every: AhoCorasick,
    /// For each distinct pattern of the automaton, the indices of the caller's needles equal to it.
    owners: Vec<Vec<usize>>,
    /// Scratch flags, one per distinct pattern, reset for every haystack.
    found: Vec<bool>,
}

impl NeedleMatcher {
    /// Compiles `needles`.
    pub(crate) fn new(needles: &[&[u8]]) -> Result<Self, BuildError> {
        let mut patterns: Vec<&[u8]> = Vec::new();
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
                    patterns.push(needle);
                    owners.push(vec![index]);
                }
            }
        }
        let first = AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(&patterns)?;
        let every = AhoCorasick::new(&patterns)?;
        Ok(NeedleMatcher { first, every, found: vec![false; owners.len()], owners })
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
        // Leftmost semantics: no occurrence of any needle starts before this one.
        let Some(first) = self.first.find(haystack) else { return };
        self.found.fill(false);
        let mut remaining = self.found.len();
        for m in self.every.find_overlapping_iter(Input::new(haystack).span(first.start()..haystack.len())) {
            let flag = &mut self.found[m.pattern().as_usize()];
            if !*flag {
                *flag = true;
                remaining -= 1;
                if remaining == 0 {
                    break;
                }
            }
        }
        for (pattern, _) in self.found.iter().enumerate().filter(|(_, hit)| **hit) {
            out.extend_from_slice(&self.owners[pattern]);
        }
        out.sort_unstable();
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
