//! The history scan itself: every commit reachable from a reference, each distinct tree and blob read once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::objs::{CommitRefIter, Find, FindHeader, Kind, TreeRefIter};

use super::needle_matcher::NeedleMatcher;
use super::{GitError, HistoryHit, HistoryScan, MAX_BLOB_SIZE, ScanStats};

/// One scan over a repository's object database.
///
/// Cost is O(distinct objects), not O(commits x files): a tree already seen is skipped with everything below it
/// (its blobs were all seen with it), and a blob already seen is not read again. Memory is the seen-sets (one
/// object id per distinct commit, tree and blob), the commit order, and one buffer as large as the largest blob
/// read (at most [`MAX_BLOB_SIZE`]); it does not grow with the size of the history's content.
pub(crate) struct HistoryWalker<'r> {
    repo: &'r gix::Repository,
    workdir: &'r Path,
    stats: ScanStats,
}

impl<'r> HistoryWalker<'r> {
    pub(crate) fn new(repo: &'r gix::Repository, workdir: &'r Path) -> Self {
        HistoryWalker { repo, workdir, stats: ScanStats::default() }
    }

    /// Scans every blob of the history for the needles of `matcher`.
    pub(crate) fn scan(mut self, matcher: &mut NeedleMatcher) -> Result<HistoryScan, GitError> {
        let mut hits = Vec::new();
        if matcher.is_empty() {
            return Ok(HistoryScan { hits, stats: self.stats });
        }
        let commits = self.commits_parents_first()?;
        self.stats.commits = commits.len() as u64;
        let mut seen_trees = HashSet::new();
        let mut seen_blobs = HashSet::new();
        let (mut tree_buf, mut blob_buf, mut found) = (Vec::new(), Vec::new(), Vec::new());
        // Parents come before children, so the first commit in which a blob shows up is one that introduced it.
        for (commit, root, commit_time) in commits {
            let mut pending: Vec<(ObjectId, BString)> = vec![(root, BString::default())];
            while let Some((tree, prefix)) = pending.pop() {
                if !seen_trees.insert(tree) {
                    continue;
                }
                let Some((_, data)) = self.find(&tree, &mut tree_buf)? else { continue };
                self.stats.trees += 1;
                for entry in TreeRefIter::from_bytes(data, self.repo.object_hash()) {
                    let entry = entry.map_err(|source| self.object_error(&tree, source))?;
                    let id = entry.oid.to_owned();
                    if entry.mode.is_tree() {
                        if !seen_trees.contains(&id) {
                            pending.push((id, join(&prefix, entry.filename, b"/")));
                        }
                    } else if (entry.mode.is_blob() || entry.mode.is_link()) && seen_blobs.insert(id) {
                        // Submodule entries (`is_commit`) name another repository's commit: nothing to read here.
                        self.search_blob(id, &mut blob_buf, matcher, &mut found)?;
                        for &needle in &found {
                            hits.push(HistoryHit {
                                needle,
                                commit: commit.to_hex().to_string(),
                                path: to_path(&join(&prefix, entry.filename, b"")),
                                commit_time,
                            });
                        }
                    }
                }
            }
        }
        Ok(HistoryScan { hits, stats: self.stats })
    }

    /// Reads one blob (unless too large or missing) and leaves in `found` the needles it contains.
    fn search_blob(
        &mut self,
        blob: ObjectId,
        buf: &mut Vec<u8>,
        matcher: &mut NeedleMatcher,
        found: &mut Vec<usize>,
    ) -> Result<(), GitError> {
        found.clear();
        // The header gives the size without inflating the object, so a huge blob never reaches memory.
        match FindHeader::try_header(&self.repo.objects, &blob).map_err(|source| self.object_error(&blob, source))? {
            None => self.stats.objects_missing += 1,
            Some(header) if header.size > MAX_BLOB_SIZE => self.stats.blobs_skipped_large += 1,
            Some(_) => {
                if let Some((_, data)) = self.find(&blob, buf)? {
                    self.stats.blobs_read += 1;
                    self.stats.bytes_read += data.len() as u64;
                    matcher.find_all(data, found);
                }
            }
        }
        Ok(())
    }

