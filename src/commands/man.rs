//! `docker-secops man DIR` (hidden): writes the man pages, for install.sh.

use anyhow::Result;

use crate::cli::ManArgs;
use crate::exit::Exit;
use crate::{man_pages, output};

/// Writes the pages into the directory and lists them.
pub fn run(args: ManArgs) -> Result<Exit> {
    output::man_pages(&man_pages::write_all(&args.dir)?)?;
    Ok(Exit::Ok)
}
