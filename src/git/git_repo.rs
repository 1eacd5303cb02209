//! `GitRepo`: the repository that holds a compose project, and the questions the checks ask it.

use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use gix::index::entry::Mode;
use gix::worktree::stack::state::ignore::Source;

use gix::odb::pack::cache::lru::StaticLinkedList;

use super::history_walker::HistoryWalker;
use super::needle_matcher::NeedleMatcher;
use super::{GitError, HistoryHit, HistoryScan};

/// Memory bound of the pack delta-base cache (the 64 most recent decoded bases, at most this many bytes).
const PACK_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// A git repository with a working tree, opened read-only.
///
/// Shareable between threads (the checks run the history scan on a thread of its own): `gix::Repository` keeps
/// per-handle caches and is not `Sync`, so the handle is behind a lock that each question holds only while it
/// asks, and the history scan works on a handle of its own (a clone shares the object store, not the caches).
pub struct GitRepo {
    repo: Mutex<gix::Repository>,
    /// The working tree, canonicalized so that paths reached through a symlink still compare equal.
    workdir: PathBuf,
}

impl GitRepo {
    /// Finds the repository containing `path` (walking up); `Ok(None)` when there is none.
    ///
    /// A bare repository is an error ([`GitError::Bare`]): project files cannot live in it.
    pub fn discover(path: &Path) -> Result<Option<GitRepo>, GitError> {
        let mut repo = match gix::discover(path) {
            Ok(repo) => repo,
            Err(err) if is_no_repository(&err) => return Ok(None),
            Err(source) => return Err(GitError::Discover { path: path.to_owned(), source }),
        };
        let Some(workdir) = repo.workdir() else {
            return Err(GitError::Bare { repo: repo.git_dir().to_owned() });
        };
        let workdir = std::fs::canonicalize(workdir).unwrap_or_else(|_| workdir.to_owned());
        set_pack_cache(&mut repo);
        Ok(Some(GitRepo { repo: Mutex::new(repo), workdir }))
    }

    /// The root of the working tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// True when `path` is in the index (staged or committed). A relative `path` is taken from the working tree's
    /// root, not from the current directory.
    pub fn is_tracked(&self, path: &Path) -> Result<bool, GitError> {
        let relative = self.repo_relative(path)?;
        let index =
            self.repo().index_or_empty().map_err(|source| GitError::Index { repo: self.workdir.clone(), source })?;
        // The index keys paths with `/`; a path the platform cannot spell as bytes cannot be one of them.
        let Ok(key) = gix::path::into_bstr(&relative) else { return Ok(false) };
        Ok(index.entry_by_path(gix::path::to_unix_separators_on_windows(key).as_ref()).is_some())
    }

