//! One service in `status`: its container and its secret keys.

use super::KeyStatus;
use crate::docker::{ContainerInfo, Health, StackService};

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
    /// True when the deployment is a Swarm stack: `swarm` then says how the service runs there.
    pub in_stack: bool,
    /// The Swarm service, its tasks and the secret objects they run (`None` on a stack: not deployed).
    pub swarm: Option<StackService>,
}

impl ServiceStatus {
    /// True when the service is down or any key has a problem.
    pub fn is_problem(&self) -> bool {
        self.down().is_some()
            || self.keys.iter().any(KeyStatus::is_problem)
            || self
                .swarm
                .iter()
                .flat_map(|s| &s.secrets)
                .any(|s| s.declared.as_ref().is_some_and(|d| *d != s.secret_name))
    }

    /// Why the service is not up, when it is not: no container, a container that is not running (`exited (0)`
    /// counts: `status` is a health gate), or one whose healthcheck has not passed (`unhealthy`, `starting`).
    pub fn down(&self) -> Option<String> {
        if self.in_stack {
            return match &self.swarm {
                Some(swarm) => swarm.down(),
                None => Some("not deployed in the stack".to_string()),
            };
        }
        let Some(c) = &self.container else { return Some("no container".to_string()) };
        if !c.is_running() {
            return Some(match (c.state.as_str(), c.exit_code) {
                ("exited", Some(code)) => format!("exited ({code})"),
                (state, _) => state.to_string(),
            });
        }
        match c.health {
            Health::Unhealthy => Some("unhealthy".to_string()),
            Health::Starting => Some("not healthy yet (starting)".to_string()),
            Health::None | Health::Healthy => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(state: &str, exit: i64, health: Option<&str>) -> ServiceStatus {
        let mut inspect = serde_json::json!({
            "Id": "0123456789abcdef", "Name": "/p-api-1", "Created": "2026-01-01T00:00:00Z",
            "State": {"Status": state, "ExitCode": exit}, "Config": {"Env": []}
        });
        if let Some(h) = health {
            inspect["State"]["Health"] = serde_json::json!({"Status": h});
        }
        let container = ContainerInfo::from_inspect(serde_json::from_value(inspect).expect("inspect"));
        ServiceStatus {
            service: "api".into(),
            image: None,
            container: Some(container),
            replicas: 1,
            keys: vec![],
            in_stack: false,
            swarm: None,
        }
    }

    #[test]
    fn status_counts_a_stopped_or_unhealthy_service_as_a_problem() {
        assert_eq!(service("running", 0, None).down(), None);
        assert_eq!(service("running", 0, Some("healthy")).down(), None);
        let stopped = service("exited", 0, None);
        assert_eq!(stopped.down().as_deref(), Some("exited (0)"));
        assert!(stopped.is_problem(), "a service with no secret keys that is down is still a problem");
        assert_eq!(service("running", 0, Some("unhealthy")).down().as_deref(), Some("unhealthy"));
        let none = ServiceStatus { container: None, ..service("running", 0, None) };
        assert_eq!(none.down().as_deref(), Some("no container"));
    }
}
