//! Why a string could not be interpolated.

/// A failed interpolation; the caller adds the file and YAML path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterpolationError {
    /// `${VAR:?message}` with `VAR` unset or empty, or `${VAR?message}` with `VAR` unset.
    #[error("required variable {variable} is missing a value: {message}")]
    Required { variable: String, message: String },
    /// A `${...}` that compose cannot parse (`${}`, `${A B}`, `${A:=x}`, an unclosed brace).
    #[error("invalid interpolation format in {template:?}")]
    InvalidTemplate { template: String },
}
