//! A secret value that prints as its fingerprint and is wiped from memory when dropped.

use std::fmt;

use zeroize::Zeroizing;

use super::fingerprint;

/// A credential. `Display` and `Debug` show only the fingerprint; the value is reached through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    value: Zeroizing<String>,
}

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret { value: Zeroizing::new(value.into()) }
    }

    /// The value itself: call only where it must go (a store, an env file, `--show-secrets`).
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// The short hash that identifies the value in output.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.value)
    }

    /// Length in characters.
    pub fn len(&self) -> usize {
        self.value.chars().count()
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fingerprint())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.fingerprint())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_formats_the_value() {
        let s = Secret::new("hunter2-hunter2");
        assert!(!format!("{s}").contains("hunter2"));
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{s:#?}").contains("hunter2"));
        assert_eq!(format!("{s}"), s.fingerprint());
        assert_eq!(s.expose(), "hunter2-hunter2");
    }
}