    /// Every commit reachable from the starting points, as `(commit, tree, committer time)`, parents before children.
    ///
    /// Iterative depth-first post-order: a commit is emitted after all its parents, whatever the commit times say
    /// (clock skew, or commits made within the same second, would break an order by time).
    fn commits_parents_first(&mut self) -> Result<Vec<(ObjectId, ObjectId, i64)>, GitError> {
        let mut order = Vec::new();
        let mut seen = HashSet::new();
        let mut buf = Vec::new();
        let mut stack: Vec<(ObjectId, Option<(ObjectId, i64)>)> =
            self.starting_points()?.into_iter().rev().map(|id| (id, None)).collect();
        while let Some((id, decoded)) = stack.pop() {
            if let Some((tree, time)) = decoded {
                order.push((id, tree, time));
                continue;
            }
            if !seen.insert(id) {
                continue;
            }
            // A reference may name a tree or a blob (a tag can): not a commit, so no history behind it.
            let Some((Kind::Commit, data)) = self.find(&id, &mut buf)? else { continue };
            let hash = self.repo.object_hash();
            let tree =
                CommitRefIter::from_bytes(data, hash).tree_id().map_err(|source| self.object_error(&id, source))?;
            let committer =
                CommitRefIter::from_bytes(data, hash).committer().map_err(|source| self.object_error(&id, source))?;
            stack.push((id, Some((tree, committer.seconds()))));
            let parents: Vec<ObjectId> = CommitRefIter::from_bytes(data, hash).parent_ids().collect();
            stack.extend(parents.into_iter().rev().filter(|p| !seen.contains(p)).map(|p| (p, None)));
        }
        Ok(order)
    }

    /// Where the history starts: every reference (branches, tags peeled, remotes, notes, `refs/original`, the
    /// stash), HEAD (it may be detached), and the older stash entries, which only the stash's reflog keeps.
    fn starting_points(&self) -> Result<Vec<ObjectId>, GitError> {
        let refs_error = |source| GitError::References { repo: self.workdir.to_owned(), source };
        let mut tips = Vec::new();
        if let Some(head) = self.repo.head().map_err(refs_error)?.id() {
            tips.push(head.detach());
        }
        let platform = self.repo.references().map_err(refs_error)?;
        for reference in platform.all().map_err(refs_error)? {
            // A dangling symbolic ref (say `origin/HEAD` to a deleted branch) is not worth failing the scan for,
            // as `git log --all` only warns about it too.
            if let Ok(id) = reference.map_err(refs_error)?.peel_to_id() {
                tips.push(id.detach());
            }
        }
        if let Some(stash) = self.repo.try_find_reference("refs/stash").map_err(refs_error)? {
            let mut log = stash.log_iter();
            let lines = log.all().map_err(|err| refs_error(gix::Error::from_error(err)))?;
            tips.extend(lines.into_iter().flatten().flatten().map(|line| line.new_oid()).filter(|id| !id.is_null()));
        }
        Ok(tips)
    }

    /// Reads an object into `buf`: its kind and content, or `None` (and counted) when the database does not have
    /// it, as in a shallow or partial clone.
    fn find<'b>(&mut self, id: &ObjectId, buf: &'b mut Vec<u8>) -> Result<Option<(Kind, &'b [u8])>, GitError> {
        match Find::try_find(&self.repo.objects, id, buf).map_err(|source| self.object_error(id, source))? {
            None => {
                self.stats.objects_missing += 1;
                Ok(None)
            }
            Some(data) => Ok(Some((data.kind, data.data))),
        }
    }

    fn object_error(&self, id: &ObjectId, source: gix::Error) -> GitError {
        GitError::Object { repo: self.workdir.to_owned(), id: id.to_hex().to_string(), source }
    }
}

/// `prefix` + `name` + `suffix`: the path of a tree entry, built only when needed (a subtree to visit, a hit).
fn join(prefix: &BString, name: &BStr, suffix: &[u8]) -> BString {
    let mut path = BString::from(Vec::with_capacity(prefix.len() + name.len() + suffix.len()));
    path.push_str(prefix);
    path.push_str(name);
    path.push_str(suffix);
    path
}

/// A tree path as a `PathBuf`: its bytes on Unix; lossy UTF-8 where paths must be Unicode (Windows).
fn to_path(path: &BString) -> PathBuf {
    match gix::path::from_bstr(path.as_bstr()) {
        Ok(path) => path.into_owned(),
        Err(_) => PathBuf::from(path.to_str_lossy().into_owned()),
    }
}
