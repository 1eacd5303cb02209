//! docker-secops: audits, rotates and recreates the credentials of a Docker Compose deployment.
//!
//! Data flows one way: `cli` -> `commands` -> (`project`, `envfile`, `secret`, ...) -> `output`.

pub mod audit;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod completion;
pub mod docker;
pub mod envfile;
pub mod error_chain;
pub mod exit;
pub mod fault;
pub mod git;
pub mod init;
pub mod interrupt;
pub mod inventory;
pub mod live;
pub mod man_pages;
pub mod output;
pub mod plugin;
pub mod project;
pub mod rotation;
pub mod secret;
pub mod stores;

use std::ffi::OsString;
use std::process::ExitCode;

/// Runs the plugin with the full argument vector (program name first) and returns the process exit code.
///
/// The metadata handshake is answered before anything else is set up: the docker CLI calls it for every
/// `docker --help`, so it must not start a runtime or touch the network.
pub fn run(args: Vec<OsString>) -> ExitCode {
    if plugin::is_metadata_call(&args) {
        return output::metadata(&plugin::Metadata::current());
    }
    let invocation = match plugin::Invocation::split(args) {
        Ok(invocation) => invocation,
        Err(err) => return output::fatal(&err.into()),
    };
    // docker's completion of `docker secops ...`: answered before clap, which would reject the half-typed line.
    if let Some(request) = completion::Request::from_args(&invocation.command_args) {
        return output::completion(&completion::complete(&request));
    }
    let parsed = match cli::parse(invocation.command_args) {
        Ok(parsed) => parsed,
        Err(err) => return output::clap_error(&err),
    };
    match commands::dispatch(parsed, invocation.global) {
        Ok(code) => code.into(),
        Err(err) => output::fatal(&err),
    }
}
