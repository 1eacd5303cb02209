//! The errors of the git layer: one variant per failing operation, each naming the repository it concerns.

use std::path::PathBuf;

/// A git operation that failed. Every variant names the repository (its working directory, or the path that was
/// searched) so that a report tells the user which checkout could not be read.
///
/// The wrapped `gix::Error` carries the low-level cause (corrupt pack, unreadable index, bad config, ...).
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// Searching `path` and its parents for a repository failed for a reason other than "there is none".
    #[error("cannot open the git repository containing {path}")]
    Discover {
        path: PathBuf,
        #[source]
        source: gix::Error,
    },
    /// The repository found has no working tree, so files of a project cannot be tracked or ignored in it.
    #[error("the git repository at {repo} is bare (it has no working tree)")]
    Bare { repo: PathBuf },
    /// A path given to `is_tracked`/`is_ignored` lies outside the repository's working tree.
    #[error("{path} is outside the git working tree {repo}")]
    OutsideWorkdir { repo: PathBuf, path: PathBuf },
    /// The index (`.git/index`) could not be read.
    #[error("cannot read the git index of {repo}")]
    Index {
        repo: PathBuf,
        #[source]
        source: gix::Error,
    },
    /// The ignore rules (`.gitignore`, `.git/info/exclude`, `core.excludesFile`) could not be loaded or applied.
    #[error("cannot evaluate the git ignore rules of {repo} for {path}")]
    Excludes {
        repo: PathBuf,
        path: PathBuf,
        #[source]
        source: gix::Error,
    },
    /// The references (branches, tags, remotes, stash, HEAD) could not be listed or resolved.
    #[error("cannot list the git references of {repo}")]
    References {
        repo: PathBuf,
        #[source]
        source: gix::Error,
    },
    /// An object of the history (commit, tree or blob) could not be read or decoded.
    #[error("cannot read git object {id} in {repo}")]
    Object {
        repo: PathBuf,
        id: String,
        #[source]
        source: gix::Error,
    },
    /// The needle set could not be compiled into a matcher (too many or too long needles).
    #[error("cannot build the secret matcher for the history scan of {repo}")]
    Matcher {
        repo: PathBuf,
        #[source]
        source: aho_corasick::BuildError,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usable_with_anyhow<E: std::error::Error + Send + Sync + 'static>() {}

    #[test]
    fn error_is_send_sync_and_names_the_repository() {
        usable_with_anyhow::<GitError>();
        let err = GitError::OutsideWorkdir { repo: PathBuf::from("/srv/app"), path: PathBuf::from("/etc/app.env") };
        assert_eq!(err.to_string(), "/etc/app.env is outside the git working tree /srv/app");
    }
}
