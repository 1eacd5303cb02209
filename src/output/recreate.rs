//! Printing `recreate`: one line per service as it finishes (`api  3f2a1c9d0e1b -> 9b8c7d6e5f4a  4.1s  healthy`),
//! and for a service that does not come up, why and its last log lines on stderr; or one JSON document at the end.

use std::io::Write;

use serde::Serialize;

use super::{Console, sanitize};
use crate::docker::ContainerInfo;
use crate::live::{RecreateEvent, RecreateOutcome};

/// The `recreate --format json` document.
///
/// ```text
/// {
///   "project": "shop",                 compose project name
///   "ok": true,                        every service recreated, healthy and verified
///   "services": [{
///     "service": "api",
///     "old_ids": ["3f2a1c9d0e1b..."],  full IDs of the containers removed (empty: none existed)
///     "new_id": "9b8c7d6e5f4a...",     full ID of the new container (null: none was created)
///     "seconds": 4.1,                  from the start of its recreate to ready (or to giving up)
///     "health": "healthy",             healthy | running (no healthcheck) | unhealthy | exited ... | timed out ...
///     "ok": true,
///     "failure": null,                 why the service does not count as done (text; fingerprints only)
///     "logs": [],                      last 20 log lines of a failed service, secret values redacted
///     "health_output": null            output of its last healthcheck when it failed (redacted)
///   }],
///   "not_attempted": ["worker"]        services left alone after a failure
/// }
/// ```
#[derive(Debug, Serialize)]
pub struct RecreateJson {
    pub project: String,
    pub ok: bool,
    pub services: Vec<RecreatedServiceJson>,
    pub not_attempted: Vec<String>,
}

/// One service in [`RecreateJson`].
#[derive(Debug, Serialize)]
pub struct RecreatedServiceJson {
    pub service: String,
    pub old_ids: Vec<String>,
    pub new_id: Option<String>,
    pub seconds: f64,
    pub health: Option<String>,
    pub ok: bool,
    pub failure: Option<String>,
    pub logs: Vec<String>,
    pub health_output: Option<String>,
}

/// Prints a recreate as it goes (human) or at the end (JSON).
pub struct RecreateReport {
    console: Console,
    json: Option<RecreateJson>,
    ok: bool,
    /// The width of the service column: the longest planned name, so the lines line up.
    width: usize,
}

impl RecreateReport {
    /// A report for `project`; `json` defers all output to [`RecreateReport::finish`].
    pub fn new(project: &str, json: bool) -> Self {
        let json = json.then(|| RecreateJson {
            project: project.to_string(),
            ok: true,
            services: Vec::new(),
            not_attempted: Vec::new(),
        });
        RecreateReport { console: Console::stdout(), json, ok: true, width: 0 }
    }

    /// Lines the service column up for `services`, the ones planned.
    pub fn aligned_to(mut self, services: &[String]) -> Self {
        self.width = services.iter().map(|s| s.chars().count()).max().unwrap_or(0);
        self
    }

