//! The result of a history scan: the hits and what was visited to find them.

use std::collections::BTreeMap;

use super::{HistoryHit, ScanStats};

/// Blobs larger than this (10 MiB) are not read by the history scan, and counted in
/// [`ScanStats::blobs_skipped_large`].
///
/// Env files, configs and source files are far below it; what lies above is build output, archives, media or data
/// dumps, where reading would cost more memory and time than the rare hit is worth. Binary blobs below the bound
/// ARE searched (unlike gitleaks, which skips them): the needles are exact values, so a binary blob cannot give a
/// false positive, and a secret baked into a compiled artefact or a database dump is still a leak.
pub const MAX_BLOB_SIZE: u64 = 10 * 1024 * 1024;

/// Hits of [`GitRepo::scan_history_with_stats`](super::GitRepo::scan_history_with_stats) with the counters of the
/// scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryScan {
    /// One hit per (needle, distinct blob), oldest history first (parents before children).
    pub hits: Vec<HistoryHit>,
    /// What the scan visited.
    pub stats: ScanStats,
}

impl HistoryScan {
    /// The distinct needles (indices into the scanned slice) found anywhere in history, ascending.
    pub fn needles_found(&self) -> Vec<usize> {
        let mut needles: Vec<usize> = self.hits.iter().map(|hit| hit.needle).collect();
        needles.sort_unstable();
        needles.dedup();
        needles
    }

