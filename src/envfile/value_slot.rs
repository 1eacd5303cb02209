//! Where an assignment's value sits in the document's bytes, so an edit can replace exactly those bytes.

/// The byte span of one value token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ValueSlot {
    /// First byte of the token: the opening quote, or the first character of an unquoted value. For an empty
    /// unquoted value, the byte right after `=`; for a bare `KEY`, the byte right after the key.
    pub(crate) start: usize,
    /// One past the last byte: past the closing quote, or past the unquoted value without trailing blanks
    /// and inline comment.
    pub(crate) end: usize,
    /// A bare `KEY` line: an edit inserts `=value` at `start` rather than replacing a value.
    pub(crate) bare: bool,
}
