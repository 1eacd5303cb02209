//! Finds a store service's address again after the rotation recreated its container: a new container gets a new
//! IP and, for a port published as `127.0.0.1::6379`, a new host port.

use super::{AddressError, StoreAddress, StoreKind};
use crate::docker::{ContainerInfo, DockerClient};

/// Where to look the store up: the engine, the compose project and the service.
#[derive(Debug, Clone)]
pub struct StoreLocator {
    pub client: DockerClient,
    pub project: String,
    pub service: String,
    pub kind: StoreKind,
    /// `project` is a Swarm stack: the store runs as one of its task containers.
    pub stack: bool,
}

impl StoreLocator {
    /// The address of the service's current container: a running one first, else the newest.
    pub async fn locate(&self) -> Result<StoreAddress, AddressError> {
        let containers = match self.stack {
            true => self.client.stack_containers(&self.project).await.map(|mut all| {
                all.retain(|c| c.service == self.service);
                all
            }),
            false => self.client.service_containers(&self.project, &self.service).await,
        };
        let containers = containers.map_err(|err| AddressError::Engine {
            service: self.service.clone(),
            reason: crate::error_chain::one_line(&err),
        })?;
        let container = ContainerInfo::representative(&containers);
        StoreAddress::resolve(self.kind, &self.service, container, &self.project, self.client.host(), None)
    }
}
