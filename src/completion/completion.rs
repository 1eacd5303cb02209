//! The answer to a completion request: candidates and cobra's directive.

use super::Candidate;

/// cobra's `ShellCompDirective`: what the shell does besides offering the candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Directive {
    /// Complete file names when there is no candidate (a FILE argument).
    Default,
    /// Offer the candidates only, never file names.
    NoFileComp,
    /// Complete directory names only (a DIR argument).
    FilterDirs,
}

impl Directive {
    /// The number cobra prints after `:`.
    pub fn code(self) -> u32 {
        match self {
            Directive::Default => 0,
            Directive::NoFileComp => 4,
            Directive::FilterDirs => 16,
        }
    }
}

/// Candidates (already filtered by the word being completed) and the directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub candidates: Vec<Candidate>,
    pub directive: Directive,
    /// False for `__completeNoDesc`: print the values alone.
    pub descriptions: bool,
}
