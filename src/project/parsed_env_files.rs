//! Env files as the project loader read them: each file read and leniently parsed once per load, however many
//! services, `include` entries or interpolation passes use it, and kept for `check` (which reports the lines the
//! lenient parse skipped) so that no file is parsed twice.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::ProjectError;
use crate::envfile::{EnvDocument, EnvError};

/// A file as the loader parsed it: the document and the lines its lenient parse skipped.
pub(crate) type Parsed = Arc<(EnvDocument, Vec<EnvError>)>;

/// The env files one project load read, by the path they were read from. Shared by reference: the services of a
/// project are built on every core, each asking for its files here.
#[derive(Default)]
pub struct ParsedEnvFiles {
    files: Mutex<HashMap<PathBuf, Parsed>>,
}

impl ParsedEnvFiles {
    /// The env file at `path`, read and parsed on first use (its assignments in order are `.0.entries()`).
    ///
    /// Leniently: a line compose would reject is skipped here rather than failing the whole project, so that
    /// `check` can load the project and report the line (`env-syntax`); commands that edit a file parse it
    /// strictly.
    ///
    /// Values are unquoted and unescaped but not interpolated. An escaped dollar (`\$`) in a double-quoted value
    /// is returned as `$$`, which interpolation turns back into a literal `$` (compose never substitutes an escaped
    /// dollar).
    ///
    /// The lock is not held while a file is read and parsed: two services asking for one new file at once may
    /// both parse it, and the first to finish is kept (the two are equal).
    pub(crate) fn document(&self, path: &Path) -> Result<Parsed, ProjectError> {
        if let Some(parsed) = self.lock().get(path) {
            return Ok(Arc::clone(parsed));
        }
        let bytes = crate::envfile::read_bounded(path)
            .map_err(|source| ProjectError::Read { path: path.to_path_buf(), source })?;
        let parsed = Arc::new(EnvDocument::parse_lenient(path, &bytes));
        Ok(Arc::clone(self.lock().entry(path.to_path_buf()).or_insert(parsed)))
    }

    /// Takes the document of `path` and the lines its lenient parse skipped, when the load read that file and no
    /// copy of this set shares it (a clone of the project keeps its own handle: the caller then reads the file
    /// itself).
    pub fn take(&mut self, path: &Path) -> Option<(EnvDocument, Vec<EnvError>)> {
        let files = self.files.get_mut().unwrap_or_else(PoisonError::into_inner);
        files.remove(path).and_then(|parsed| Arc::try_unwrap(parsed).ok())
    }

    /// The map, also after a panic elsewhere while it was held (a parse that panicked inserted nothing).
    fn lock(&self) -> MutexGuard<'_, HashMap<PathBuf, Parsed>> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A clone shares the parsed documents.
impl Clone for ParsedEnvFiles {
    fn clone(&self) -> Self {
        ParsedEnvFiles { files: Mutex::new(self.lock().clone()) }
    }
}

/// Paths only: a document's values are secrets.
impl fmt::Debug for ParsedEnvFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files = self.lock();
        let mut paths: Vec<&PathBuf> = files.keys().collect();
        paths.sort();
        f.debug_struct("ParsedEnvFiles").field("paths", &paths).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envfile::{Entry, Quote};

    fn parse(text: &str) -> Result<Vec<Entry>, (usize, String)> {
        EnvDocument::parse("t.env", text.as_bytes())
            .map(|d| d.entries().to_vec())
            .map_err(|e| (e.line().unwrap_or(0), e.to_string()))
    }

    fn one(text: &str) -> Entry {
        let entries = parse(text).expect("parses");
        assert_eq!(entries.len(), 1, "{entries:?}");
        entries.into_iter().next().expect("one entry")
    }

    #[test]
    fn plain_quoted_and_commented_values() {
        assert_eq!(one("A=a#b").value.as_deref(), Some("a#b"));
        assert_eq!(one("B=a #b").value.as_deref(), Some("a"));
        assert_eq!(one("E = spaced  ").value.as_deref(), Some("spaced"));
        assert_eq!(one("H=\"a # b\" # c").value.as_deref(), Some("a # b"));
        assert_eq!(one("D='${X} \\n'").value.as_deref(), Some("${X} \\n"));
        assert_eq!(one("D='${X}'").quote, Quote::Single);
        assert_eq!(one("C=\"x\\ny\\\"z\\\\w\\$v\"").value.as_deref(), Some("x\ny\"z\\w$$v"));
        assert_eq!(one("I=").value.as_deref(), Some(""));
        assert_eq!(one("F:yamlish").value.as_deref(), Some("yamlish"));
    }

    #[test]
    fn export_bare_keys_lines_and_multiline() {
        let entries = parse("# c\n\n  export G=g\nBARE\nN='multi\nline'\nZ=z\n").expect("parses");
        let keys: Vec<_> = entries.iter().map(|e| (e.key.as_str(), e.line, e.exported)).collect();
        assert_eq!(keys, [("G", 3, true), ("BARE", 4, false), ("N", 5, false), ("Z", 7, false)]);
        assert_eq!(entries[1].value, None);
        assert_eq!(entries[2].value.as_deref(), Some("multi\nline"));
    }

    #[test]
    fn a_file_is_read_once_and_its_parse_handed_over_with_the_lines_it_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("app.env");
        std::fs::write(&path, "A=1\nB C=2\nD=4\n").expect("write");
        let mut files = ParsedEnvFiles::default();
        let keys = |files: &ParsedEnvFiles| {
            files.document(&path).expect("reads").0.entries().iter().map(|e| e.key.clone()).collect::<Vec<_>>()
        };
        assert_eq!(keys(&files), ["A", "D"]);
        // Read once: a second use is the first parse, not the file as it is now.
        std::fs::write(&path, "Z=9\n").expect("rewrite");
        assert_eq!(keys(&files), ["A", "D"]);
        // A clone shares the parse: neither can take it while the other holds it.
        let clone = files.clone();
        assert!(files.take(&path).is_none());
        drop(clone);
        let mut files = ParsedEnvFiles::default();
        std::fs::write(&path, "A=1\nB C=2\nD=4\n").expect("write");
        keys(&files);
        let (doc, errors) = files.take(&path).expect("the parse");
        assert_eq!(doc.entries().len(), 2);
        assert_eq!(errors.iter().map(|e| e.line()).collect::<Vec<_>>(), [Some(2)]);
        assert!(files.take(&path).is_none(), "taken once");
        let missing = files.document(&dir.path().join("missing.env")).map(|_| ()).expect_err("no file");
        assert!(missing.to_string().contains("missing.env"), "{missing}");
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("A=1\nB C=2\n").map_err(|e| e.0), Err(2));
        assert_eq!(parse("A='open\n").map_err(|e| e.0), Err(1));
    }
}
