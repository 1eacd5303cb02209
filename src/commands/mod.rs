//! One file per sub-command: each turns parsed arguments into options, calls the core, hands the result to output.

mod check;
mod generate;
mod inventory;
mod project_options;
mod version;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::exit::Exit;
use crate::plugin::GlobalFlags;

pub use project_options::project_options;

/// Runs the parsed command line.
pub fn dispatch(cli: Cli, global: GlobalFlags) -> Result<Exit> {
    let _ = &global; // Kept for the commands that talk to the engine (status, recreate, rotate).
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Inventory(args) => inventory::run(args),
        Command::Version => version::run(),
    }
}
