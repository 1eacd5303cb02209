//! `recreate --stack`: a service of a Swarm stack gets the files' env values and a forced rolling update, which
//! replaces every task (start-first where its `update_config` says so); done when the update completed and a new
//! task container on this node carries the values. In a rotation that changes a compose secret, each service's
//! reference to the secret's object moves to the versioned object holding the new value (created first; Swarm
//! objects are immutable), and the object no service runs any more is removed at the end.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::service_recreator::{env_values, mismatches};
use super::{RecreateError, RecreateEvent, RecreateFailure, RecreateOutcome, SecretVersions};
use crate::docker::{
    ContainerInfo, DockerClient, Health, LABEL_FINGERPRINT, LABEL_STACK, LABEL_VERSION, Readiness, SecretRebind,
};
use crate::project::{Project, ProjectOptions, Service};
use crate::secret::Secret;

/// How often the update's state is read.
const POLL: Duration = Duration::from_millis(500);

/// Recreates services of stack `stack` one by one.
pub struct StackRecreator<'a> {
    pub client: &'a DockerClient,
    /// Docker's global flags, for the one call made through the CLI (the service's healthcheck).
    pub global: &'a crate::plugin::GlobalFlags,
    pub project: &'a Project,
    /// In a rotation: how to load the project again after the commit, so that each consumer gets every value its
    /// files give it now (a `DATABASE_URL` embedding the new password too), not only the rotated key.
    pub reload: Option<&'a ProjectOptions>,
    pub stack: &'a str,
    /// The longest wait for one service's update to complete.
    pub timeout: Duration,
    pub progress: fn(&str, RecreateEvent),
    /// In a rotation of compose secrets: their old and new objects (empty for `recreate`).
    pub objects: Vec<SecretVersions>,
}

