//! `docker secops inventory` (`ls`): which secret-bearing keys each service receives, and from where.

use anyhow::{Context, Result};

use crate::cli::{InventoryArgs, InventoryFormatArg};
use crate::exit::Exit;
use crate::inventory::Inventory;
use crate::output;
use crate::project::Project;

/// Loads the project and prints its inventory.
pub fn run(args: InventoryArgs) -> Result<Exit> {
    let options = super::project_options(&args.project)?;
    let project = Project::load(&options).context("cannot load the compose project")?;
    super::fingerprint_key::install(&crate::state_dir::StateDir::of_project(&project.directory), &args.project)?;
    let inventory = Inventory::of(&project);
    match args.format {
        InventoryFormatArg::Human => output::inventory(&inventory, false)?,
        InventoryFormatArg::Json => output::inventory(&inventory, true)?,
        InventoryFormatArg::Mermaid => output::inventory_mermaid(&inventory)?,
        InventoryFormatArg::Dot => output::inventory_dot(&inventory)?,
    }
    Ok(Exit::Ok)
}
