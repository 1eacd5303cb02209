//! The runbook's "restart safely" for one service: `down` + `up -d --no-deps --force-recreate`, wait healthy,
//! then check that the container really is new and carries the env files' values.

use std::time::{Duration, Instant};

use super::{EnvMismatch, RecreateError, RecreateFailure, RecreateOutcome};
use crate::docker::{ComposeRunner, ContainerInfo, DockerClient, Redactor};
use crate::project::{Project, Service};
use crate::secret::Secret;

/// How many log lines to keep from a service that does not come up.
pub const LOG_LINES: usize = 20;

/// Recreates services of one project.
pub struct ServiceRecreator<'a> {
    pub client: &'a DockerClient,
    pub compose: &'a ComposeRunner,
    pub project: &'a Project,
    /// How long to wait for each service to become healthy.
    pub timeout: Duration,
    /// Hides secret values in the log lines of a failed service.
    pub redactor: Redactor,
}

impl ServiceRecreator<'_> {
    /// Recreates `service` and checks the new container against the project's values for every key. Engine and
    /// compose failures are errors; a service that does not come up or does not carry the right values is an
    /// outcome with a failure and its last log lines.
    pub async fn recreate(&self, service: &Service) -> Result<RecreateOutcome, RecreateError> {
        let expect: Vec<(String, Secret)> = service
            .environment
            .iter()
            .filter_map(|var| var.value.as_ref().map(|v| (var.key.clone(), Secret::new(v.as_str()))))
            .collect();
        self.recreate_expecting(service, &expect, true).await
    }

    /// Recreates `service` and checks that the new container holds each `(key, value)` of `expect`; a key the
    /// container lacks is a mismatch only with `require_all` (a rotation passes the keys of every consumer).
    pub async fn recreate_expecting(
        &self,
        service: &Service,
        expect: &[(String, Secret)],
        require_all: bool,
    ) -> Result<RecreateOutcome, RecreateError> {
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
            health_output: None,
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
            let mismatches = mismatches(expect, require_all, &info);
            (!mismatches.is_empty()).then_some(RecreateFailure::EnvMismatch(mismatches))
        };
        if outcome.failure.is_some() {
            let logs = self.client.logs_tail(&info.id, &name, LOG_LINES).await?;
            outcome.logs = logs.iter().map(|line| self.redactor.redact(line)).collect();
            outcome.health_output = info.last_health_output.as_deref().map(|out| self.redactor.redact(out));
        }
        outcome.readiness = Some(readiness);
        outcome.new = Some(info);
        Ok(outcome)
    }
}

/// The expected keys the container lacks (when `require_all`) or holds with another value.
fn mismatches(expect: &[(String, Secret)], require_all: bool, container: &ContainerInfo) -> Vec<EnvMismatch> {
    expect
        .iter()
        .filter_map(|(key, expected)| {
            let actual = container.env.get(key);
            if actual.is_some_and(|a| a == expected) || (actual.is_none() && !require_all) {
                return None;
            }
            Some(EnvMismatch {
                key: key.clone(),
                expected: expected.fingerprint(),
                actual: actual.map(Secret::fingerprint),
            })
        })
        .collect()
}

/// The rotation engine's way to get consumers onto a new value.
impl crate::rotation::Recreator for ServiceRecreator<'_> {
    async fn recreate(&self, services: &[String], expect: &[(String, Secret)]) -> Result<Vec<String>, String> {
        let mut done = Vec::with_capacity(services.len());
        for name in services {
            let service = self.project.service(name).ok_or_else(|| format!("no service {name} in the project"))?;
            let outcome = self.recreate_expecting(service, expect, false).await.map_err(|err| err.to_string())?;
            if let Some(failure) = outcome.failure {
                let mut text = format!("service {name}: {failure}");
                if let Some(health) = &outcome.health_output {
                    text.push_str(&format!("; last healthcheck: {health}"));
                }
                if !outcome.logs.is_empty() {
                    text.push_str(&format!("; its last {} log lines:", outcome.logs.len()));
                    for line in &outcome.logs {
                        text.push_str("\n  | ");
                        text.push_str(line);
                    }
                }
                return Err(text);
            }
            done.push(name.clone());
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatches_compare_by_value_and_absent_keys_count_only_when_required() {
        let inspect = serde_json::from_value(serde_json::json!({
            "Id": "0123456789abcdef", "Name": "/p-app-1", "State": {"Status": "running"},
            "Config": {"Env": ["A=1", "B=old"]}
        }))
        .expect("inspect json");
        let container = ContainerInfo::from_inspect(inspect);
        let expect = vec![
            ("A".to_string(), Secret::new("1")),
            ("B".to_string(), Secret::new("new")),
            ("C".to_string(), Secret::new("x")),
        ];
        let keys = |m: Vec<EnvMismatch>| m.into_iter().map(|m| m.key).collect::<Vec<_>>();
        assert_eq!(keys(mismatches(&expect, true, &container)), ["B", "C"]);
        assert_eq!(keys(mismatches(&expect, false, &container)), ["B"]);
        let b = &mismatches(&expect, false, &container)[0];
        assert_eq!(
            (b.expected.as_str(), b.actual.as_deref()),
            (Secret::new("new").fingerprint().as_str(), Some(Secret::new("old").fingerprint().as_str()))
        );
    }
}
