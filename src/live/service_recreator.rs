//! The runbook's "restart safely" for one service: `up -d --no-deps --force-recreate` (compose stops the old
//! container and replaces it: never a `restart`), wait healthy, then check that the container really is new and
//! carries the env files' values.

use std::time::{Duration, Instant};

use super::{EnvMismatch, RecreateError, RecreateEvent, RecreateFailure, RecreateOutcome};
use crate::docker::{ComposeRunner, ContainerInfo, DockerClient, RUNNING_GRACE, Redactor};
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
    /// Told as each service is being replaced, is created and comes up (or not): the wait can last minutes.
    pub progress: fn(&str, RecreateEvent),
}

impl ServiceRecreator<'_> {
    /// Recreates `service` and checks the new container against the project's values for every key. Engine and
    /// compose failures are errors; a service that does not come up or does not carry the right values is an
    /// outcome with a failure and its last log lines.
    pub async fn recreate(&self, service: &Service) -> Result<RecreateOutcome, RecreateError> {
        self.recreate_expecting(service, &env_values(service), true).await
    }

    /// Recreates `service` and checks that the new container holds each `(key, value)` of `expect`; a key the
    /// container lacks is a mismatch only with `require_all` (a rotation passes the keys of every consumer).
    pub async fn recreate_expecting(
        &self,
        service: &Service,
        expect: &[(String, Secret)],
        require_all: bool,
    ) -> Result<RecreateOutcome, RecreateError> {
        let mut outcomes = self.recreate_batch(&[service], expect, require_all, RUNNING_GRACE).await?;
        Ok(outcomes.remove(0))
    }

    /// Recreates `services` together: one `up --force-recreate` for all of them, then waits for each concurrently.
    /// The services must not depend on one another (see [`batches`]). One outcome per service, in order. A container
    /// without healthcheck is up once it has run for `grace`.
    pub async fn recreate_batch(
        &self,
        services: &[&Service],
        expect: &[(String, Secret)],
        require_all: bool,
        grace: Duration,
    ) -> Result<Vec<RecreateOutcome>, RecreateError> {
        let started = Instant::now();
        let mut old_ids = Vec::with_capacity(services.len());
        for service in services {
            let ids = self.client.service_containers(&self.project.name, &service.name).await?;
            old_ids.push(ids.into_iter().map(|c| c.id).collect::<Vec<String>>());
        }
        let first = services.first().map(|s| s.name.clone()).unwrap_or_default();
        let compose_err = |source| RecreateError::Compose { service: first.clone(), source };
        // A service that has no container is just created.
        services
            .iter()
            .zip(&old_ids)
            .filter(|(_, ids)| !ids.is_empty())
            .for_each(|(service, _)| (self.progress)(&service.name, RecreateEvent::Replacing));
        crate::fault::at("replacing");
        let names: Vec<String> = services.iter().map(|s| s.name.clone()).collect();
        self.compose.up(&names).await.map_err(compose_err)?;
        names.iter().for_each(|name| (self.progress)(name, RecreateEvent::Created));
        let waits = services
            .iter()
            .zip(old_ids)
            .map(|(service, old)| self.settle(service, old, expect, require_all, started, grace));
        futures_util::future::join_all(waits).await.into_iter().collect()
    }

    /// Waits for the new container of `service` and judges it.
    async fn settle(
        &self,
        service: &Service,
        old_ids: Vec<String>,
        expect: &[(String, Secret)],
        require_all: bool,
        started: Instant,
        grace: Duration,
    ) -> Result<RecreateOutcome, RecreateError> {
        let name = service.name.clone();
        let mut outcome = RecreateOutcome::begun(&name, old_ids);
        let created = self.client.service_containers(&self.project.name, &name).await?;
        let Some(fresh) = created.iter().find(|c| !outcome.old_ids.contains(&c.id)).or(created.first()) else {
            outcome.failure = Some(RecreateFailure::NoContainer);
            outcome.elapsed = started.elapsed();
            return Ok(outcome);
        };
        let (readiness, info) = self.client.wait_ready(&fresh.id, &name, self.timeout, grace).await?;
        outcome.elapsed = started.elapsed();
        let event = if readiness.is_ready() {
            RecreateEvent::Ready(outcome.elapsed)
        } else {
            RecreateEvent::NotReady(outcome.elapsed)
        };
        (self.progress)(&name, event);
        outcome.failure = if !readiness.is_ready() {
            Some(RecreateFailure::NotReady(readiness.clone()))
        } else if outcome.old_ids.contains(&info.id) {
            Some(RecreateFailure::SameContainer)
        } else {
            let mut mismatches = mismatches(expect, require_all, &info);
            mismatches.extend(self.secret_mismatches(service, expect, &info.id).await?);
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

/// Every `(key, value)` the files give `service`'s environment: what a new container of it must carry.
pub(super) fn env_values(service: &Service) -> Vec<(String, Secret)> {
    service
        .environment
        .iter()
        .filter_map(|var| var.value.as_ref().map(|v| (var.key.clone(), Secret::new(v.as_str()))))
        .collect()
}

impl ServiceRecreator<'_> {
    /// The expected container paths (compose secret targets) that `service` mounts and whose content in the new
    /// container `id` is another value, read through the archive endpoint (nothing printed, no `docker exec`).
    async fn secret_mismatches(
        &self,
        service: &Service,
        expect: &[(String, Secret)],
        id: &str,
    ) -> Result<Vec<EnvMismatch>, RecreateError> {
        let mut out = Vec::new();
        for (path, expected) in expect.iter().filter(|(k, _)| k.starts_with('/')) {
            if !service.secrets.iter().any(|m| m.target == *path) {
                continue;
            }
            let Some(bytes) = self.client.read_file(id, &service.name, path).await? else { continue };
            let actual = Secret::new(String::from_utf8_lossy(&bytes).trim_end_matches(['\n', '\r']));
            if actual != *expected {
                let (expected, actual) = (expected.fingerprint(), Some(actual.fingerprint()));
                out.push(EnvMismatch { key: path.clone(), expected, actual });
            }
        }
        Ok(out)
    }
}

/// Splits `services` (in dependency order) into consecutive batches that can be recreated together: a service
/// joins the current batch unless it depends on a member or a member depends on it.
pub fn batches<'s>(services: &[&'s Service]) -> Vec<Vec<&'s Service>> {
    let mut out: Vec<Vec<&Service>> = Vec::new();
    for &service in services {
        let joins = out.last().is_some_and(|batch| {
            batch.iter().all(|m| !service.depends_on.contains(&m.name) && !m.depends_on.contains(&service.name))
        });
        match out.last_mut() {
            Some(batch) if joins => batch.push(service),
            _ => out.push(vec![service]),
        }
    }
    out
}

