//! The inventory of a project: every environment key each service receives, where its value comes from, and
//! whether it is a secret. It is the blast radius of a rotation, and the input of `check`.

mod key_entry;
mod secret_entry;
mod secret_rule;
mod service_inventory;
mod url_password;

use serde::Serialize;

pub use key_entry::{KeyEntry, Source};
pub use secret_entry::{SecretEntry, SecretOrigin};
pub use secret_rule::SecretRule;
pub use service_inventory::{EnvFileEntry, ServiceInventory};
pub(crate) use url_password::{embeds, replace_password};

use crate::project::Project;

/// The inventory of one project, in the documented JSON shape.
#[derive(Debug, Clone, Serialize)]
pub struct Inventory {
    pub project: String,
    pub services: Vec<ServiceInventory>,
}

impl Inventory {
    /// Builds the inventory of `project`.
    pub fn of(project: &Project) -> Self {
        let rule = SecretRule::for_project(project);
        Inventory {
            project: project.name.clone(),
            services: project.services.iter().map(|s| ServiceInventory::of(s, &rule, project)).collect(),
        }
    }

    /// How many compose secrets the project hands out, over all services.
    pub fn compose_secret_count(&self) -> usize {
        self.services.iter().map(|s| s.secrets.len()).sum()
    }

    /// How many secret keys the project hands out, over all services.
    pub fn secret_count(&self) -> usize {
        self.services.iter().map(|s| s.environment.iter().filter(|k| k.secret).count()).sum()
    }
}
