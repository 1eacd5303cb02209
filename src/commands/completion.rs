//! `docker-secops completion bash|zsh|fish`: a static completion script for running the plugin directly.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionArgs, ShellArg};
use crate::exit::Exit;
use crate::output;

/// Prints the script for the asked shell.
pub fn run(args: CompletionArgs) -> Result<Exit> {
    let shell = match args.shell {
        ShellArg::Bash => clap_complete::Shell::Bash,
        ShellArg::Zsh => clap_complete::Shell::Zsh,
        ShellArg::Fish => clap_complete::Shell::Fish,
    };
    output::completion_script(shell, &mut Cli::command())?;
    Ok(Exit::Ok)
}
