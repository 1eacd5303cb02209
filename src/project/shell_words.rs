//! Splitting a string `command:` into words the way compose does (go-shellwords, without variable or backtick
//! expansion): blanks separate words, quotes group, a backslash escapes outside single quotes.

/// Splits `command` into words; `None` when a quote is left open.
pub(crate) fn split_command(command: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\\' => {
                in_word = true;
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        other => word.push(other),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            escaped @ ('"' | '\\' | '$' | '`') => word.push(escaped),
                            '\n' => {}
                            other => {
                                word.push('\\');
                                word.push(other);
                            }
                        },
                        other => word.push(other),
                    }
                }
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_compose() {
        assert_eq!(
            split_command("sh -c 'echo \"a b\" c\\ d'"),
            Some(vec!["sh".into(), "-c".into(), "echo \"a b\" c\\ d".into()])
        );
        assert_eq!(
            split_command("  redis-server --requirepass \"$$P w\"  "),
            Some(vec!["redis-server".into(), "--requirepass".into(), "$$P w".into()])
        );
        assert_eq!(split_command("a\\ b c\"\"d ''"), Some(vec!["a b".into(), "cd".into(), "".into()]));
        assert_eq!(split_command("echo 'open"), None);
        assert_eq!(split_command(""), Some(vec![]));
    }
}
