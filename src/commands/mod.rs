//! One file per sub-command: each turns parsed arguments into options, calls the core, hands the result to output.

mod check;
mod completion;
mod engine;
mod fingerprint_key;
mod generate;
mod init;
mod inventory;
mod man;
mod operator;
mod project_options;
mod recreate;
mod rotate;
mod status;
mod version;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::exit::Exit;
use crate::plugin::GlobalFlags;

pub use project_options::project_options;

/// Runs the parsed command line.
pub fn dispatch(cli: Cli, global: GlobalFlags) -> Result<Exit> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Inventory(args) => inventory::run(args),
        Command::Status(args) => status::run(args, &global),
        Command::Recreate(args) => recreate::run(args, &global),
        Command::Rotate(args) => rotate::run(args, &global),
        Command::Init(args) => init::run(args),
        Command::Completion(args) => completion::run(args),
        Command::Man(args) => man::run(args),
        Command::Version => version::run(),
    }
}
