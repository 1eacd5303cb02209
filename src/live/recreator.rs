//! The runbook's "restart safely" for one service: `down` + `up -d --no-deps --force-recreate`, wait healthy,
//! then check that the container really is new and carries the env files' values.

use std::time::{Duration, Instant};

use super::{EnvMismatch, RecreateError, RecreateFailure, RecreateOutcome};
use crate::docker::{ComposeRunner, DockerClient, Redactor};
use crate::project::{Project, Service};

/// How many log lines to keep from a service that does not come up.
pub const LOG_LINES: usize = 20;

/// Recreates services of one project.
pub struct Recreator<'a> {
    pub client: &'a DockerClient,
    pub compose: &'a ComposeRunner,
    pub project: &'a Project,
    /// How long to wait for each service to become healthy.
    pub timeout: Duration,
    /// Hides secret values in the log lines of a failed service.
    pub redactor: Redactor,
}

impl Recreator<'_> {
    /// Recreates `service`. Engine and compose failures are errors; a service that does not come up or does not
    /// carry the right values is an outcome with a failure and its last log lines.
    pub async fn recreate(&self, service: &Service) -> Result<RecreateOutcome, RecreateError> {
        let name = service.name.clone();
        let started = Instant::now();
        let old_ids: Vec<String> =
            self.client.service_containers(&self.project.name, &name).await?.into_iter().map(|c| c.id).collect();
        let names = [name.clone()];
        let compose_err = |source| RecreateError::Compose { service: name.clone(), source };
        // Nothing to remove for a service that has no container (and compose would not find it).
        if !old_ids.is_empty() {
            self.compose.down(&names).await.map_err(compose_err)?;
        }
        self.compose.up(&names).await.map_err(compose_err)?;
        let mut outcome = RecreateOutcome {
            service: name.clone(),
            old_ids,
            new: None,
            elapsed: Duration::ZERO,
            readiness: None,
            failure: None,
            logs: Vec::new(),
        };
        let created = self.client.service_containers(&self.project.name, &name).await?;
        let Some(fresh) = created.iter().find(|c| !outcome.old_ids.contains(&c.id)).or(created.first()) else {
            outcome.failure = Some(RecreateFailure::NoContainer);
            outcome.elapsed = started.elapsed();
            return Ok(outcome);
        };
        let (readiness, info) = self.client.wait_ready(&fresh.id, &name, self.timeout).await?;
        outcome.elapsed = started.elapsed();
        outcome.failure = if !readiness.is_ready() {
            Some(RecreateFailure::NotReady(readiness.clone()))
        } else if outcome.old_ids.contains(&info.id) {
            Some(RecreateFailure::SameContainer)
        } else {
            let mismatches = mismatches(service, &info);
            (!mismatches.is_empty()).then_some(RecreateFailure::EnvMismatch(mismatches))
        };
        if outcome.failure.is_some() {
            let logs = self.client.logs_tail(&info.id, &name, LOG_LINES).await?;
            outcome.logs = logs.iter().map(|line| self.redactor.redact(line)).collect();
        }
        outcome.readiness = Some(readiness);
        outcome.new = Some(info);
        Ok(outcome)
    }
}

/// The keys with a value in the project that the container lacks or holds differently.
fn mismatches(service: &Service, container: &crate::docker::ContainerInfo) -> Vec<EnvMismatch> {
    service
        .environment
        .iter()
        .filter_map(|var| {
            let expected = var.value.as_deref()?;
            let actual = container.env.get(&var.key);
            if actual.is_some_and(|a| a.expose() == expected) {
                return None;
            }
            Some(EnvMismatch {
                key: var.key.clone(),
                expected: crate::secret::fingerprint(expected),
                actual: actual.map(|a| a.fingerprint()),
            })
        })
        .collect()
}
