//! `docker secops inventory` (`ls`): which secret-bearing keys each service receives, and from where.

use anyhow::{Context, Result};

use crate::cli::{FormatArg, InventoryArgs};
use crate::exit::Exit;
use crate::inventory::Inventory;
use crate::output;
use crate::project::Project;

/// Loads the project and prints its inventory.
pub fn run(args: InventoryArgs) -> Result<Exit> {
    let options = super::project_options(&args.project)?;
    let project = Project::load(&options).context("cannot load the compose project")?;
    let inventory = Inventory::of(&project);
    output::inventory(&inventory, args.format == FormatArg::Json)?;
    Ok(Exit::Ok)
}
