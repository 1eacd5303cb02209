//! `docker secops version`.

use anyhow::Result;

use crate::exit::Exit;
use crate::output;

/// Prints the version.
pub fn run() -> Result<Exit> {
    output::version(env!("CARGO_PKG_VERSION"))?;
    Ok(Exit::Ok)
}
