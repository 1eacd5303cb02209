//! Finds a store service's address again after the rotation recreated its container: a new container gets a new
//! IP and, for a port published as `127.0.0.1::6379`, a new host port.

use super::{StoreAddress, StoreKind};
use crate::docker::DockerClient;

/// Where to look the store up: the engine, the compose project and the service.
#[derive(Debug, Clone)]
pub struct StoreLocator {
    pub client: DockerClient,
    pub project: String,
    pub service: String,
    pub kind: StoreKind,
}

impl StoreLocator {
    /// The address of the service's current container, if the engine answers and the service has one.
    pub async fn locate(&self) -> Option<StoreAddress> {
        let containers = self.client.service_containers(&self.project, &self.service).await.ok()?;
        let container = containers.iter().max_by_key(|c| (c.is_running(), c.created))?;
        StoreAddress::resolve(self.kind, &self.service, Some(container), &self.project, self.client.host(), None).ok()
    }
}