    /// Reports one service.
    pub fn service(&mut self, outcome: RecreateOutcome) -> std::io::Result<()> {
        self.ok &= outcome.is_ok();
        let health = outcome.readiness.as_ref().map(ToString::to_string);
        let failure = outcome.failure.as_ref().map(ToString::to_string);
        if let Some(json) = &mut self.json {
            json.ok &= outcome.is_ok();
            json.services.push(RecreatedServiceJson {
                service: outcome.service,
                old_ids: outcome.old_ids,
                new_id: outcome.new.map(|c| c.id),
                seconds: (outcome.elapsed.as_secs_f64() * 10.0).round() / 10.0,
                health,
                ok: failure.is_none(),
                failure,
                logs: outcome.logs.iter().map(|l| sanitize(l)).collect(),
                health_output: outcome.health_output.as_deref().map(sanitize),
            });
            return Ok(());
        }
        let old = match outcome.old_ids.as_slice() {
            [] => "(none)".to_string(),
            ids => ids.iter().map(|id| short(id)).collect::<Vec<_>>().join(","),
        };
        let new = outcome.new.as_ref().map_or("(none)", ContainerInfo::short_id);
        let health = health.unwrap_or_else(|| "-".to_string());
        let health = match &failure {
            None => self.console.paint("32", &health),
            Some(_) => self.console.paint("31", &health),
        };
        let service = self.console.bold(&format!("{:<width$}", outcome.service, width = self.width));
        let line = outcome_line(&service, &old, new, outcome.elapsed, &health);
        self.console.write(&line)?;
        if let Some(failure) = failure {
            let mut text = format!("docker-secops: service {}: {}\n", outcome.service, sanitize(&failure));
            if let Some(health) = &outcome.health_output {
                text.push_str(&format!("last healthcheck: {}\n", sanitize(health)));
            }
            if let Some(container) = &outcome.new {
                text.push_str(&format!("last {} log lines of {}:\n", outcome.logs.len(), container.name));
                for line in &outcome.logs {
                    text.push_str(&format!("  | {}\n", sanitize(line)));
                }
            }
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
        Ok(())
    }

    /// Reports the services skipped after a failure.
    pub fn not_attempted(&mut self, services: &[String]) {
        if services.is_empty() {
            return;
        }
        match &mut self.json {
            Some(json) => json.not_attempted.extend(services.iter().cloned()),
            None => {
                let text = format!("docker-secops: not recreated: {}\n", services.join(", "));
                let _ = std::io::stderr().write_all(text.as_bytes());
            }
        }
    }

    /// Prints the JSON document (nothing more in human mode).
    pub fn finish(&self) -> std::io::Result<()> {
        match &self.json {
            Some(json) => self.console.json(json),
            None => Ok(()),
        }
    }

    /// True when every service reported so far is ok.
    pub fn all_ok(&self) -> bool {
        self.ok
    }
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// `app    3f2a1c9d0e1b -> 9b8c7d6e5f4a     4.1s  healthy`: the columns line up from one service to the next.
fn outcome_line(service: &str, old: &str, new: &str, elapsed: std::time::Duration, health: &str) -> String {
    format!("{service}  {old:>12} -> {new:<12}  {:>6.1}s  {health}\n", elapsed.as_secs_f64())
}

/// One stderr line as a service is replaced, created and comes up, so that a long wait for health is not silent.
pub fn recreate_progress(service: &str, event: RecreateEvent) {
    let text = format!("{}\n", progress_line(service, event));
    let _ = std::io::stderr().write_all(text.as_bytes());
}

fn progress_line(service: &str, event: RecreateEvent) -> String {
    let object = |what: &str| format!("  secret   {:<16} {what}", sanitize(service));
    let what = match event {
        RecreateEvent::SecretCreated => return object("Swarm secret object created"),
        RecreateEvent::SecretRemoved => return object("Swarm secret object removed: no service runs it"),
        RecreateEvent::SecretKept => return object("Swarm secret object kept: services outside the rotation run it"),
        RecreateEvent::Replacing => "stopping and replacing (compose up --force-recreate)".to_string(),
        RecreateEvent::Created => "created, waiting until healthy".to_string(),
        RecreateEvent::UpdateStarted => "rolling update started, waiting until it completes".to_string(),
        RecreateEvent::Ready(after) => format!("healthy after {:.1}s", after.as_secs_f64()),
        RecreateEvent::NotReady(after) => format!("did not come up within {:.1}s", after.as_secs_f64()),
    };
    format!("  recreate {:<16} {what}", sanitize(service))
}

#[cfg(test)]
mod progress_tests {
    use super::*;

    #[test]
    fn recreate_lines_align_their_columns_across_services() {
        let secs = std::time::Duration::from_millis;
        let a = outcome_line("app   ", "3f2a1c9d0e1b", "9b8c7d6e5f4a", secs(4100), "healthy");
        let b = outcome_line("worker", "(none)", "0a1b2c3d4e5f", secs(12300), "running");
        assert_eq!(a, "app     3f2a1c9d0e1b -> 9b8c7d6e5f4a     4.1s  healthy\n");
        assert_eq!(b, "worker        (none) -> 0a1b2c3d4e5f    12.3s  running\n");
        assert_eq!(a.find("->"), b.find("->"));
        assert_eq!(a.find("s  "), b.find("s  "));
    }

    #[test]
    fn recreate_progress_says_replacing_created_and_healthy_per_service() {
        assert_eq!(
            progress_line("app", RecreateEvent::Replacing),
            "  recreate app              stopping and replacing (compose up --force-recreate)"
        );
        assert_eq!(
            progress_line("app", RecreateEvent::Created),
            "  recreate app              created, waiting until healthy"
        );
        let after = std::time::Duration::from_millis(3250);
        assert_eq!(progress_line("app", RecreateEvent::Ready(after)), "  recreate app              healthy after 3.2s");
    }
}
