//! The plugin metadata handshake and `version`.

use std::io::Write;
use std::process::ExitCode;

use crate::exit::Exit;
use crate::plugin::Metadata;

/// Prints the metadata JSON the docker CLI asked for.
pub fn metadata(meta: &Metadata) -> ExitCode {
    let text = serde_json::to_string(meta).unwrap_or_default();
    match writeln!(std::io::stdout().lock(), "{text}") {
        Ok(()) => Exit::Ok.into(),
        Err(_) => Exit::Error.into(),
    }
}

/// Prints the version line.
pub fn version(version: &str) -> std::io::Result<()> {
    super::Console::stdout().write(&format!("docker-secops {version}\n"))
}
