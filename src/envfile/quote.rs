//! The quoting style of an env-file value.

/// How a value is written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// `KEY=value` (trailing ` # comment` stripped, surrounding blanks trimmed).
    None,
    /// `KEY='value'`: literal, no escapes, no interpolation.
    Single,
    /// `KEY="value"`: escapes (`\n`, `\"`, `\\`, ...), may span lines, interpolated.
    Double,
}
