//! The one format every human report prints a point in time in: RFC 3339, UTC, to the second
//! (`2026-05-01T10:00:00Z`), sortable, unambiguous across time zones, and the form the JSON outputs use too.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// `t` as `2026-05-01T10:00:00Z`.
pub fn timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.replace_nanosecond(0).unwrap_or(t).format(&Rfc3339).unwrap_or_default()
}

/// An RFC 3339 time read from a file (journal, lock) in the same format; text that does not parse is shown as it is
/// (sanitised: it comes from a file).
pub fn timestamp_text(text: &str) -> String {
    match OffsetDateTime::parse(text, &Rfc3339) {
        Ok(t) => timestamp(t),
        Err(_) => super::sanitize(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_as_utc_rfc3339_to_the_second() {
        let t = OffsetDateTime::parse("2026-05-01T12:00:00.123456789+02:00", &Rfc3339).expect("time");
        assert_eq!(timestamp(t), "2026-05-01T10:00:00Z");
        assert_eq!(timestamp_text("2026-05-01T10:00:00.5Z"), "2026-05-01T10:00:00Z");
        assert_eq!(timestamp_text("yesterday\x1b"), "yesterday?");
    }
}
