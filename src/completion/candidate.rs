//! One completion candidate: the word and what it means.

/// A word the shell may insert, with an optional one-line description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub description: Option<String>,
}

impl Candidate {
    /// A candidate with a description: its first sentence of its first line, as a menu shows one short line.
    pub fn new(value: impl Into<String>, description: Option<&str>) -> Self {
        let first_line = description.and_then(|d| d.lines().next());
        let description =
            first_line.map(|l| l.split_once(". ").map_or(l, |(s, _)| s)).map(str::trim).filter(|d| !d.is_empty());
        Candidate { value: value.into(), description: description.map(str::to_string) }
    }
}
