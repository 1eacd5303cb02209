//! Counters of one history scan, for the benchmark and for tests that pin the "each blob once" property.

/// What a history scan visited. `blobs_read` and `bytes_read` count blob contents actually inflated and searched;
/// a blob shared by many commits or paths is counted once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Distinct commits reachable from the references.
    pub commits: u64,
    /// Distinct trees read (a tree seen before is not read again, nor anything below it).
    pub trees: u64,
    /// Distinct blobs read and searched.
    pub blobs_read: u64,
    /// Bytes of blob content searched.
    pub bytes_read: u64,
    /// Distinct blobs larger than [`MAX_BLOB_SIZE`](super::MAX_BLOB_SIZE), not read.
    pub blobs_skipped_large: u64,
    /// Objects named by the history but absent from the object database (shallow or partial clone), skipped.
    pub objects_missing: u64,
}
