//! An env file line as `docker stack deploy` (and `docker run --env-file`) reads it: docker/cli's `kvfile` format,
//! not compose's dotenv format.

/// One line of an env file under docker/cli's rules: blanks before the key and `#` lines skipped, the key is the
/// text before the first `=`, the value is everything after it, as written. No quotes are removed, no escapes, no
/// `${...}`, no inline comment, no trailing blank trimmed; a value never spans lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerEnvLine {
    /// 1-based line number.
    pub line: usize,
    /// The text before `=` (the whole line when there is none: docker then takes the value from its environment).
    pub key: String,
    /// The text after the first `=`; `None` for a line without one.
    pub value: Option<String>,
    /// Why docker refuses the file at this line (the whole deploy fails), in words that quote none of the line:
    /// a refused line may be part of a multi-line secret.
    pub refused: Option<&'static str>,
}

impl DockerEnvLine {
    /// The assignments and refusals of the file `bytes`, in order (docker stops at the first refusal; all are
    /// listed here so that one pass fixes them).
    pub fn parse_all(bytes: &[u8]) -> Vec<DockerEnvLine> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut lines = Vec::new();
        // bufio.Scanner's ScanLines: split at `\n`, drop one `\r` before it; a final line without `\n` counts.
        let mut raw: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        if raw.last().is_some_and(|l| l.is_empty()) {
            raw.pop();
        }
        for (index, raw) in raw.into_iter().enumerate() {
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let line = index + 1;
            let Ok(text) = std::str::from_utf8(raw) else {
                lines.push(refusal(line, "it is not valid UTF-8"));
                continue;
            };
            let text = text.trim_start();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let (key, value) = match text.split_once('=') {
                Some((key, value)) => (key, Some(value.to_string())),
                None => (text, None),
            };
            let refused = if key.is_empty() {
                Some("it has no variable name before `=`")
            } else if key.starts_with("export ") || key.starts_with("export\t") {
                Some("docker reads `export NAME` as a variable name with a blank in it")
            } else if key.contains([' ', '\t']) {
                Some("the text before `=` has a blank in it, which docker refuses as a variable name")
            } else {
                None
            };
            lines.push(DockerEnvLine { line, key: key.to_string(), value, refused });
        }
        lines
    }
}

fn refusal(line: usize, why: &'static str) -> DockerEnvLine {
    DockerEnvLine { line, key: String::new(), value: None, refused: Some(why) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_taken_as_written() {
        let lines = DockerEnvLine::parse_all(b"\xEF\xBB\xBFA=\"q\"\r\n  # c\n\nB=x # y  \nC\nD='s'=t");
        let pairs: Vec<(&str, Option<&str>)> = lines.iter().map(|l| (l.key.as_str(), l.value.as_deref())).collect();
        assert_eq!(pairs, [("A", Some("\"q\"")), ("B", Some("x # y  ")), ("C", None), ("D", Some("'s'=t"))]);
        assert_eq!(lines.iter().map(|l| l.line).collect::<Vec<_>>(), [1, 4, 5, 6]);
        assert!(lines.iter().all(|l| l.refused.is_none()));
    }

    #[test]
    fn blanks_in_names_and_export_are_refused() {
        let lines = DockerEnvLine::parse_all(b"export A=1\nB = 2\n=3\n-----END KEY-----\"\n\xff\n");
        let refused: Vec<usize> = lines.iter().filter(|l| l.refused.is_some()).map(|l| l.line).collect();
        assert_eq!(refused, [1, 2, 3, 4, 5]);
        assert!(lines[0].refused.is_some_and(|r| r.contains("export")));
    }
}
