//! The quoting style of an env-file value, and how to write a value in each style so compose reads it back
//! byte for byte.

/// How a value is written in the file.
///
/// Compose interpolates `${VAR}` / `$VAR` in `None` and `Double` values (where `$$` stands for a literal
/// `$`), never in `Single` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// `KEY=value` (trailing ` # comment` stripped, surrounding blanks trimmed).
    None,
    /// `KEY='value'`: literal, no escapes, no interpolation.
    Single,
    /// `KEY="value"`: escapes (`\n`, `\"`, `\\`, ...), may span lines, interpolated.
    Double,
}

impl Quote {
    /// The simplest style that writes `value` safely when `tail` (the rest of the line after the value)
    /// follows it: unquoted for plain tokens, else single quotes, else double quotes with escapes.
    pub(crate) fn minimal(value: &str, tail: &str) -> Quote {
        [Quote::None, Quote::Single].into_iter().find(|quote| quote.fits(value, tail)).unwrap_or(Quote::Double)
    }

    /// True when `self.render(value)` followed by `tail` reads back as exactly `value`, with no `$` that
    /// interpolation could touch.
    pub(crate) fn fits(self, value: &str, tail: &str) -> bool {
        match self {
            Quote::None => {
                let plain = value.chars().all(|c| c.is_ascii_alphanumeric() || "_./:@+=-".contains(c));
                // An empty value before ` # note` would make compose read the comment as the value.
                let before_comment =
                    if value.is_empty() { tail } else { tail.find(" #").map_or(tail, |cut| &tail[..cut]) };
                plain && before_comment.trim().is_empty()
            }
            Quote::Single => {
                // A backslash escapes the next byte even in single quotes, so an odd run of trailing
                // backslashes would swallow the closing quote.
                let trailing = value.len() - value.trim_end_matches('\\').len();
                !value.contains(['\'', '\n', '\r']) && trailing.is_multiple_of(2)
            }
            Quote::Double => true,
        }
    }

    /// The value token in this style; the caller checks `fits` first.
    pub(crate) fn render(self, value: &str) -> String {
        match self {
            Quote::None => value.to_owned(),
            Quote::Single => format!("'{value}'"),
            Quote::Double => {
                let mut out = String::with_capacity(value.len() + 2);
                out.push('"');
                for c in value.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '"' => out.push_str("\\\""),
                        // `\$` reaches interpolation as `$$`, i.e. a literal `$`.
                        '$' => out.push_str("\\$"),
                        // Escaped so an edit never changes the line structure of the file.
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
                out.push('"');
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_style() {
        assert_eq!(Quote::minimal("abc-1.2_x:y@z+w=", ""), Quote::None);
        assert_eq!(Quote::minimal("", ""), Quote::None);
        assert_eq!(Quote::minimal("", " # note"), Quote::Single);
        assert_eq!(Quote::minimal("a b", ""), Quote::Single);
        assert_eq!(Quote::minimal("a$b", ""), Quote::Single);
        assert_eq!(Quote::minimal("a#b", ""), Quote::Single);
        assert_eq!(Quote::minimal("a\\", ""), Quote::Double);
        assert_eq!(Quote::minimal("a\\\\", ""), Quote::Single);
        assert_eq!(Quote::minimal("it's", ""), Quote::Double);
        assert_eq!(Quote::minimal("a\nb", ""), Quote::Double);
    }

    #[test]
    fn double_render_escapes_what_compose_decodes() {
        assert_eq!(Quote::Double.render("a\"b\\c$d\ne\rf'g"), r#""a\"b\\c\$d\ne\rf'g""#);
        assert_eq!(Quote::Single.render("x$y"), "'x$y'");
    }
}
