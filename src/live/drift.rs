//! Env drift: does a container carry the value its env files give now?
//!
//! Compose reads env files only when it creates a container, so an edited file leaves the running container on
//! the old value until the service is recreated (`restart` is not enough: the runbook's pitfall).

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::docker::ContainerInfo;
use crate::project::{EnvVar, Origin};

/// One key of one container against the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// Same value (by fingerprint).
    InSync,
    /// The container holds another value than `file` gives now; `changed_after_created` when the file was
    /// modified after the container was created (the usual cause).
    Stale { file: PathBuf, changed_after_created: bool },
    /// The project gives the key a value but the container does not have it (or there is no container).
    Missing,
}

impl Drift {
    /// The drift of `var` in `container` (`None`: no container). `None` when the project gives no value to
    /// compare with (a bare `KEY` with nothing in the environment).
    pub fn of(var: &EnvVar, container: Option<&ContainerInfo>) -> Option<Drift> {
        let expected = var.value.as_deref()?;
        let actual = container.and_then(|c| c.env.get(&var.key)).map(|s| s.expose());
        Some(Drift::compare(expected, actual, value_file(&var.origin), container))
    }

    /// `expected` (what `file` gives now) against `actual` (what `container` holds, `None`: nothing).
    pub fn compare(expected: &str, actual: Option<&str>, file: &Path, container: Option<&ContainerInfo>) -> Drift {
        match actual {
            None => Drift::Missing,
            Some(actual) if actual == expected => Drift::InSync,
            Some(_) => {
                let created = container.and_then(|c| c.created);
                let changed_after_created = created.is_some_and(|created| modified(file).is_some_and(|m| m > created));
                Drift::Stale { file: file.to_path_buf(), changed_after_created }
            }
        }
    }

    /// The word used in JSON: `in_sync`, `stale` or `missing`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Drift::InSync => "in_sync",
            Drift::Stale { .. } => "stale",
            Drift::Missing => "missing",
        }
    }

    /// True unless in sync.
    pub fn is_problem(&self) -> bool {
        *self != Drift::InSync
    }
}

/// The file that holds the value: the env file line, the interpolation env file, or the compose file.
pub fn value_file(origin: &Origin) -> &Path {
    match origin {
        Origin::EnvFile { file, .. } | Origin::Inline { file, .. } => file,
        Origin::Interpolated { source: Some((file, _)), .. } => file,
        Origin::Interpolated { file, .. } => file,
    }
}

/// The line in [`value_file`], when known.
pub fn value_line(origin: &Origin) -> Option<usize> {
    match origin {
        Origin::EnvFile { line, .. } => Some(*line),
        Origin::Interpolated { source: Some((_, line)), .. } => Some(*line),
        Origin::Inline { line, .. } | Origin::Interpolated { line, .. } => *line,
    }
}

/// When `path` was last written, when it can be stat'ed.
pub(super) fn modified(path: &Path) -> Option<OffsetDateTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok().map(OffsetDateTime::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(key: &str, value: Option<&str>, file: &Path) -> EnvVar {
        EnvVar {
            key: key.into(),
            value: value.map(str::to_string),
            origin: Origin::EnvFile { file: file.to_path_buf(), line: 1 },
        }
    }

    fn container(env: &[&str], created: &str) -> ContainerInfo {
        let inspect = serde_json::from_value(serde_json::json!({
            "Id": "0123456789abcdef", "Name": "/p-app-1", "Created": created,
            "State": {"Status": "running"}, "Config": {"Env": env}
        }))
        .expect("inspect json");
        ContainerInfo::from_inspect(inspect)
    }

    #[test]
    fn same_value_is_in_sync_and_absent_key_is_missing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(".env");
        let c = container(&["REDIS_PASSWORD=abc123abc"], "2000-01-01T00:00:00Z");
        assert_eq!(Drift::of(&var("REDIS_PASSWORD", Some("abc123abc"), &file), Some(&c)), Some(Drift::InSync));
        assert_eq!(Drift::of(&var("JWT_SECRET_KEY", Some("x"), &file), Some(&c)), Some(Drift::Missing));
        assert_eq!(Drift::of(&var("JWT_SECRET_KEY", Some("x"), &file), None), Some(Drift::Missing));
        assert_eq!(Drift::of(&var("UNSET", None, &file), Some(&c)), None);
    }

    #[test]
    fn stale_says_whether_the_file_changed_after_the_container_was_created() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(".env");
        std::fs::write(&file, "REDIS_PASSWORD=new\n").expect("write");
        let old = container(&["REDIS_PASSWORD=old"], "2000-01-01T00:00:00Z");
        let stale = Drift::of(&var("REDIS_PASSWORD", Some("new"), &file), Some(&old)).expect("drift");
        assert_eq!(stale, Drift::Stale { file: file.clone(), changed_after_created: true });
        let future = container(&["REDIS_PASSWORD=old"], "2999-01-01T00:00:00Z");
        let stale = Drift::of(&var("REDIS_PASSWORD", Some("new"), &file), Some(&future)).expect("drift");
        assert_eq!(stale, Drift::Stale { file, changed_after_created: false });
        assert_eq!(stale.as_str(), "stale");
    }
}