    /// True when the ignore rules (`.gitignore` files, `.git/info/exclude`, `core.excludesFile`) exclude `path`,
    /// so that `git add .` would leave it out. A relative `path` is taken from the working tree's root.
    ///
    /// Only the rules are consulted, as `git check-ignore --no-index` does: a tracked file can be ignored too (and
    /// is still committed on every change); [`is_tracked`](Self::is_tracked) tells that case apart. A file inside
    /// an excluded directory is excluded, whatever `!` rule names it, as git cannot re-include it.
    pub fn is_ignored(&self, path: &Path) -> Result<bool, GitError> {
        let relative = self.repo_relative(path)?;
        let excludes_error = |source| GitError::Excludes { repo: self.workdir.clone(), path: relative.clone(), source };
        let repo = self.repo();
        let index = repo.index_or_empty().map_err(|source| GitError::Index { repo: self.workdir.clone(), source })?;
        let mut stack =
            repo.excludes(&index, None, Source::WorktreeThenIdMappingIfNotSkipped).map_err(excludes_error)?;
        let components = relative.components().count();
        let mut prefix = PathBuf::new();
        for (depth, component) in relative.components().enumerate() {
            prefix.push(component);
            let is_dir = depth + 1 < components || self.workdir.join(&prefix).is_dir();
            let platform = stack.at_path(&prefix, is_dir.then_some(Mode::DIR)).map_err(excludes_error)?;
            if platform.is_excluded() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every blob of every commit reachable from any reference (branches, tags, remotes, notes, the stash and its
    /// older entries; HEAD too) searched for all `needles` at once. One hit per (needle, distinct blob), with the
    /// commit that introduced the blob and its path there; see [`scan_history_with_stats`](Self::scan_history_with_stats).
    pub fn scan_history(&self, needles: &[&[u8]]) -> Result<Vec<HistoryHit>, GitError> {
        self.scan_history_with_stats(needles).map(|scan| scan.hits)
    }

    /// [`scan_history`](Self::scan_history) with the counters of the scan.
    ///
    /// Each distinct tree and blob is read once, so the cost follows the number of distinct objects, not commits x
    /// files; blobs over [`MAX_BLOB_SIZE`](super::MAX_BLOB_SIZE) are skipped and counted; objects missing from a
    /// shallow or partial clone are skipped and counted. Empty needles are ignored. Reflogs other than the stash's
    /// are not read (like `git log --all`).
    pub fn scan_history_with_stats(&self, needles: &[&[u8]]) -> Result<HistoryScan, GitError> {
        let mut matcher =
            NeedleMatcher::new(needles).map_err(|source| GitError::Matcher { repo: self.workdir.clone(), source })?;
        // A handle of its own, so that a long scan does not hold the lock the other questions take.
        let mut repo = self.repo().clone();
        set_pack_cache(&mut repo);
        HistoryWalker::new(&repo, &self.workdir).scan(&mut matcher)
    }

    /// The shared handle, locked for one question (a question that panicked leaves no state to distrust: every
    /// question reads).
    fn repo(&self) -> MutexGuard<'_, gix::Repository> {
        self.repo.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `path` relative to the working tree, `.` and `..` resolved; an error when it leads outside.
    fn repo_relative(&self, path: &Path) -> Result<PathBuf, GitError> {
        let outside = || GitError::OutsideWorkdir { repo: self.workdir.clone(), path: path.to_owned() };
        let absolute = lexically_normal(&self.workdir.join(path)).ok_or_else(outside)?;
        if let Ok(relative) = absolute.strip_prefix(&self.workdir) {
            return Ok(relative.to_owned());
        }
        // Not below the canonical working tree as written: it may get there through a symlink (a temp dir under
        // /tmp -> /private/tmp, a project opened through a link), so resolve the part of it that exists.
        let resolved = match (std::fs::canonicalize(&absolute), absolute.parent(), absolute.file_name()) {
            (Ok(resolved), _, _) => resolved,
            (Err(_), Some(parent), Some(name)) => std::fs::canonicalize(parent).map_err(|_| outside())?.join(name),
            _ => return Err(outside()),
        };
        resolved.strip_prefix(&self.workdir).map(Path::to_owned).map_err(|_| outside())
    }
}

/// True when discovery failed only because no repository encloses the path (as opposed to one that is unreadable).
/// Without a delta-base cache every blob read inflates its whole delta chain again from the base: the history scan
/// of the 5,000- and 20,000-commit benchmark repos took 2.1x and 2.6x the CPU time. The cache is bounded, so memory
/// stays independent of the history's size.
fn set_pack_cache(repo: &mut gix::Repository) {
    repo.objects.set_pack_cache(|| Box::new(StaticLinkedList::<64>::new(PACK_CACHE_BYTES)));
}

fn is_no_repository(err: &gix::Error) -> bool {
    use gix::discover::upwards::Error;
    matches!(
        err.downcast_any_ref::<Error>(),
        Some(
            Error::NoGitRepository { .. }
                | Error::NoGitRepositoryWithinCeiling { .. }
                | Error::NoGitRepositoryWithinFs { .. }
        )
    )
}

/// `path` with `.` dropped and `..` applied, without touching the file system; `None` if `..` climbs above the root.
fn lexically_normal(path: &Path) -> Option<PathBuf> {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !normal.pop() {
                    return None;
                }
            }
            other => normal.push(other),
        }
    }
    Some(normal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::test_repo::TestRepo;

    /// Asserts `is_ignored` agrees with `git check-ignore --no-index` (rules only) for each path.
    fn assert_ignored_like_git(test: &TestRepo, repo: &GitRepo, expected: &[(&str, bool)]) {
        for (rel, ignored) in expected {
            assert_eq!(repo.is_ignored(Path::new(rel)).unwrap(), *ignored, "is_ignored({rel})");
            let git_says = test.git_succeeds(&["check-ignore", "-q", "--no-index", rel]);
            assert_eq!(git_says, *ignored, "git check-ignore disagrees on {rel}");
        }
    }

    #[test]
    fn discover_walks_up_and_finds_nothing_outside_a_repository() {
        let test = TestRepo::new();
        test.write("deploy/compose.yaml", "services: {}\n");
        let repo = GitRepo::discover(&test.path().join("deploy")).unwrap().expect("repo");
        assert_eq!(repo.workdir(), std::fs::canonicalize(test.path()).unwrap());
        let elsewhere = tempfile::tempdir().unwrap();
        assert!(GitRepo::discover(elsewhere.path()).unwrap().is_none());
    }

    #[test]
    fn tracked_untracked_and_staged_with_relative_and_absolute_paths() {
        let test = TestRepo::new();
        test.commit(&[("envs/.env.prod", "DB_PASSWORD=x\n")], "add env");
        test.write("envs/.env.local", "DB_PASSWORD=y\n");
        test.write("staged.env", "A=1\n");
        test.git(&["add", "staged.env"]);
        let repo = GitRepo::discover(test.path()).unwrap().expect("repo");
        assert!(repo.is_tracked(Path::new("envs/.env.prod")).unwrap());
        assert!(repo.is_tracked(Path::new("./envs/../envs/.env.prod")).unwrap());
        assert!(repo.is_tracked(&test.path().join("envs/.env.prod")).unwrap());
        assert!(repo.is_tracked(Path::new("staged.env")).unwrap(), "staged counts as tracked");
        assert!(!repo.is_tracked(Path::new("envs/.env.local")).unwrap());
        assert!(!repo.is_tracked(Path::new("envs/missing")).unwrap());
        let outside = repo.is_tracked(Path::new("../elsewhere/.env")).unwrap_err();
        assert!(matches!(outside, GitError::OutsideWorkdir { .. }), "{outside}");
    }

    #[test]
    fn ignore_rules_with_negation_and_excluded_directory() {
        let test = TestRepo::new();
        test.write(".gitignore", "envs/.env.*\n!envs/.env.example\nsecrets/\n!secrets/keep.env\n");
        for file in ["envs/.env.prod", "envs/.env.example", "secrets/keep.env", "compose.yaml", "envs/notes.md"] {
            test.write(file, "X=1\n");
        }
        let repo = GitRepo::discover(test.path()).unwrap().expect("repo");
        assert_ignored_like_git(
            &test,
            &repo,
            &[
                ("envs/.env.prod", true),
                ("envs/.env.example", false),
                // A parent directory excluded: git cannot re-include a file below it.
                ("secrets/keep.env", true),
                ("compose.yaml", false),
                ("envs/notes.md", false),
            ],
        );
        assert!(repo.is_ignored(&test.path().join("envs/.env.prod")).unwrap());
        assert!(repo.is_ignored(Path::new("envs/.env.not-yet-created")).unwrap());
    }

    #[test]
    fn info_exclude_core_excludes_file_and_nested_gitignore() {
        let test = TestRepo::new();
        test.write(".git/info/exclude", "*.secret\n");
        let global = test.write("global-ignore", "prod.env\n");
        test.git(&["config", "core.excludesFile", global.to_str().unwrap()]);
        test.write("deploy/.gitignore", "local.env\n");
        for file in ["a.secret", "deploy/prod.env", "deploy/local.env", "local.env", "deploy/compose.yaml"] {
            test.write(file, "X=1\n");
        }
        let repo = GitRepo::discover(test.path()).unwrap().expect("repo");
        assert_ignored_like_git(
            &test,
            &repo,
            &[
                ("a.secret", true),
                ("deploy/prod.env", true),
                ("deploy/local.env", true),
                ("local.env", false),
                ("deploy/compose.yaml", false),
            ],
        );
    }

    #[test]
    fn tracked_file_matching_a_rule_is_both_tracked_and_ignored() {
        let test = TestRepo::new();
        test.commit(&[(".env", "TOKEN=t\n")], "oops");
        test.commit(&[(".gitignore", ".env\n")], "ignore it (too late)");
        let repo = GitRepo::discover(test.path()).unwrap().expect("repo");
        assert!(repo.is_tracked(Path::new(".env")).unwrap());
        assert!(repo.is_ignored(Path::new(".env")).unwrap());
    }

    #[test]
    fn path_through_a_symlink_to_the_workdir_is_resolved() {
        let test = TestRepo::new();
        test.commit(&[("app/.env", "A=1\n")], "env");
        let links = tempfile::tempdir().unwrap();
        let link = links.path().join("project");
        std::os::unix::fs::symlink(test.path(), &link).unwrap();
        let repo = GitRepo::discover(&link).unwrap().expect("repo");
        assert!(repo.is_tracked(&link.join("app/.env")).unwrap());
        assert!(!repo.is_tracked(&link.join("app/new.env")).unwrap());
    }
}
