//! The recreator a rotation gets for its deployment: compose containers, or the services of a Swarm stack.

use super::{RecreateError, RecreateOutcome, ServiceRecreator, StackRecreator};
use crate::project::Service;
use crate::rotation::Recreator;
use crate::secret::Secret;

/// Compose (`up -d --no-deps --force-recreate` of each consumer) or Swarm (a rolling update of each consumer's service).
pub enum DeploymentRecreator<'a> {
    Compose(ServiceRecreator<'a>),
    Stack(StackRecreator<'a>),
}

impl DeploymentRecreator<'_> {
    /// Recreates one service (`recreate`) and judges the result against the files' values.
    pub async fn recreate_one(&self, service: &Service) -> Result<RecreateOutcome, RecreateError> {
        match self {
            DeploymentRecreator::Compose(compose) => compose.recreate(service).await,
            DeploymentRecreator::Stack(stack) => stack.recreate(service).await,
        }
    }
}

impl Recreator for DeploymentRecreator<'_> {
    async fn recreate(
        &self,
        services: &[String],
        verified: &[String],
        expect: &[(String, Secret)],
    ) -> Result<Vec<String>, String> {
        match self {
            DeploymentRecreator::Compose(compose) => Recreator::recreate(compose, services, verified, expect).await,
            DeploymentRecreator::Stack(stack) => Recreator::recreate(stack, services, verified, expect).await,
        }
    }
}
