//! The result of interpolating one string.

/// A string after `${VAR}` substitution.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Interpolated {
    /// The text with every substitution applied and `$$` turned into `$`.
    pub value: String,
    /// Every variable whose value (or absence) decided the result, in order of first use, without duplicates.
    /// Variables inside an unused default are not listed.
    pub variables: Vec<String>,
    /// Variables read without a fallback (`$VAR`, `${VAR}`) that were unset: compose warns and uses "".
    pub undefined: Vec<String>,
}

impl Interpolated {
    /// True when the template referenced at least one variable (a bare `$$` escape does not count).
    pub fn is_substituted(&self) -> bool {
        !self.variables.is_empty()
    }

    pub(crate) fn note_variable(&mut self, name: &str) {
        if !self.variables.iter().any(|v| v == name) {
            self.variables.push(name.to_string());
        }
    }

    pub(crate) fn note_undefined(&mut self, name: &str) {
        if !self.undefined.iter().any(|v| v == name) {
            self.undefined.push(name.to_string());
        }
    }

    /// Takes over the variables and undefined names of a nested interpolation (a default that was used).
    pub(crate) fn absorb(&mut self, nested: &Interpolated) {
        for name in &nested.variables {
            self.note_variable(name);
        }
        for name in &nested.undefined {
            self.note_undefined(name);
        }
    }
}
