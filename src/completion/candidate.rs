//! One completion candidate: the word and what it means.

/// A word the shell may insert, with an optional one-line description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub description: Option<String>,
}

impl Candidate {
    /// A candidate with a description (its first line, so the protocol's one-line framing holds).
    pub fn new(value: impl Into<String>, description: Option<&str>) -> Self {
        let description = description.and_then(|d| d.lines().next()).map(str::trim).filter(|d| !d.is_empty());
        Candidate { value: value.into(), description: description.map(str::to_string) }
    }
}
