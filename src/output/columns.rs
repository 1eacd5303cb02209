//! Fitting report lines into [`WIDTH`] columns: a line's segments are packed left to right and the ones that do not
//! fit wrap onto continuation lines indented under a column, so an 80-to-100-column terminal never folds a line
//! mid-word.

/// The widest line the human reports print.
pub const WIDTH: usize = 100;

/// Columns `text` takes on a terminal: colour codes (`ESC [ ... m`) take none.
pub fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // Skip to the end of the escape sequence.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            width += 1;
        }
    }
    width
}

/// `segments` (empty ones skipped) joined by two spaces into lines of at most [`WIDTH`] columns, ending in a newline.
/// A segment that does not fit on the current line starts a new one indented by `indent` spaces; one wider than a
/// line on its own is broken at its spaces. The first segment always starts the first line.
pub fn fit(segments: &[String], indent: usize) -> String {
    fit_joined(segments, indent, 2)
}

/// [`fit`] for prose: segments are phrases that must not break (a command to copy, a time) joined by one space.
pub fn fit_prose(segments: &[String], indent: usize) -> String {
    fit_joined(segments, indent, 1)
}

fn fit_joined(segments: &[String], indent: usize, joint: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    let mut fresh = true;
    for segment in segments.iter().filter(|s| !s.is_empty()) {
        let pieces: Vec<String> = match indent + visible_width(segment) > WIDTH {
            true => {
                // Leading spaces (a line's own indent) stay with the first word.
                let words = segment.trim_start();
                let lead = &segment[..segment.len() - words.len()];
                let mut pieces: Vec<String> = words.split(' ').filter(|p| !p.is_empty()).map(String::from).collect();
                if let Some(first) = pieces.first_mut() {
                    first.insert_str(0, lead);
                }
                pieces
            }
            false => vec![segment.clone()],
        };
        for (i, piece) in pieces.iter().enumerate() {
            let gap = match (fresh, i) {
                (true, _) => 0,
                (false, 0) => joint,
                (false, _) => 1,
            };
            let width = visible_width(piece);
            if !fresh && col + gap + width > WIDTH {
                // A padded column that ends the line leaves no trailing blanks.
                out.truncate(out.trim_end_matches(' ').len());
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                col = indent;
            } else {
                out.push_str(&" ".repeat(gap));
                col += gap;
            }
            out.push_str(piece);
            col += width;
            fresh = false;
        }
    }
    out.truncate(out.trim_end_matches(' ').len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn short_lines_stay_on_one_line() {
        assert_eq!(fit(&segments(&["a", "", "b c"]), 4), "a  b c\n");
    }

    #[test]
    fn a_segment_that_does_not_fit_wraps_under_the_indent() {
        let long = "x".repeat(60);
        let text = fit(&segments(&[&long, &long, "tail"]), 6);
        assert_eq!(text, format!("{long}\n      {long}  tail\n"));
    }

    #[test]
    fn a_segment_wider_than_a_line_breaks_at_its_spaces() {
        let words = vec!["word"; 40].join(" ");
        let text = fit(&segments(&["head", &words]), 2);
        assert!(text.lines().count() > 1, "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
        assert!(text.lines().skip(1).all(|l| l.starts_with("  word")), "{text}");
        assert_eq!(text.split_whitespace().filter(|w| *w == "word").count(), 40);
    }

    #[test]
    fn colour_codes_take_no_columns() {
        assert_eq!(visible_width("\x1b[32mok\x1b[0m"), 2);
        let painted = format!("\x1b[31m{}\x1b[0m", "y".repeat(95));
        assert_eq!(fit(&segments(&["ab", &painted]), 0).lines().count(), 1);
    }
}
