//! One service in `status`: its container and its secret keys.

use super::KeyStatus;
use crate::docker::ContainerInfo;

/// A service, the container that represents it (a running one first), and its secret keys.
#[derive(Debug, Clone)]
pub struct ServiceStatus {
    pub service: String,
    /// The image the compose file names.
    pub image: Option<String>,
    /// The container shown: a running one when there is one, else the newest. `None`: never created or removed.
    pub container: Option<ContainerInfo>,
    /// How many containers the service has (scaled services have several).
    pub replicas: usize,
    pub keys: Vec<KeyStatus>,
}

impl ServiceStatus {
    /// True when any key has a problem, or the service has secrets but no container.
    pub fn is_problem(&self) -> bool {
        self.keys.iter().any(KeyStatus::is_problem)
    }
}
