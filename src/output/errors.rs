//! Reporting a failed run on stderr: one line per cause, exit code 2.

use std::io::Write;
use std::process::ExitCode;

use crate::exit::Exit;

/// Prints `err` and its causes; returns exit code 2.
pub fn fatal(err: &anyhow::Error) -> ExitCode {
    let mut said = err.to_string();
    let mut text = format!("docker-secops: error: {}\n", super::sanitize(&said));
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        // Many messages already end with their source's text (`cannot read F: Is a directory`): say it once.
        if !said.contains(&cause) {
            text.push_str(&format!("  caused by: {}\n", super::sanitize(&cause)));
        }
        said = cause;
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
    Exit::Error.into()
}

/// Prints why a run stopped on a signal, after a clean stop.
pub fn stopped(message: &str) {
    let text = format!("docker-secops: stopped: {}\n", super::sanitize(message));
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Prints a clap error (or help/version, which clap reports as an "error" that goes to stdout).
pub fn clap_error(err: &clap::Error) -> ExitCode {
    let _ = err.print();
    if err.use_stderr() { Exit::Error.into() } else { Exit::Ok.into() }
}
