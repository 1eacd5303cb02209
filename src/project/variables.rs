//! The interpolation variables of a project: the process environment, then `--env-file` files or `.env`, each
//! value remembering the file and line that defined it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::env_values::resolve_env_file;
use super::{ParsedEnvFiles, ProjectError, UndefinedVariable};

/// Variable name -> value and definition site (`None`: the process environment).
#[derive(Debug, Clone, Default)]
pub(crate) struct Variables {
    values: BTreeMap<String, (String, Option<(PathBuf, usize)>)>,
}

impl Variables {
    /// The process environment.
    pub fn from_process(environ: &BTreeMap<String, String>) -> Variables {
        let values = environ.iter().map(|(k, v)| (k.clone(), (v.clone(), None))).collect();
        Variables { values }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|(value, _)| value.as_str())
    }

    /// Where `name` was defined, when an env file defined it.
    pub fn source(&self, name: &str) -> Option<&(PathBuf, usize)> {
        self.values.get(name).and_then(|(_, source)| source.as_ref())
    }

    /// The value of `name` as an owned string (the shape `interpolate` asks for).
    pub fn lookup(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// Every variable an env file defined, with its definition site.
    pub fn sources(&self) -> BTreeMap<String, (PathBuf, usize)> {
        self.values.iter().filter_map(|(k, (_, s))| s.clone().map(|s| (k.clone(), s))).collect()
    }

    /// Reads env files the way compose-go's `GetEnvFromFile` + `Mapping.Merge` do: files in order, each value
    /// interpolated against the variables already known, then those of earlier files in this batch (later files
    /// override earlier ones); finally a variable already known (the process environment) is never replaced.
    pub fn merge_env_files(
        &mut self,
        files: &[PathBuf],
        parsed: &ParsedEnvFiles,
        undefined: &mut Vec<UndefinedVariable>,
    ) -> Result<(), ProjectError> {
        let mut batch: BTreeMap<String, (String, Option<(PathBuf, usize)>)> = BTreeMap::new();
        for file in files {
            // Only a missing file is "not found": a directory or an unreadable file fails on reading, saying why.
            if super::env_file_binding::is_missing(file) {
                return Err(ProjectError::EnvFileNotFound { path: file.clone() });
            }
            let outer = |name: &str| self.lookup(name).or_else(|| batch.get(name).map(|(v, _)| v.clone()));
            let values = resolve_env_file(parsed, file, &outer, undefined)?;
            for value in values {
                batch.insert(value.key, (value.value, Some((file.clone(), value.line))));
            }
        }
        for (name, definition) in batch {
            self.values.entry(name).or_insert(definition);
        }
        Ok(())
    }

    /// A copy with the variables of `files` added under the existing ones (how `include` builds its variables).
    pub fn with_env_files(
        &self,
        files: &[PathBuf],
        parsed: &ParsedEnvFiles,
        undefined: &mut Vec<UndefinedVariable>,
    ) -> Result<Variables, ProjectError> {
        let mut copy = self.clone();
        copy.merge_env_files(files, parsed, undefined)?;
        Ok(copy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_environment_wins_and_later_files_override_earlier() {
        let dir = tempfile::tempdir().expect("tempdir");
        let one = dir.path().join("one.env");
        let two = dir.path().join("two.env");
        std::fs::write(&one, "A=1\nB=1\nP=file\n").expect("write");
        std::fs::write(&two, "B=2\nC=${A}${P}\n").expect("write");
        let environ = BTreeMap::from([("P".to_string(), "proc".to_string())]);
        let mut vars = Variables::from_process(&environ);
        vars.merge_env_files(&[one.clone(), two.clone()], &ParsedEnvFiles::default(), &mut Vec::new()).expect("merges");
        assert_eq!(vars.get("P"), Some("proc"));
        assert_eq!(vars.source("P"), None);
        assert_eq!(vars.get("B"), Some("2"));
        assert_eq!(vars.source("B"), Some(&(two.clone(), 1)));
        assert_eq!(vars.get("C"), Some("1proc"));
        assert_eq!(vars.source("A"), Some(&(one, 1)));
    }

    #[test]
    fn a_missing_env_file_is_an_error() {
        let mut vars = Variables::default();
        let err =
            vars.merge_env_files(&[PathBuf::from("/nonexistent/.env")], &ParsedEnvFiles::default(), &mut Vec::new());
        assert!(matches!(err, Err(ProjectError::EnvFileNotFound { .. })));
    }
}