impl StackRecreator<'_> {
    /// Updates `service`'s Swarm service with the files' env values and waits for the rolling update.
    pub async fn recreate(&self, service: &Service) -> Result<RecreateOutcome, RecreateError> {
        self.recreate_with(service, &env_values(service), &[]).await
    }

    /// Updates `service`'s Swarm service with each `(key, value)` of `expect` and waits for the rolling update.
    async fn recreate_with(
        &self,
        service: &Service,
        expect: &[(String, Secret)],
        rebinds: &[SecretRebind],
    ) -> Result<RecreateOutcome, RecreateError> {
        let started = Instant::now();
        let swarm_name = format!("{}_{}", self.stack, service.name);
        let old_ids: Vec<String> = self.running(&service.name).await?.into_iter().map(|c| c.id).collect();
        let healthcheck = crate::docker::service_healthcheck(self.global, &swarm_name).await?;
        self.client.force_update(&swarm_name, expect, rebinds, healthcheck).await?;
        (self.progress)(&service.name, RecreateEvent::UpdateStarted);
        let mut outcome = RecreateOutcome::begun(&service.name, old_ids);
        let failure = loop {
            let (state, message) = self.client.update_state(&swarm_name).await?;
            let why = |state: &str| match &message {
                Some(message) => format!("{state}: {message}"),
                None => state.to_string(),
            };
            match state.as_deref() {
                Some("completed") => break None,
                Some(state @ ("paused" | "rollback_started" | "rollback_paused" | "rollback_completed")) => {
                    break Some(RecreateFailure::UpdateFailed(why(state)));
                }
                state if started.elapsed() >= self.timeout => {
                    let state = why(state.unwrap_or("not started"));
                    break Some(RecreateFailure::UpdateFailed(format!("still {state} after {:?}", self.timeout)));
                }
                _ => tokio::time::sleep(POLL).await,
            }
        };
        outcome.elapsed = started.elapsed();
        let event = if failure.is_none() {
            RecreateEvent::Ready(outcome.elapsed)
        } else {
            RecreateEvent::NotReady(outcome.elapsed)
        };
        (self.progress)(&service.name, event);
        let fresh = self.running(&service.name).await?.into_iter().find(|c| !outcome.old_ids.contains(&c.id));
        outcome.failure = match (failure, &fresh) {
            (Some(failure), _) => Some(failure),
            (None, None) => Some(RecreateFailure::NoContainer),
            (None, Some(info)) => {
                let mismatches = mismatches(expect, true, info);
                match mismatches.is_empty() {
                    true => self.stale_secret(&swarm_name, rebinds).await?,
                    false => Some(RecreateFailure::EnvMismatch(mismatches)),
                }
            }
        };
        outcome.readiness = fresh.as_ref().map(|c| match c.health {
            Health::Healthy => Readiness::Healthy,
            _ => Readiness::Running,
        });
        outcome.new = fresh;
        Ok(outcome)
    }

    /// A task of the completed update still running a secret object it was moved away from (a Swarm secret's
    /// content cannot be read back from the task: the object it runs is the proof).
    async fn stale_secret(
        &self,
        swarm_name: &str,
        rebinds: &[SecretRebind],
    ) -> Result<Option<RecreateFailure>, RecreateError> {
        if rebinds.is_empty() {
            return Ok(None);
        }
        for running in self.client.running_task_secrets(swarm_name).await? {
            if let Some(rebind) = rebinds.iter().find(|r| running.contains(&r.from)) {
                let why = format!("a task still runs secret object {} instead of {}", rebind.from, rebind.to);
                return Ok(Some(RecreateFailure::UpdateFailed(why)));
            }
        }
        Ok(None)
    }

    /// Makes sure the secret objects the services are moved to exist (the new version is created here, an old
    /// one removed since is made again for a rollback), and says which reference moves where.
    async fn prepare_objects(&self, expect: &[(String, Secret)]) -> Result<Vec<SecretRebind>, String> {
        let mut rebinds = Vec::new();
        let fail = |err: crate::docker::DockerError| crate::error_chain::one_line(&err);
        for versions in &self.objects {
            let Some(wanted) = versions.wanted(expect) else { continue };
            let fingerprint = wanted.value.fingerprint();
            let id = match self.client.secret_object(wanted.name).await.map_err(fail)? {
                Some((_, Some(label))) if label != fingerprint => {
                    return Err(format!(
                        "Swarm secret object {} exists and holds another value ({label}, not {fingerprint}): \
                         remove it or pick another version",
                        wanted.name
                    ));
                }
                Some((id, _)) => id,
                None => {
                    let mut labels = HashMap::from([
                        (LABEL_STACK.to_string(), self.stack.to_string()),
                        (LABEL_FINGERPRINT.to_string(), fingerprint),
                    ]);
                    if let Some(version) = wanted.version {
                        labels.insert(LABEL_VERSION.to_string(), version.to_string());
                    }
                    let content = versions.content(wanted.value);
                    let id = self.client.create_secret_object(wanted.name, &content, labels).await.map_err(fail)?;
                    (self.progress)(wanted.name, RecreateEvent::SecretCreated);
                    id
                }
            };
            rebinds.push(SecretRebind { from: wanted.other.to_string(), to: wanted.name.to_string(), to_id: id });
        }
        Ok(rebinds)
    }

    /// Removes each object the services were moved away from, once no service runs it; one still in use (by a
    /// service outside the rotation) is kept and named. Earlier versions docker-secops made of the same name that
    /// no service runs any more go too (a redeploy of a fixed `name:` moves the services off them).
    async fn retire_objects(&self, rebinds: &[SecretRebind]) -> Result<(), String> {
        let fail = |err: crate::docker::DockerError| crate::error_chain::one_line(&err);
        let ours = self.client.rotated_secret_objects(self.stack).await.map_err(fail)?;
        for versions in &self.objects {
            let Some(rebind) = rebinds.iter().find(|r| r.to == versions.swap.new) else { continue };
            for name in ours.iter().filter(|n| versions.swap.is_version_of_new(n) && **n != rebind.from) {
                self.remove_if_unused(name).await.map_err(fail)?;
            }
        }
        for rebind in rebinds {
            if !self.remove_if_unused(&rebind.from).await.map_err(fail)? {
                (self.progress)(&rebind.from, RecreateEvent::SecretKept);
            }
        }
        Ok(())
    }

    /// Removes secret object `name` when no service runs it (and says so); false when one still does.
    async fn remove_if_unused(&self, name: &str) -> Result<bool, crate::docker::DockerError> {
        if !self.client.services_using_secret(name).await?.is_empty() {
            return Ok(false);
        }
        self.client.remove_secret_object(name).await?;
        (self.progress)(name, RecreateEvent::SecretRemoved);
        Ok(true)
    }

    /// The running task containers of `service` on this node.
    async fn running(&self, service: &str) -> Result<Vec<ContainerInfo>, RecreateError> {
        let mut containers = self.client.stack_containers(self.stack).await?;
        containers.retain(|c| c.service == service && c.is_running());
        Ok(containers)
    }
}

/// The rotation engine's way to get a stack's consumers onto a new value: the rotated keys a service's files give
/// it (the env files are already rewritten; a stack reads them only at deploy time) go into its spec, one rolling
/// update per service in order.
impl crate::rotation::Recreator for StackRecreator<'_> {
    /// A rolling update is judged by Swarm's own task states, `verified` or not.
    async fn recreate(
        &self,
        services: &[String],
        _verified: &[String],
        expect: &[(String, Secret)],
    ) -> Result<Vec<String>, String> {
        let mut done = Vec::with_capacity(services.len());
        let fresh = match self.reload {
            Some(options) => {
                Some(Project::load(options).map_err(|err| format!("cannot load the project again: {err}"))?)
            }
            None => None,
        };
        let project = fresh.as_ref().unwrap_or(self.project);
        let rebinds = self.prepare_objects(expect).await?;
        crate::fault::at("secret-object");
        for name in services {
            let service = project.service(name).ok_or_else(|| format!("no service {name} in the project"))?;
            let mut mine = env_values(service);
            for (key, value) in expect.iter().filter(|(key, _)| service.env(key).is_some()) {
                if let Some(slot) = mine.iter_mut().find(|(k, _)| k == key) {
                    slot.1 = value.clone();
                }
            }
            let outcome =
                self.recreate_with(service, &mine, &rebinds).await.map_err(|err| crate::error_chain::one_line(&err))?;
            if let Some(failure) = outcome.failure {
                return Err(format!("service {name}: {failure}"));
            }
            done.push(name.clone());
        }
        self.retire_objects(&rebinds).await?;
        Ok(done)
    }
}
