//! The values compose gives the assignments of an env file: interpolated (unless single-quoted), bare keys looked
//! up, in compose-go's lookup order.

use std::path::Path;

use super::{ParsedEnvFiles, ProjectError, UndefinedVariable, interpolate};

/// One assignment of an env file with the value compose computes for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnvValue {
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// Reads `path` (through `files`, which parses each file once) and computes its values.
///
/// compose-go's dotenv parser asks `outer` first and only then the keys defined earlier in the same file, so an
/// outer definition shadows the file's own (`A=1` then `B=${A}` gives `B` the outer `A` when there is one). A bare
/// `KEY` line takes `outer(KEY)` and is dropped when that is unset. Unset variables read without a fallback are
/// pushed to `undefined`.
pub(crate) fn resolve_env_file(
    files: &ParsedEnvFiles,
    path: &Path,
    outer: &dyn Fn(&str) -> Option<String>,
    undefined: &mut Vec<UndefinedVariable>,
) -> Result<Vec<EnvValue>, ProjectError> {
    let mut own: foldhash::HashMap<String, String> = foldhash::HashMap::default();
    let mut values = Vec::new();
    let parsed = files.document(path)?;
    for entry in parsed.0.entries() {
        let value = match &entry.value {
            None => match outer(&entry.key) {
                Some(value) => value,
                None => continue,
            },
            Some(raw) if !entry.is_interpolated() => raw.clone(),
            Some(raw) => {
                let lookup = |name: &str| outer(name).or_else(|| own.get(name).cloned());
                let result = interpolate(raw, &lookup).map_err(|source| ProjectError::EnvFileInterpolation {
                    file: path.to_path_buf(),
                    line: entry.line,
                    key: entry.key.clone(),
                    source,
                })?;
                for name in result.undefined {
                    undefined.push(UndefinedVariable {
                        name,
                        file: path.to_path_buf(),
                        line: Some(entry.line),
                        service: None,
                        key: entry.key.clone(),
                    });
                }
                result.value
            }
        };
        own.insert(entry.key.clone(), value.clone());
        values.push(EnvValue { key: entry.key.clone(), value, line: entry.line });
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(text: &str, outer: &[(&str, &str)]) -> Vec<(String, String)> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("app.env");
        std::fs::write(&path, text).expect("write");
        let lookup = |name: &str| outer.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
        let mut undefined = Vec::new();
        resolve_env_file(&ParsedEnvFiles::default(), &path, &lookup, &mut undefined)
            .expect("resolves")
            .into_iter()
            .map(|v| (v.key, v.value))
            .collect()
    }

    #[test]
    fn outer_lookup_shadows_earlier_keys_of_the_file() {
        // Checked against docker compose 2.26: H=${SHARED} after SHARED=file still reads the outer SHARED.
        let values = resolve("A=1\nB=${A}x\nSHARED=file\nH=${SHARED}\n", &[("SHARED", "proc")]);
        assert_eq!(values[1], ("B".into(), "1x".into()));
        assert_eq!(values[2], ("SHARED".into(), "file".into()));
        assert_eq!(values[3], ("H".into(), "proc".into()));
    }

    #[test]
    fn single_quotes_are_literal_and_escaped_dollars_stay() {
        let values = resolve("A=1\nE='${A}'\nO=\"esc \\$A\"\nJ=$A$$\n", &[]);
        assert_eq!(values[1].1, "${A}");
        assert_eq!(values[2].1, "esc $A");
        assert_eq!(values[3].1, "1$");
    }

    #[test]
    fn bare_keys_take_the_outer_value_or_vanish() {
        let values = resolve("PROC\nMISSING\n", &[("PROC", "p")]);
        assert_eq!(values, [("PROC".to_string(), "p".to_string())]);
    }
}
