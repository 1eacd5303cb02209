//! The values that come from the project or from a registry rather than from clap: `rotate` targets, `recreate`
//! services, check names. Read offline from the compose project the typed flags select (or the current
//! directory's), so completing never waits for Docker.

use clap::{CommandFactory, FromArgMatches};

use super::{Candidate, Request, rotate_targets};
use crate::checks;
use crate::cli::{Cli, ProjectArgs};
use crate::project::Project;

/// The candidates for argument `arg` (clap id) of sub-command `command`, when they are dynamic; `None` leaves
/// the argument to clap's own description (enum values, file hints).
pub fn values(command: &str, arg: &str, request: &Request) -> Option<Vec<Candidate>> {
    match (command, arg) {
        ("rotate", "target") => Some(project(command, request).map(|p| rotate_targets(&p)).unwrap_or_default()),
        ("recreate", "services") => Some(
            project(command, request)
                .map(|p| p.services.iter().map(|s| Candidate::new(&s.name, s.image.as_deref())).collect())
                .unwrap_or_default(),
        ),
        (_, "only" | "skip") => {
            Some(checks::registry().iter().map(|c| Candidate::new(c.name().as_str(), Some(c.help()))).collect())
        }
        _ => None,
    }
}

/// The project the words typed so far select (`-f`, `--project-directory`, ...), loaded offline.
fn project(command: &str, request: &Request) -> Option<Project> {
    let args = std::iter::once("docker-secops".to_string()).chain(request.words.iter().cloned());
    // The command line is unfinished (a required TARGET is what is being typed): take what parses.
    let matches = Cli::command().ignore_errors(true).try_get_matches_from(args).ok()?;
    let sub = matches.subcommand_matches(command)?;
    let flags = ProjectArgs::from_arg_matches(sub).ok()?;
    let options = crate::commands::project_options(&flags).ok()?;
    Project::load(&options).ok()
}
