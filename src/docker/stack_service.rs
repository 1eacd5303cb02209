//! One service of a Swarm stack as the engine reports it: its tasks, its rolling-update state and the secret
//! objects its tasks run.

use serde::Serialize;

/// A task of a service (one replica slot's attempt), newest first within a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StackTask {
    /// The replica slot (`None` for a global service's tasks).
    pub slot: Option<i64>,
    /// What Swarm wants: `running`, `shutdown`, ...
    pub desired: String,
    /// Where the task is: `running`, `starting`, `failed`, `rejected`, ...
    pub state: String,
    /// The task's error, when it failed or was rejected.
    pub error: Option<String>,
    /// The task's container, once it has one (on the node that runs it).
    pub container_id: Option<String>,
}

/// A secret object mounted into a service's tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StackSecretRef {
    /// The secret object's name (`redis_pw_2`): a versioned `name:` puts its version there.
    pub secret_name: String,
    /// The file name under `/run/secrets/` in the tasks.
    pub target: String,
    /// The name the compose files give this secret now (`name:`, else `<stack>_<key>`), when they declare it:
    /// a different name means the stack runs another version than the files say.
    pub declared: Option<String>,
    /// When the secret object was created.
    #[serde(with = "time::serde::rfc3339::option")]
    pub created: Option<time::OffsetDateTime>,
    /// The value's fingerprint from the object's `secops.fingerprint` label (docker-secops's rotations set it).
    pub fingerprint: Option<String>,
}

/// A service of stack `stack`, named as the compose file names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StackService {
    /// The compose service name (`app`).
    pub name: String,
    /// The Swarm service name (`<stack>_app`).
    pub swarm_name: String,
    /// Replicas wanted; `None` for a global service.
    pub replicas: Option<u64>,
    /// The rolling update's state (`updating`, `completed`, `paused`, `rollback_completed`, ...), when one ran.
    pub update_state: Option<String>,
    /// The update's message, e.g. why it paused.
    pub update_message: Option<String>,
    pub secrets: Vec<StackSecretRef>,
    pub tasks: Vec<StackTask>,
}

impl StackService {
    /// How many tasks Swarm wants running and are running.
    pub fn running(&self) -> usize {
        self.tasks.iter().filter(|t| t.desired == "running" && t.state == "running").count()
    }

    /// The tasks Swarm wants running (older attempts are kept as history with desired state `shutdown`).
    pub fn current_tasks(&self) -> impl Iterator<Item = &StackTask> {
        self.tasks.iter().filter(|t| t.desired == "running")
    }

    /// Why the service is not fully up, when it is not: fewer running tasks than replicas (with the first task
    /// error), or a rolling update that paused or rolled back.
    pub fn down(&self) -> Option<String> {
        if let Some(state) = self.update_state.as_deref().filter(|s| matches!(*s, "paused" | "rollback_paused")) {
            let why = self.update_message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
            return Some(format!("update {state}{why}"));
        }
        let wanted = self.replicas.map_or_else(|| self.current_tasks().count(), |r| r as usize);
        let running = self.running();
        if running < wanted {
            let error = self.current_tasks().chain(&self.tasks).find_map(|t| t.error.as_deref());
            let error = error.map(|e| format!(" ({e})")).unwrap_or_default();
            return Some(format!("{running}/{wanted} tasks running{error}"));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(desired: &str, state: &str, error: Option<&str>) -> StackTask {
        StackTask {
            slot: Some(1),
            desired: desired.into(),
            state: state.into(),
            error: error.map(str::to_string),
            container_id: None,
        }
    }

    fn service(replicas: u64, tasks: Vec<StackTask>) -> StackService {
        StackService {
            name: "app".into(),
            swarm_name: "s_app".into(),
            replicas: Some(replicas),
            update_state: None,
            update_message: None,
            secrets: vec![],
            tasks,
        }
    }

    #[test]
    fn a_service_is_down_until_every_replica_runs_and_when_its_update_paused() {
        let up = service(2, vec![task("running", "running", None), task("running", "running", None)]);
        assert_eq!(up.down(), None);
        let history = service(1, vec![task("running", "running", None), task("shutdown", "failed", Some("old"))]);
        assert_eq!(history.down(), None, "a failed task kept as history is no problem once its slot runs again");
        let half = service(2, vec![task("running", "running", None), task("running", "starting", Some("exit 1"))]);
        assert_eq!(half.down().as_deref(), Some("1/2 tasks running (exit 1)"));
        let paused = StackService {
            update_state: Some("paused".into()),
            update_message: Some("update paused due to failure".into()),
            ..up.clone()
        };
        assert_eq!(paused.down().as_deref(), Some("update paused: update paused due to failure"));
        let completed = StackService { update_state: Some("completed".into()), ..up };
        assert_eq!(completed.down(), None);
    }
}