    /// The earliest hit (smallest commit time; the first in history order on a tie) of each needle found, by
    /// needle: what a check reports, one finding per secret, with the commit that first leaked it.
    pub fn first_hit_per_needle(&self) -> Vec<&HistoryHit> {
        let mut first: BTreeMap<usize, &HistoryHit> = BTreeMap::new();
        for hit in &self.hits {
            let earliest = first.entry(hit.needle).or_insert(hit);
            if hit.commit_time < earliest.commit_time {
                *earliest = hit;
            }
        }
        first.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::git::GitRepo;
    use crate::git::test_repo::TestRepo;

    const SECRET: &[u8] = b"Xk9vQ2m7Lr4tZp8w";

    fn scan(test: &TestRepo, needles: &[&[u8]]) -> HistoryScan {
        GitRepo::discover(test.path()).unwrap().expect("repo").scan_history_with_stats(needles).unwrap()
    }

    /// (needle, commit, path) of every hit, the shape most assertions compare.
    fn found(scan: &HistoryScan) -> Vec<(usize, String, PathBuf)> {
        scan.hits.iter().map(|hit| (hit.needle, hit.commit.clone(), hit.path.clone())).collect()
    }

    fn hit(needle: usize, commit: &str, commit_time: i64) -> HistoryHit {
        HistoryHit { needle, commit: commit.to_owned(), path: PathBuf::from("a"), commit_time }
    }

    #[test]
    fn needles_found_and_first_hit_per_needle_by_time() {
        let hits = vec![hit(2, "c1", 10), hit(0, "c2", 20), hit(2, "c3", 5), hit(2, "c4", 5)];
        let scan = HistoryScan { hits, stats: ScanStats::default() };
        assert_eq!(scan.needles_found(), vec![0, 2]);
        let first: Vec<_> = scan.first_hit_per_needle().iter().map(|h| h.commit.as_str()).collect();
        assert_eq!(first, vec!["c2", "c3"]);
    }

    #[test]
    fn secret_committed_then_deleted_is_found_at_the_commit_that_added_it() {
        let test = TestRepo::new();
        test.commit(&[("compose.yaml", "services: {}\n")], "start");
        let added = test.commit(&[("envs/.env.prod", "DB_PASSWORD=Xk9vQ2m7Lr4tZp8w\n")], "add prod env");
        // Same second, the blob still present: the parents-first order must still name `added`.
        test.commit(&[("compose.yaml", "services: {api: {}}\n")], "unrelated");
        test.git(&["rm", "-q", "envs/.env.prod"]);
        test.commit(&[], "remove prod env");
        let scan = scan(&test, &[b"absent-value-123", SECRET]);
        assert_eq!(found(&scan), vec![(1, added.clone(), PathBuf::from("envs/.env.prod"))]);
        let time: i64 = test.git(&["show", "-s", "--format=%ct", &added]).parse().unwrap();
        assert_eq!(scan.hits[0].commit_time, time);
    }

    #[test]
    fn secrets_only_on_a_side_branch_a_tag_or_in_the_stash_are_found() {
        let test = TestRepo::new();
        test.commit(&[("app.env", "A=1\n")], "start");
        test.git(&["checkout", "-q", "-b", "feature"]);
        let on_branch = test.commit(&[("feature.env", "TOKEN=branch-only-token-1\n")], "feature");
        test.git(&["checkout", "-q", "--detach", "main"]);
        let tagged = test.commit(&[("tag.env", "TOKEN=tag-only-token-2\n")], "tagged");
        test.git(&["tag", "-a", "-m", "release", "v1"]);
        test.git(&["checkout", "-q", "main"]);
        test.write("app.env", "A=older-stash-token-3\n");
        test.git(&["stash", "-q"]);
        test.write("app.env", "A=newest-stash-token-4\n");
        test.git(&["stash", "-q"]);
        let needles: [&[u8]; 5] = [
            b"branch-only-token-1",
            b"tag-only-token-2",
            b"older-stash-token-3",
            b"newest-stash-token-4",
            b"never-committed-5",
        ];
        let scan = scan(&test, &needles);
        assert_eq!(scan.needles_found(), vec![0, 1, 2, 3]);
        let first = scan.first_hit_per_needle();
        assert_eq!((first[0].commit.as_str(), first[0].path.as_path()), (on_branch.as_str(), Path::new("feature.env")));
        assert_eq!((first[1].commit.as_str(), first[1].path.as_path()), (tagged.as_str(), Path::new("tag.env")));
        assert_eq!(first[2].path, PathBuf::from("app.env"));
    }

    #[test]
    fn a_blob_shared_by_many_commits_and_paths_is_read_once() {
        let test = TestRepo::new();
        let content = "DB_PASSWORD=Xk9vQ2m7Lr4tZp8w\n";
        let first = test.commit(&[("envs/.env.prod", content), ("backup/.env.prod", content)], "twice");
        for i in 0..20 {
            test.commit(&[("src/counter.txt", &i.to_string())], "bump");
        }
        let scan = scan(&test, &[SECRET]);
        assert_eq!(scan.hits.len(), 1, "one blob, one hit: {:?}", found(&scan));
        assert_eq!(scan.hits[0].commit, first);
        // Distinct blobs and trees of the whole history, as git counts them.
        let listing = test.git(&["rev-list", "--all", "--objects"]);
        let ids: Vec<&str> = listing.lines().map(|line| &line[..40]).collect();
        let kinds = test.git_stdin(&["cat-file", "--batch-check=%(objecttype)"], &ids.join("\n"));
        let count = |kind: &str| kinds.lines().filter(|line| *line == kind).count() as u64;
        assert_eq!(scan.stats.commits, 21);
        assert_eq!(scan.stats.blobs_read, count("blob"), "each distinct blob read exactly once");
        assert_eq!(scan.stats.trees, count("tree"), "each distinct tree read exactly once");
        let counters: usize = (0..20).map(|i: i32| i.to_string().len()).sum();
        assert_eq!(scan.stats.bytes_read, (content.len() + counters) as u64);
    }

    #[test]
    fn merged_branch_reports_the_branch_commit_and_no_needle_reads_nothing() {
        let test = TestRepo::new();
        test.commit(&[("a.txt", "a\n")], "start");
        test.git(&["checkout", "-q", "-b", "topic"]);
        let leak = test.commit(&[("deploy/.env", "S=Xk9vQ2m7Lr4tZp8w\n")], "leak");
        test.git(&["checkout", "-q", "main"]);
        test.commit(&[("b.txt", "b\n")], "main moves on");
        test.git(&["merge", "-q", "--no-edit", "topic"]);
        assert_eq!(found(&scan(&test, &[SECRET])), vec![(0, leak, PathBuf::from("deploy/.env"))]);
        for needles in [&[][..], &[&b""[..]][..]] {
            let nothing = scan(&test, needles);
            assert!(nothing.hits.is_empty());
            assert_eq!(nothing.stats, ScanStats::default(), "no needle: history not even walked");
        }
    }

    #[test]
    fn blob_over_the_size_bound_is_skipped_and_counted() {
        let test = TestRepo::new();
        let mut big = "filler line\n".repeat((MAX_BLOB_SIZE / 12 + 1) as usize);
        big.push_str("Xk9vQ2m7Lr4tZp8w\n");
        test.commit(&[("dump.sql", &big), ("small.env", "S=Xk9vQ2m7Lr4tZp8w\n")], "dump");
        let scan = scan(&test, &[SECRET]);
        let paths: Vec<PathBuf> = scan.hits.iter().map(|hit| hit.path.clone()).collect();
        assert_eq!(paths, vec![PathBuf::from("small.env")]);
        assert_eq!(scan.stats.blobs_skipped_large, 1);
    }

    #[test]
    fn shallow_clone_scans_what_it_has() {
        let origin = TestRepo::new();
        origin.commit(&[("old.env", "S=Xk9vQ2m7Lr4tZp8w\n")], "old");
        origin.git(&["rm", "-q", "old.env"]);
        origin.commit(&[("new.env", "S=other\n")], "new");
        let clone = TestRepo::new();
        let url = format!("file://{}", origin.path().display());
        clone.git(&["fetch", "-q", "--depth", "1", &url, "main:refs/remotes/origin/main"]);
        let scan = scan(&clone, &[SECRET, b"other"]);
        assert_eq!(scan.needles_found(), vec![1], "the old commit is not in the shallow clone");
        assert_eq!(scan.stats.commits, 1);
    }
}