/// The expected keys the container lacks (when `require_all`) or holds with another value.
pub(super) fn mismatches(
    expect: &[(String, Secret)],
    require_all: bool,
    container: &ContainerInfo,
) -> Vec<EnvMismatch> {
    expect
        .iter()
        // Container paths are compose secret targets, read from the container itself.
        .filter(|(key, _)| !key.starts_with('/'))
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
    async fn recreate(
        &self,
        services: &[String],
        verified: &[String],
        expect: &[(String, Secret)],
    ) -> Result<Vec<String>, String> {
        let mut done = Vec::with_capacity(services.len());
        let mut resolved = Vec::with_capacity(services.len());
        for name in services {
            resolved.push(self.project.service(name).ok_or_else(|| format!("no service {name} in the project"))?);
        }
        // Consumers that do not depend on one another come up together, like `up` does; the store they depend on
        // stays in a batch of its own after them.
        for batch in batches(&resolved) {
            // A batch the engine logs in to afterwards (the store's own) needs no grace to show it stays up.
            let grace = if batch.iter().all(|s| verified.contains(&s.name)) { Duration::ZERO } else { RUNNING_GRACE };
            let outcomes = self
                .recreate_batch(&batch, expect, false, grace)
                .await
                .map_err(|err| crate::error_chain::one_line(&err))?;
            for outcome in outcomes {
                let name = outcome.service.clone();
                let Some(failure) = outcome.failure else {
                    done.push(name);
                    continue;
                };
                let text = failure_text(&name, &failure.to_string(), outcome.health_output.as_deref(), &outcome.logs);
                return Err(text);
            }
        }
        Ok(done)
    }
}

/// Why `service` did not come up, one fact a line (as `recreate` prints it): the failure, the last healthcheck
/// output, then the log lines, each once and indented.
fn failure_text(service: &str, failure: &str, health: Option<&str>, logs: &[String]) -> String {
    let mut text = format!("service {service}: {failure}");
    if let Some(health) = health.filter(|h| !failure.contains(h)) {
        text.push_str(&format!("\nlast healthcheck: {}", health.lines().collect::<Vec<_>>().join(" / ")));
    }
    if !logs.is_empty() {
        text.push_str(&format!("\nits last {} log lines:", logs.len()));
        for line in logs {
            text.push_str("\n  | ");
            text.push_str(line);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_consumer_is_reported_one_fact_a_line_each_once() {
        let logs = vec!["WRONGPASS invalid password".to_string(), "exiting".to_string()];
        let text = failure_text("api", "unhealthy after 20s", Some("PING failed"), &logs);
        assert_eq!(
            text,
            "service api: unhealthy after 20s\nlast healthcheck: PING failed\nits last 2 log lines:\n  \
             | WRONGPASS invalid password\n  | exiting"
        );
        // A healthcheck output the failure already quotes is not said twice.
        let text = failure_text("api", "unhealthy: PING failed", Some("PING failed"), &[]);
        assert_eq!(text, "service api: unhealthy: PING failed");
    }

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

    #[test]
    fn batches_keep_dependencies_apart_and_siblings_together() {
        let svc = Service::for_test;
        let (app, worker, redis, web) =
            (svc("app", &["redis"]), svc("worker", &["redis"]), svc("redis", &[]), svc("web", &["app"]));
        let names = |b: Vec<Vec<&Service>>| {
            b.iter().map(|x| x.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(",")).collect::<Vec<_>>()
        };
        assert_eq!(names(batches(&[&app, &worker, &redis])), ["app,worker", "redis"]);
        assert_eq!(names(batches(&[&redis, &app, &worker, &web])), ["redis", "app,worker", "web"]);
    }
}
