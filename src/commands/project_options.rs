//! Turns the compose flags into the project model's options.

use anyhow::{Context, Result};

use crate::cli::ProjectArgs;
use crate::project::ProjectOptions;

/// Builds `ProjectOptions` from the flags, the current directory and the process environment.
pub fn project_options(args: &ProjectArgs) -> Result<ProjectOptions> {
    let working_dir = std::env::current_dir().context("cannot read the current directory")?;
    Ok(ProjectOptions {
        files: args.files.clone(),
        project_name: args.project_name.clone(),
        project_directory: args.project_directory.clone(),
        env_files: args.env_files.clone(),
        profiles: args.profiles.clone(),
        working_dir,
        environ: std::env::vars().collect(),
    })
}
