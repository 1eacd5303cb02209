//! compose interpolation on arbitrary text: never panics; text without `$` is returned as is; any text with each
//! `$` doubled (compose's escape) reads back as itself.

#![no_main]

use docker_secops::project::interpolate;
use libfuzzer_sys::fuzz_target;

fn lookup(name: &str) -> Option<String> {
    match name {
        "SET" => Some("value".into()),
        "EMPTY" => Some(String::new()),
        "NESTED" => Some("${SET}".into()),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = interpolate(text, &lookup);
    if !text.contains('$') {
        assert_eq!(interpolate(text, &lookup).expect("no $: no error").value, text);
    }
    let escaped = text.replace('$', "$$");
    assert_eq!(interpolate(&escaped, &lookup).expect("escaped text is valid").value, text);
});
