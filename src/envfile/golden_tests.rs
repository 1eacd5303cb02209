//! Golden tests: each syntax form parses to the entries compose would see, and unedited bytes round-trip.

use super::{Entry, EnvDocument, EnvError, Quote};

type Row<'a> = (&'a str, Option<&'a str>, usize, Quote, bool);

fn rows(doc: &EnvDocument) -> Vec<Row<'_>> {
    fn row(e: &Entry) -> Row<'_> {
        (e.key.as_str(), e.value.as_deref(), e.line, e.quote, e.exported)
    }
    doc.entries().iter().map(row).collect()
}

/// Parses `input`, checks it round-trips byte for byte and re-parses equal, and returns the document.
fn golden(input: &[u8]) -> EnvDocument {
    let doc = EnvDocument::parse("golden.env", input).expect("parses");
    assert_eq!(doc.to_bytes(), input, "to_bytes of an unedited document is its input");
    assert_eq!(EnvDocument::parse("golden.env", &doc.to_bytes()).expect("re-parses"), doc);
    doc
}

use Quote::{Double as D, None as N, Single as S};

#[test]
fn fixture_with_every_form() {
    let doc = golden(include_bytes!("../../tests/fixtures/envfile/all-forms.env"));
    assert_eq!(
        rows(&doc),
        [
            ("PLAIN", Some("value"), 2, N, false),
            ("EXPORTED", Some("1"), 3, N, true),
            ("SPACED", Some("padded value"), 4, N, false),
            ("COMMENTED", Some("abc"), 5, N, false),
            ("HASH", Some("abc#not-a-comment"), 6, N, false),
            ("SINGLE", Some("$literal \\n"), 7, S, false),
            ("DOUBLE", Some("a\tb \"q\" $$HOME"), 8, D, false),
            ("MULTI", Some("line one\r\nline two"), 9, D, false),
            ("YAML", Some("yaml style"), 11, N, false),
            ("BARE", None, 12, N, false),
            ("EMPTY", Some(""), 13, N, false),
            ("EMPTY_QUOTED", Some(""), 14, D, false),
            ("dotted.key-name[0]", Some("k"), 15, N, false),
            ("PLAIN", Some("duplicate wins"), 16, N, false),
        ]
    );
    assert_eq!(doc.get("PLAIN").map(|e| e.line), Some(16), "last occurrence wins");
    assert_eq!(doc.get("DOUBLE").and_then(Entry::literal).as_deref(), Some("a\tb \"q\" $HOME"));
}

#[test]
fn inline_comments_follow_compose_rules() {
    let doc = golden(b"A=abc # note\nB=abc#x\nC=a\t#b\nD='x y' # c\nE=\"x\"#c\nF= # c\nG=a  #  b\n");
    assert_eq!(
        rows(&doc),
        [
            ("A", Some("abc"), 1, N, false),
            ("B", Some("abc#x"), 2, N, false),
            ("C", Some("a\t#b"), 3, N, false),
            ("D", Some("x y"), 4, S, false),
            ("E", Some("x"), 5, D, false),
            // Compose trims blanks after `=` first, so the `#` then starts the value.
            ("F", Some("# c"), 6, N, false),
            ("G", Some("a"), 7, N, false),
        ]
    );
}

#[test]
fn single_quotes_are_literal_except_escaped_quote() {
    let doc = golden(
        br"A='$HOME \n ${X}'
B='it\'s'
C='a\\b'
",
    );
    let values: Vec<_> = doc.entries().iter().map(|e| e.value.as_deref()).collect();
    assert_eq!(values, [Some(r"$HOME \n ${X}"), Some("it's"), Some(r"a\\b")]);
}

