//! Property tests: random compose env files round-trip, and `set` changes one value's bytes and nothing else.

use proptest::prelude::*;

use super::{Entry, EnvDocument};

const KEYS: [&str; 7] = ["A", "B", "DB_PASSWORD", "x.y", "k-1", "K[0]", "é"];

/// Characters for values: every one compose treats specially, blanks, and multi-byte text.
const VALUE_CHARS: &str = "aZ09_-./:@+=$#'\" \t\\é✓日\u{a0}{}";

fn text(chars: &'static str, max: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = chars.chars().collect();
    prop::collection::vec(prop::sample::select(chars), 0..max).prop_map(|v| v.into_iter().collect())
}

/// An unquoted token: anything on one line that does not open a quote.
fn unquoted() -> impl Strategy<Value = String> {
    text(VALUE_CHARS, 10).prop_filter("opens a quote", |t| !t.trim_start().starts_with(['\'', '"']))
}

/// A single-quoted token, possibly multi-line; `\'` and `\\` pairs included.
fn single() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => text("aZ0 $#\"é✓\t", 3),
        1 => Just("\\'".to_owned()),
        1 => Just("\\\\".to_owned()),
        1 => Just("\n".to_owned()),
    ];
    prop::collection::vec(piece, 0..5).prop_map(|p| format!("'{}'", p.concat()))
}

/// A double-quoted token with escapes, possibly multi-line.
fn double() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => text("aZ0 $#'é✓\t", 3),
        2 => prop::sample::select(vec!["\\n", "\\t", "\\\"", "\\\\", "\\$", "\\r", "\\q", "\\0101"])
            .prop_map(str::to_owned),
        1 => Just("\n".to_owned()),
    ];
    prop::collection::vec(piece, 0..5).prop_map(|p| format!("\"{}\"", p.concat()))
}

/// One line (or, for multi-line values, several) of a document, without its final line ending.
fn line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(KEYS.to_vec());
    let indent = prop::sample::select(vec!["", "  ", "\t"]);
    let export = prop::sample::select(vec!["", "export ", "export\t"]);
    let separator = prop::sample::select(vec!["=", " = ", "= ", ":", ": "]);
    let comment = prop::option::of(text("a #$'\"é", 6));
    let assignment =
        (indent.clone(), export.clone(), key.clone(), separator, prop_oneof![unquoted(), single(), double()], comment)
            .prop_map(|(indent, export, key, sep, token, comment)| {
                let comment = comment.map_or(String::new(), |c| {
                    if token.starts_with(['\'', '"']) { format!(" #{c}") } else { format!(" # {c}") }
                });
                format!("{indent}{export}{key}{sep}{token}{comment}")
            });
    prop_oneof![
        6 => assignment,
        1 => (indent, export, key).prop_map(|(i, e, k)| format!("{i}{e}{k}")),
        1 => text("a #$'\"é", 8).prop_map(|c| format!("#{c}")),
        1 => prop::sample::select(vec!["", " ", "\t "]).prop_map(str::to_owned),
    ]
}

/// A whole document: BOM or not, LF or CRLF, final line ending or not.
pub(super) fn document() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(line(), 0..10), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(lines, bom, crlf, final_eol)| {
            let eol = if crlf { "\r\n" } else { "\n" };
            let lines: Vec<String> = lines.into_iter().map(|l| l.replace('\n', eol)).collect();
            let mut text = lines.join(eol);
            // A bare key as the very last bytes is the one form compose misreads: give it its newline.
            let last_is_bare = lines.last().is_some_and(|l| {
                let l = l.trim_start().trim_start_matches("export").trim_start();
                KEYS.contains(&l)
            });
            if (final_eol || last_is_bare) && !lines.is_empty() {
                text.push_str(eol);
            }
            let bom = if bom { "\u{feff}" } else { "" };
            format!("{bom}{text}").into_bytes()
        },
    )
}

pub(super) fn new_value() -> impl Strategy<Value = String> {
    text("aZ09_-./:@+=$#'\" \t\\é✓\n\r{}", 16)
}

/// What must not change about an entry other than the edited one.
fn meaning(e: &Entry) -> (&str, Option<&str>, super::Quote, bool) {
    (e.key.as_str(), e.value.as_deref(), e.quote, e.exported)
}

proptest! {
    #[test]
    fn unedited_documents_round_trip(input in document()) {
        let doc = EnvDocument::parse("prop.env", &input).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(doc.to_bytes(), input.clone());
        prop_assert_eq!(EnvDocument::parse("prop.env", &doc.to_bytes()).ok(), Some(doc));
        let (lenient, errors) = EnvDocument::parse_lenient("prop.env", &input);
        prop_assert!(errors.is_empty());
        prop_assert_eq!(lenient.to_bytes(), input);
    }

    #[test]
    fn set_changes_only_that_value(input in document(), pick in any::<prop::sample::Index>(),
                                   append in any::<bool>(), value in new_value()) {
        let before = EnvDocument::parse("prop.env", &input).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let keys: Vec<&str> = before.entries().iter().map(|e| e.key.as_str()).collect();
        let key = if append || keys.is_empty() { "NEW_KEY" } else { keys[pick.index(keys.len())] };
        let edited_index = before.entries().iter().rposition(|e| e.key == key);

        let mut doc = before.clone();
        doc.set(key, &value).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let bytes = doc.to_bytes();
        let after = EnvDocument::parse("prop.env", &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(after.entries(), doc.entries());
        let literal = after.get(key).and_then(Entry::literal).map(|l| l.into_owned());
        prop_assert_eq!(literal, Some(value.clone()));

        let old = before.to_bytes();
        match edited_index {
            Some(i) => {
                let slot = before.slots()[i];
                prop_assert_eq!(&bytes[..slot.start], &old[..slot.start]);
                prop_assert!(bytes.ends_with(&old[slot.end..]));
                prop_assert_eq!(after.entries().len(), before.entries().len());
                for (j, (b, a)) in before.entries().iter().zip(after.entries()).enumerate() {
                    if j != i {
                        prop_assert_eq!(meaning(b), meaning(a));
                    }
                    if j <= i {
                        prop_assert_eq!(b.line, a.line);
                    }
                }
            }
            None => {
                prop_assert!(bytes.starts_with(&old));
                prop_assert_eq!(&after.entries()[..before.entries().len()], before.entries());
                prop_assert_eq!(after.entries().len(), before.entries().len() + 1);
            }
        }
    }
}
