//! Env-file parser and editor: `parse_lenient` never panics and gives back the input bytes; on a strictly valid
//! document, `set` of one key (an existing one or a new one) changes that key's value only, leaves the bytes before
//! its line unchanged, and reads back strictly with every other entry as it was.
//!
//! Input: the document, then optionally a 0xFF byte, a selector byte and the new value.

#![no_main]

use docker_secops::envfile::{EnvDocument, EnvError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (doc_bytes, edit) = match data.iter().position(|b| *b == 0xFF) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    };
    let (lenient, _errors) = EnvDocument::parse_lenient("fuzz.env", doc_bytes);
    assert_eq!(lenient.to_bytes(), doc_bytes, "lenient parse must keep the bytes");
    let Ok(mut doc) = EnvDocument::parse("fuzz.env", doc_bytes) else { return };
    assert_eq!(doc.entries().len(), lenient.entries().len(), "lenient and strict agree on a valid document");
    let Some((&selector, value)) = edit.and_then(|e| e.split_first()) else { return };
    let Ok(value) = std::str::from_utf8(value) else { return };
    let before = doc.entries().to_vec();
    let key = match before.get(usize::from(selector)) {
        Some(entry) => entry.key.clone(),
        None => "FUZZ_NEW_KEY".to_string(),
    };
    match doc.set(&key, value) {
        Ok(()) => {}
        Err(EnvError::UnrepresentableValue { .. }) => return,
        Err(err) => panic!("set({key:?}) failed: {err}"),
    }
    let edited = doc.to_bytes();
    let reread = EnvDocument::parse("fuzz.env", &edited).expect("an edited valid document stays valid");
    assert_eq!(reread.get(&key).and_then(|e| e.literal()).as_deref(), Some(value), "the new value reads back");
    let edited_index = before.iter().rposition(|e| e.key == key);
    let after = reread.entries();
    assert_eq!(after.len(), before.len() + usize::from(edited_index.is_none()), "no entry gained or lost");
    for (i, (old, new)) in before.iter().zip(after).enumerate() {
        if Some(i) != edited_index {
            assert_eq!(
                (&old.key, &old.value, old.quote, old.exported),
                (&new.key, &new.value, new.quote, new.exported)
            );
        }
    }
    // Bytes before the edited line are untouched (an append touches nothing before the end).
    let line_start = match edited_index {
        Some(i) => nth_line_start(doc_bytes, before[i].line),
        None => doc_bytes.len().saturating_sub(1),
    };
    assert_eq!(&edited[..line_start], &doc_bytes[..line_start], "bytes before the edited line changed");
});

/// Byte offset where 1-based `line` starts.
fn nth_line_start(bytes: &[u8], line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(line - 2).map_or(bytes.len(), |(i, _)| i + 1)
}
