//! Which long needles occur in a haystack, found by looking up one 8-byte window in every `step` bytes of it
//! instead of walking every byte through an automaton.
//!
//! Why it is exact: a needle of `len` bytes occurring at `q` covers the sampled positions of `q..q + len`; with
//! `step <= shortest - WINDOW + 1` one sampled `p` falls in `q..q + step`, and the window `p..p + WINDOW` then lies
//! inside the occurrence (`p - q <= step - 1 <= len - WINDOW`). Every needle's windows at offsets `0..step` are
//! indexed, so `p`'s window is one of them, and each candidate is compared byte for byte at `p - offset`: no
//! occurrence is missed and none is invented.

/// Bytes in a window: one unaligned `u64` load.
const WINDOW: usize = 8;
/// The shortest needle the index takes: shorter ones stay with the automaton. 16 gives a step of at least 9.
pub(crate) const MIN_NEEDLE: usize = 16;
/// Longer steps index more windows per needle for fewer lookups; past this the index only grows.
const MAX_STEP: usize = 64;
/// Fibonacci hashing's multiplier (2^64 / golden ratio): spreads similar windows over the table's top bits.
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// One indexed window: needle `needle`'s bytes `offset..offset + WINDOW` are `window`.
#[derive(Clone, Copy)]
struct Entry {
    window: u64,
    needle: u32,
    offset: u32,
}

/// The windows of needles of at least [`MIN_NEEDLE`] bytes, in a hash table laid out by bucket, with a bit filter
/// in front sized to stay in the CPU's cache: nearly every sampled window of a blob without a secret ends there.
pub(crate) struct WindowIndex {
    step: usize,
    /// One bit per `filter_bits`-bit hash: set when some entry hashes there.
    filter: Vec<u64>,
    filter_bits: u32,
    /// Entries grouped by the top `bucket_bits` bits of their hash; bucket `b` is `entries[starts[b]..starts[b+1]]`.
    starts: Vec<u32>,
    bucket_bits: u32,
    entries: Vec<Entry>,
    /// The needles' bytes, end to end, and where each one lies in them.
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
    /// The caller's id of each needle.
    ids: Vec<usize>,
}

