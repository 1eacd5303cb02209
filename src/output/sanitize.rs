//! Strips control characters before text from files reaches a terminal (a hostile env file could carry escapes).

/// `text` with control characters other than tab replaced by `?`.
pub fn sanitize(text: &str) -> String {
    text.chars().map(|c| if c.is_control() && c != '\t' { '?' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_are_neutralised() {
        assert_eq!(super::sanitize("a\x1b[31mb\nc\td"), "a?[31mb?c\td");
    }
}
