//! Env files as the project loader read them: each file read and leniently parsed once per load, however many
//! services, `include` entries or interpolation passes use it, and kept for `check` (which reports the lines the
//! lenient parse skipped) so that no file is parsed twice.

use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ProjectError;
use crate::envfile::{Entry, EnvDocument, EnvError};

/// The env files one project load read, by the path they were read from.
#[derive(Clone, Default)]
pub struct ParsedEnvFiles {
    files: HashMap<PathBuf, Arc<(EnvDocument, Vec<EnvError>)>>,
}

impl ParsedEnvFiles {
    /// The assignments of the env file at `path` in order, read and parsed on first use.
    ///
    /// Leniently: a line compose would reject is skipped here rather than failing the whole project, so that
    /// `check` can load the project and report the line (`env-syntax`); commands that edit a file parse it
    /// strictly.
    ///
    /// Values are unquoted and unescaped but not interpolated. An escaped dollar (`\$`) in a double-quoted value
    /// is returned as `$$`, which interpolation turns back into a literal `$` (compose never substitutes an escaped
    /// dollar).
    pub(crate) fn entries(&mut self, path: &Path) -> Result<&[Entry], ProjectError> {
        let parsed = match self.files.entry(path.to_path_buf()) {
            Slot::Occupied(slot) => slot.into_mut(),
            Slot::Vacant(slot) => {
                let bytes = crate::envfile::read_bounded(path)
                    .map_err(|source| ProjectError::Read { path: path.to_path_buf(), source })?;
                slot.insert(Arc::new(EnvDocument::parse_lenient(path, &bytes)))
            }
        };
        Ok(parsed.0.entries())
    }

    /// Takes the document of `path` and the lines its lenient parse skipped, when the load read that file and no
    /// copy of this set shares it (a clone of the project keeps its own handle: the caller then reads the file
    /// itself).
    pub fn take(&mut self, path: &Path) -> Option<(EnvDocument, Vec<EnvError>)> {
        self.files.remove(path).and_then(|parsed| Arc::try_unwrap(parsed).ok())
    }
}

/// Paths only: a document's values are secrets.
impl fmt::Debug for ParsedEnvFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut paths: Vec<&PathBuf> = self.files.keys().collect();
        paths.sort();
        f.debug_struct("ParsedEnvFiles").field("paths", &paths).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envfile::Quote;

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
        let keys = |files: &mut ParsedEnvFiles| {
            files.entries(&path).expect("reads").iter().map(|e| e.key.clone()).collect::<Vec<_>>()
        };
        assert_eq!(keys(&mut files), ["A", "D"]);
        // Read once: a second use is the first parse, not the file as it is now.
        std::fs::write(&path, "Z=9\n").expect("rewrite");
        assert_eq!(keys(&mut files), ["A", "D"]);
        // A clone shares the parse: neither can take it while the other holds it.
        let clone = files.clone();
        assert!(files.take(&path).is_none());
        drop(clone);
        let mut files = ParsedEnvFiles::default();
        std::fs::write(&path, "A=1\nB C=2\nD=4\n").expect("write");
        keys(&mut files);
        let (doc, errors) = files.take(&path).expect("the parse");
        assert_eq!(doc.entries().len(), 2);
        assert_eq!(errors.iter().map(|e| e.line()).collect::<Vec<_>>(), [Some(2)]);
        assert!(files.take(&path).is_none(), "taken once");
        let missing = files.entries(&dir.path().join("missing.env")).map(|_| ()).expect_err("no file");
        assert!(missing.to_string().contains("missing.env"), "{missing}");
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("A=1\nB C=2\n").map_err(|e| e.0), Err(2));
        assert_eq!(parse("A='open\n").map_err(|e| e.0), Err(1));
    }
}