impl WindowIndex {
    /// Indexes `needles` (the caller's id, the bytes), every one at least [`MIN_NEEDLE`] bytes long (shorter ones
    /// are left out). `None` when none is.
    pub(crate) fn new(needles: &[(usize, &[u8])]) -> Option<Self> {
        let long: Vec<&(usize, &[u8])> = needles.iter().filter(|(_, n)| n.len() >= MIN_NEEDLE).collect();
        let shortest = long.iter().map(|(_, n)| n.len()).min()?;
        let step = (shortest - WINDOW + 1).min(MAX_STEP);
        let mut bytes = Vec::with_capacity(long.iter().map(|(_, n)| n.len()).sum());
        let mut spans = Vec::with_capacity(long.len());
        let mut ids = Vec::with_capacity(long.len());
        let mut entries = Vec::with_capacity(long.len() * step);
        for (local, (id, needle)) in long.iter().enumerate() {
            spans.push((bytes.len(), needle.len()));
            bytes.extend_from_slice(needle);
            ids.push(*id);
            for offset in 0..step {
                entries.push(Entry { window: load(needle, offset), needle: local as u32, offset: offset as u32 });
            }
        }
        let size_bits = usize::BITS - (entries.len().max(2) - 1).leading_zeros();
        let bucket_bits = (size_bits + 1).min(28);
        let filter_bits = (size_bits + 4).clamp(12, 30);
        let mut filter = vec![0u64; (1usize << filter_bits) / 64];
        let bucket_of = |window: u64| (window.wrapping_mul(MULTIPLIER) >> (64 - bucket_bits)) as usize;
        entries.sort_unstable_by_key(|e| bucket_of(e.window));
        let mut starts = vec![0u32; (1usize << bucket_bits) + 1];
        for entry in &entries {
            starts[bucket_of(entry.window) + 1] += 1;
            let bit = (entry.window.wrapping_mul(MULTIPLIER) >> (64 - filter_bits)) as usize;
            filter[bit / 64] |= 1 << (bit % 64);
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        Some(WindowIndex { step, filter, filter_bits, starts, bucket_bits, entries, bytes, spans, ids })
    }

    /// Calls `hit` with the id of each needle occurring in `haystack` (an id may come more than once).
    pub(crate) fn find(&self, haystack: &[u8], mut hit: impl FnMut(usize)) {
        let mut p = 0;
        while p + WINDOW <= haystack.len() {
            let window = load(haystack, p);
            let hash = window.wrapping_mul(MULTIPLIER);
            let bit = (hash >> (64 - self.filter_bits)) as usize;
            if self.filter[bit / 64] & (1 << (bit % 64)) != 0 {
                let bucket = (hash >> (64 - self.bucket_bits)) as usize;
                let range = self.starts[bucket] as usize..self.starts[bucket + 1] as usize;
                for entry in self.entries[range].iter().filter(|e| e.window == window) {
                    let (start, len) = self.spans[entry.needle as usize];
                    let Some(at) = p.checked_sub(entry.offset as usize) else { continue };
                    if haystack.get(at..at + len) == Some(&self.bytes[start..start + len]) {
                        hit(self.ids[entry.needle as usize]);
                    }
                }
            }
            p += self.step;
        }
    }
}

/// The `WINDOW` bytes of `bytes` at `at` as one number (the caller keeps `at + WINDOW <= bytes.len()`).
fn load(bytes: &[u8], at: usize) -> u64 {
    let mut window = [0u8; WINDOW];
    window.copy_from_slice(&bytes[at..at + WINDOW]);
    u64::from_le_bytes(window)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn found(needles: &[&[u8]], haystack: &[u8]) -> Vec<usize> {
        let ids: Vec<(usize, &[u8])> = needles.iter().copied().enumerate().collect();
        let mut hits = Vec::new();
        if let Some(index) = WindowIndex::new(&ids) {
            index.find(haystack, |id| hits.push(id));
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    fn naive(needles: &[&[u8]], haystack: &[u8]) -> Vec<usize> {
        (0..needles.len())
            .filter(|&i| needles[i].len() >= MIN_NEEDLE && haystack.windows(needles[i].len()).any(|w| w == needles[i]))
            .collect()
    }

    #[test]
    fn finds_needles_at_the_start_the_end_and_overlapping() {
        let a: &[u8] = b"Xk9vQ2m7Lr4tZp8w";
        let b: &[u8] = b"Zp8wAAAAbbbbCCCCdddd";
        let c: &[u8] = b"never-anywhere-in-it";
        let hay = b"Xk9vQ2m7Lr4tZp8wAAAAbbbbCCCCdddd";
        assert_eq!(found(&[a, b, c], hay), vec![0, 1]);
        assert_eq!(found(&[a], a), vec![0], "the whole haystack");
        assert_eq!(found(&[a], &a[..15]), Vec::<usize>::new(), "one byte short");
        assert_eq!(found(&[b"short"], b"short short"), Vec::<usize>::new(), "short needles are not indexed");
    }

    proptest! {
        /// Planted needles of every length from the index's shortest up, at every alignment, in haystacks of a
        /// small alphabet (so windows repeat and collide): the index finds exactly what a naive search finds.
        #[test]
        fn finds_exactly_what_a_naive_search_finds(
            needles in prop::collection::vec(prop::collection::vec(b'a'..=b'd', 1..40), 1..12),
            filler in prop::collection::vec(b'a'..=b'd', 0..300),
            plants in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..6),
        ) {
            let needles: Vec<&[u8]> = needles.iter().map(Vec::as_slice).collect();
            let mut hay = filler.clone();
            for (which, at) in &plants {
                let needle = needles[which.index(needles.len())];
                let at = at.index(hay.len() + 1);
                hay.splice(at..at, needle.iter().copied());
            }
            prop_assert_eq!(found(&needles, &hay), naive(&needles, &hay));
        }
    }
}
