//! Which files make a project: `-f`, `COMPOSE_FILE`, or the default names searched upwards; and which `.env`
//! files feed interpolation.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::normalize::absolute;
use super::variables::Variables;

/// compose's default file names, in order of preference.
pub const DEFAULT_FILE_NAMES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

/// compose's default override names, in order of preference (the first present beside the chosen file is used).
pub const DEFAULT_OVERRIDE_NAMES: [&str; 4] =
    ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];

/// Makes `path` absolute against `dir` (lexically, like Go's `filepath.Abs`).
pub(crate) fn absolute_path(dir: &Path, path: &Path) -> PathBuf {
    absolute(dir, &path.to_string_lossy())
}

/// The files named by `COMPOSE_FILE` (split on `COMPOSE_PATH_SEPARATOR`, `:` by default), relative to `cwd`.
pub(crate) fn compose_file_env(variables: &Variables, cwd: &Path) -> Option<Vec<PathBuf>> {
    let list = variables.get("COMPOSE_FILE")?;
    let separator = variables.get("COMPOSE_PATH_SEPARATOR").filter(|s| !s.is_empty()).unwrap_or(":");
    let files: Vec<PathBuf> =
        list.split(separator).filter(|f| !f.is_empty()).map(|f| absolute_path(cwd, Path::new(f))).collect();
    (!files.is_empty()).then_some(files)
}

/// Searches `start` and then each parent for a default compose file; returns it and the first override file found
/// beside it.
pub(crate) fn find_default_files(start: &Path) -> Vec<PathBuf> {
    let mut dir = Some(start);
    while let Some(current) = dir {
        if let Some(main) = first_existing(current, &DEFAULT_FILE_NAMES) {
            let mut files = vec![main];
            files.extend(first_existing(current, &DEFAULT_OVERRIDE_NAMES));
            return files;
        }
        dir = current.parent();
    }
    Vec::new()
}

fn first_existing(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    names.iter().map(|name| dir.join(name)).find(|path| path.is_file())
}

/// The interpolation env files: the `--env-file` files (relative to `cwd`), or else `<dir>/.env` when it is a file,
/// unless `COMPOSE_DISABLE_ENV_FILE` is true in the process environment.
pub(crate) fn dotenv_files(
    explicit: &[PathBuf],
    dir: &Path,
    cwd: &Path,
    environ: &BTreeMap<String, String>,
) -> Vec<PathBuf> {
    if !explicit.is_empty() {
        return explicit.iter().map(|f| absolute_path(cwd, f)).collect();
    }
    let disabled = environ
        .get("COMPOSE_DISABLE_ENV_FILE")
        .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "t" | "true"));
    let default = dir.join(".env");
    if disabled || !default.is_file() { Vec::new() } else { vec![default] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_default_file_upwards_with_its_override() {
        let root = tempfile::tempdir().expect("tempdir");
        let deep = root.path().join("a/b");
        std::fs::create_dir_all(&deep).expect("mkdir");
        for name in ["docker-compose.yml", "compose.yaml", "docker-compose.override.yml"] {
            std::fs::write(root.path().join(name), "services: {}\n").expect("write");
        }
        let files = find_default_files(&deep);
        assert_eq!(files, [root.path().join("compose.yaml"), root.path().join("docker-compose.override.yml")]);
        assert!(find_default_files(Path::new("/nonexistent/dir")).is_empty());
    }

    #[test]
    fn compose_file_splits_on_the_separator() {
        let environ = BTreeMap::from([
            ("COMPOSE_FILE".to_string(), "a.yaml;/abs/b.yaml".to_string()),
            ("COMPOSE_PATH_SEPARATOR".to_string(), ";".to_string()),
        ]);
        let files = compose_file_env(&Variables::from_process(&environ), Path::new("/work"));
        assert_eq!(files, Some(vec![PathBuf::from("/work/a.yaml"), PathBuf::from("/abs/b.yaml")]));
    }

    #[test]
    fn dotenv_is_optional_and_can_be_disabled() {
        let dir = tempfile::tempdir().expect("tempdir");
        let none = BTreeMap::new();
        assert!(dotenv_files(&[], dir.path(), dir.path(), &none).is_empty());
        std::fs::write(dir.path().join(".env"), "A=1\n").expect("write");
        assert_eq!(dotenv_files(&[], dir.path(), dir.path(), &none), [dir.path().join(".env")]);
        let off = BTreeMap::from([("COMPOSE_DISABLE_ENV_FILE".to_string(), "true".to_string())]);
        assert!(dotenv_files(&[], dir.path(), dir.path(), &off).is_empty());
        let explicit = [PathBuf::from("x.env")];
        assert_eq!(dotenv_files(&explicit, dir.path(), Path::new("/cwd"), &none), [PathBuf::from("/cwd/x.env")]);
    }
}
