//! Exit codes of docker-secops, the same as ripgrep's and the CI convention: 0 clean, 1 findings, 2 error;
//! 130 / 143 after a rotation stopped cleanly on SIGINT / SIGTERM.

use std::process::ExitCode;

/// What a command reports back to the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything ran and nothing at or above the failure threshold was found.
    Ok,
    /// The command ran, and found something at or above `--fail-on`.
    Findings,
    /// Usage error, bad input or a runtime failure.
    Error,
    /// Stopped by a signal after a clean stop (128 + the signal's number, as a shell reports it).
    Signal(u8),
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        match exit {
            Exit::Ok => ExitCode::SUCCESS,
            Exit::Findings => ExitCode::from(1),
            Exit::Error => ExitCode::from(2),
            Exit::Signal(code) => ExitCode::from(code),
        }
    }
}
