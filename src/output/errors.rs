//! Reporting a failed run on stderr: one line per cause, exit code 2.

use std::io::Write;
use std::process::ExitCode;

use crate::exit::Exit;

/// Prints `err` and its causes; returns exit code 2.
pub fn fatal(err: &anyhow::Error) -> ExitCode {
    let causes = crate::error_chain::causes(err.as_ref());
    let mut text = String::new();
    for (i, cause) in causes.iter().enumerate() {
        let (label, indent) = if i == 0 { ("docker-secops: error:", "  ") } else { ("  caused by:", "    ") };
        // A multi-line message (a refusal listing services, a failed recreate's log lines) keeps its lines: each
        // is sanitised on its own, instead of every newline turning into `?` on one long line, and indented under
        // the cause it belongs to.
        let mut lines = cause.lines();
        text.push_str(&format!("{label} {}\n", super::sanitize(lines.next().unwrap_or_default())));
        for line in lines {
            text.push_str(&format!("{indent}{}\n", super::sanitize(line)));
        }
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
    Exit::Error.into()
}

/// Prints why a run stopped on a signal, after a clean stop.
pub fn stopped(message: &str) {
    let text = format!("docker-secops: stopped: {}\n", super::sanitize(message));
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Prints a note about how the run went that changes no result (a one-time fingerprint key).
pub fn note(message: &str) {
    let text = format!("docker-secops: note: {}\n", super::sanitize(message));
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Prints a clap error (or help/version, which clap reports as an "error" that goes to stdout).
pub fn clap_error(err: &clap::Error) -> ExitCode {
    let _ = err.print();
    if err.use_stderr() { Exit::Error.into() } else { Exit::Ok.into() }
}