#[test]
fn double_quote_escapes() {
    let doc = golden(br#"A="a\nb\rc\td\"e\\f\$g\qh\0101""#);
    assert_eq!(doc.entries()[0].value.as_deref(), Some("a\nb\rc\td\"e\\f$$g\\qhA"));
    assert_eq!(doc.entries()[0].literal().as_deref(), Some("a\nb\rc\td\"e\\f$g\\qhA"));
}

#[test]
fn multi_line_values_and_following_lines() {
    let doc = golden(b"A=\"line1\nline2\" # c\nB='x\n\ny'\nC=3\n");
    assert_eq!(
        rows(&doc),
        [("A", Some("line1\nline2"), 1, D, false), ("B", Some("x\n\ny"), 3, S, false), ("C", Some("3"), 6, N, false)]
    );
}

#[test]
fn crlf_bom_and_no_final_newline() {
    let doc = golden(b"A=1\r\nB='2'\r\nC\r\nD=\r\n  \r\nE=5");
    assert_eq!(
        rows(&doc),
        [
            ("A", Some("1"), 1, N, false),
            ("B", Some("2"), 2, S, false),
            ("C", None, 3, N, false),
            ("D", Some(""), 4, N, false),
            ("E", Some("5"), 6, N, false),
        ]
    );
    let doc = golden("\u{feff}A=1\nB=2".as_bytes());
    assert_eq!(rows(&doc), [("A", Some("1"), 1, N, false), ("B", Some("2"), 2, N, false)]);
    assert!(golden(b"").entries().is_empty());
    assert!(golden("\u{feff}".as_bytes()).entries().is_empty());
    assert!(golden(b"# only a comment").entries().is_empty());
}

#[test]
fn keys_compose_accepts() {
    let doc = golden("a.b=1\nx-y=2\nk[0]=3\nárvíz=4\n1ST=5\nexportX=6\nexport\texport=7\n".as_bytes());
    let keys: Vec<_> = doc.entries().iter().map(|e| (e.key.as_str(), e.exported)).collect();
    assert_eq!(
        keys,
        [
            ("a.b", false),
            ("x-y", false),
            ("k[0]", false),
            ("árvíz", false),
            ("1ST", false),
            ("exportX", false),
            ("export", true)
        ]
    );
}

#[test]
fn values_keep_separators_and_unicode() {
    let doc = golden("URL=postgres://u:p@h/db?x=1\nYAML: a=b\nU=héllo wörld ✓\n".as_bytes());
    let values: Vec<_> = doc.entries().iter().map(|e| e.value.as_deref()).collect();
    assert_eq!(values, [Some("postgres://u:p@h/db?x=1"), Some("a=b"), Some("héllo wörld ✓")]);
}

fn strict_error(input: &[u8]) -> EnvError {
    EnvDocument::parse("bad.env", input).expect_err("must fail")
}

#[test]
fn errors_name_file_line_and_column() {
    let cases: [(&[u8], &str); 8] = [
        (b"A=1\nB=\"s3cret\nC=1\n", "bad.env:2:3: unterminated double quoted value"),
        (b"A='s3cret", "bad.env:1:3: unterminated single quoted value"),
        (b"A=1\nB C=2\n", "bad.env:2:2: variable name cannot contain whitespace"),
        (b"A=1\nB$=2\n", "bad.env:2:2: unexpected character '$' in variable name"),
        (b"A='s3cret' y\n", "bad.env:1:12: unexpected text after the closing quote"),
        (b"\n=s3cret\n", "bad.env:2:1: missing variable name"),
        (b"A=1\nDEBUG", "bad.env:2: bare variable \"DEBUG\" on the last line"),
        (b"A=1\nB=s3\xffcret\n", "bad.env:2:5: invalid UTF-8"),
    ];
    for (input, expected) in cases {
        let message = strict_error(input).to_string();
        assert!(message.starts_with(expected), "{message:?} should start with {expected:?}");
        assert!(!message.contains("s3"), "a message must never show a value: {message}");
    }
}

#[test]
fn lenient_parse_keeps_bad_lines_and_reports_each() {
    let input = b"A=1\nB C=2\nD='x' y\nE=\xff\nF=\"multi\nline\" junk\nG=7\n";
    let (doc, errors) = EnvDocument::parse_lenient("lint.env", input);
    assert_eq!(doc.to_bytes(), input);
    let keys: Vec<_> = doc.entries().iter().map(|e| (e.key.as_str(), e.line)).collect();
    assert_eq!(keys, [("A", 1), ("G", 7)]);
    let lines: Vec<_> = errors.iter().map(EnvError::line).collect();
    assert_eq!(lines, [Some(4), Some(2), Some(3), Some(6)]);
}

#[test]
fn lenient_parse_masks_bad_lines_with_multibyte_text_and_keeps_every_good_line() {
    let mut input = String::new();
    for i in 0..500 {
        input.push_str(&format!("bäd lïne {i} ü\nK{i}=v{i}\n"));
    }
    let (doc, errors) = EnvDocument::parse_lenient("many.env", input.as_bytes());
    assert_eq!(doc.to_bytes(), input.as_bytes());
    assert_eq!(errors.len(), 500);
    assert_eq!(doc.entries().len(), 500);
    assert_eq!(doc.get("K499").and_then(|e| e.value.as_deref()), Some("v499"));
}

#[test]
fn lenient_parse_lists_the_first_thousand_bad_lines_and_counts_the_rest() {
    let mut input = Vec::new();
    for i in 0..1500 {
        // Every other bad line is invalid UTF-8, the others a key with a space.
        if i % 2 == 0 {
            input.extend_from_slice(b"A=\xff\n")
        } else {
            input.extend_from_slice(b"B C=1\n")
        }
        input.extend_from_slice(format!("K{i}=v\n").as_bytes());
    }
    let (doc, errors) = EnvDocument::parse_lenient("garbage.env", &input);
    assert_eq!(doc.to_bytes(), input);
    assert_eq!(doc.entries().len(), 1500, "every good line is still read");
    assert_eq!(errors.len(), crate::envfile::MAX_LISTED_ERRORS + 1);
    let last = errors.last().expect("summary");
    assert!(matches!(last, EnvError::MoreErrors { more: 500, .. }), "{last}");
    assert!(last.to_string().contains("500 more lines"), "{last}");
}

#[test]
fn content_hash_is_sha256_of_input() {
    let doc = golden(b"A=1\n");
    assert_eq!(doc.content_hash(), "91d6a3d55e9fea7911c537afae6607c77fa8bc0f3a76c375e104ac5a8cfa84db");
}

#[test]
fn read_names_missing_file() {
    let err = EnvDocument::read(std::path::Path::new("/nonexistent/dir/.env")).expect_err("missing");
    assert!(err.to_string().starts_with("/nonexistent/dir/.env: cannot read env file"), "{err}");
}

#[test]
fn bare_key_after_assignment_falls_back_to_it() {
    // Compose: a bare `A` takes A from its environment when set there, else keeps the earlier `A=1`.
    let doc = golden(b"A=1\nA\nB\n");
    assert_eq!(doc.get("A").map(|e| (e.line, e.value.is_none())), Some((2, true)));
    assert_eq!(doc.get_assigned("A").map(|e| e.line), Some(1));
    assert_eq!(doc.get_assigned("B"), None);
}
