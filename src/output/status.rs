//! Printing `status`: per service a container line, then one line per secret key with its drift and probe, in
//! aligned columns that wrap under their column past [`WIDTH`](super::columns::WIDTH).

use super::columns::{fit, fit_prose};
use super::timestamp::{timestamp, timestamp_text};
use super::{Console, StatusJson, display_path, sanitize};
use crate::docker::{ContainerInfo, Health};
use crate::live::{Drift, KeyStatus, PendingRotation, ServiceStatus, StatusReport};
use crate::stores::Probe;

/// Prints `report` as JSON or as human text.
pub fn status(report: &StatusReport, json: bool) -> std::io::Result<()> {
    let console = Console::stdout();
    if json {
        return console.json(&StatusJson::of(report));
    }
    console.write(&status_text(report, &console))
}

/// The human report.
fn status_text(report: &StatusReport, console: &Console) -> String {
    let mut text = format!("{} {}\n", console.bold("project"), sanitize(&report.project));
    if let Some(pending) = &report.pending_rotation {
        text.push_str(&pending_line(console, pending));
    }
    // Columns line up across the whole report, not only within a service.
    let widths = Widths::of(report);
    for service in &report.services {
        text.push('\n');
        text.push_str(&service_line(console, &report.project, service, &widths));
        if let Some(swarm) = &service.swarm {
            text.push_str(&super::stack_lines(console, swarm));
        }
        for key in &service.keys {
            text.push_str(&key_line(console, service, key, widths.key));
        }
        if service.keys.is_empty() {
            text.push_str(&console.dim("  no secret keys\n"));
        }
    }
    text.push('\n');
    text.push_str(&summary(report));
    if let Some(advice) = recreate_advice(report) {
        text.push_str(&console.paint("33", &advice));
    }
    text
}

/// The widths of the aligned columns: service names, container names, states, key labels.
struct Widths {
    service: usize,
    container: usize,
    state: usize,
    key: usize,
}

impl Widths {
    fn of(report: &StatusReport) -> Widths {
        let max = |f: &dyn Fn(&ServiceStatus) -> usize| report.services.iter().map(f).max().unwrap_or(0);
        Widths {
            service: max(&|s| s.service.chars().count()),
            container: max(&|s| container_name(&report.project, s).chars().count()),
            state: max(&|s| s.container.as_ref().map_or(0, |c| state_text(c).chars().count())),
            key: max(&|s| s.keys.iter().map(|k| k.label().chars().count()).max().unwrap_or(0)),
        }
    }
}

/// One line naming every service to recreate (stale or missing keys whose value the store does not reject).
fn recreate_advice(report: &StatusReport) -> Option<String> {
    let services: Vec<&str> = report
        .services
        .iter()
        .filter(|s| {
            s.keys
                .iter()
                .any(|k| k.drift != Drift::InSync && !k.probe.as_ref().is_some_and(|p| p.probe == Probe::Rejected))
        })
        .map(|s| s.service.as_str())
        .collect();
    if services.is_empty() {
        return None;
    }
    if report.services.iter().any(|s| s.in_stack) {
        // A stack takes its env and secrets from the files at deploy time; a secret object cannot change, so a
        // changed secret file needs a new versioned `name:` first.
        return Some(format!(
            "redeploy to apply the files to {}: docker stack deploy -c FILE {} (a changed secret needs a new name: first)\n",
            services.join(" "),
            report.project
        ));
    }
    Some(format!("run docker secops recreate {}\n", services.join(" ")))
}

/// `running, healthy`, `exited (0)`, ...: the engine state and the health, uncoloured.
fn state_text(c: &ContainerInfo) -> String {
    let state = match (c.state.as_str(), c.exit_code) {
        ("exited", Some(code)) => format!("exited ({code})"),
        (state, _) => state.to_string(),
    };
    let health = match c.health {
        Health::None => "",
        Health::Healthy => ", healthy",
        Health::Starting => ", starting",
        Health::Unhealthy => ", unhealthy",
    };
    format!("{state}{health}")
}

/// The container's name when it says more than compose's default `PROJECT-SERVICE-1` (a `container_name`, a
/// replica): the default is left out so that a service line fits in 100 columns; the short ID identifies it.
fn container_name(project: &str, service: &ServiceStatus) -> String {
    let Some(c) = &service.container else { return String::new() };
    if c.name == format!("{project}-{}-1", service.service) { String::new() } else { sanitize(&c.name) }
}

fn service_line(console: &Console, project: &str, service: &ServiceStatus, widths: &Widths) -> String {
    let name = console.bold(&format!("{:<width$}", service.service, width = widths.service));
    let indent = widths.service + 2;
    let Some(c) = &service.container else {
        let image = service.image.as_deref().unwrap_or("(no image)");
        return fit(&[name, console.paint("31", "no container"), console.dim(&sanitize(image))], indent);
    };
    let padded = format!("{:<width$}", state_text(c), width = widths.state);
    let healthy = c.is_running() && matches!(c.health, Health::None | Health::Healthy);
    let state = match c.health {
        Health::Starting if c.is_running() => console.paint("33", &padded),
        _ if healthy => console.paint("32", &padded),
        _ => console.paint("31", &padded),
    };
    let created = c.created.map(|t| format!("created {}", timestamp(t))).unwrap_or_default();
    let replicas = if service.replicas > 1 { format!("({} containers)", service.replicas) } else { String::new() };
    fit(
        &[
            name,
            state,
            format!("{:<width$}", container_name(project, service), width = widths.container),
            c.short_id().to_string(),
            created,
            console.dim(&sanitize(&c.image)),
            replicas,
        ],
        indent,
    )
}

fn key_line(console: &Console, status: &ServiceStatus, key: &KeyStatus, width: usize) -> String {
    let rejected = key.probe.as_ref().filter(|p| p.probe == Probe::Rejected);
    // A value the store rejects must not be pushed into containers: its advice replaces "recreate" (which would
    // take the service down); the others are named once, on the last line.
    let drift = match &key.drift {
        Drift::InSync => console.paint("32", "in sync"),
        Drift::Stale { file, changed_after_created: true } => console.paint(
            "33",
            &format!(
                "stale: {} changed after the container {}",
                display_path(file),
                if key.secret_target.is_some() { "started" } else { "was created" }
            ),
        ),
        Drift::Stale { file, changed_after_created: false } => console.paint(
            "33",
            &format!(
                "stale: the container has {}, {} gives {}",
                key.container_fingerprint.as_deref().unwrap_or("?"),
                display_path(file),
                key.fingerprint
            ),
        ),
        Drift::Missing if status.container.is_none() => console.paint("31", "missing: no container"),
        Drift::Missing => console.paint("31", "missing: the container does not have it"),
    };
    let probe = match &key.probe {
        None => String::new(),
        Some(p) => {
            let at = p.address.as_deref().map(|a| format!(" at {}", sanitize(a))).unwrap_or_default();
            let word = match &p.probe {
                Probe::Ok => console.paint("32", "ok"),
                Probe::Rejected => console.paint("31", "rejected"),
                Probe::Unreachable(reason) => console.paint("31", &format!("unreachable ({})", sanitize(reason))),
            };
            format!("{} login {word} ({}{at})", p.kind, p.store_service)
        }
    };
    let rotated = key.last_rotated.map(|t| console.dim(&format!("rotated {}", timestamp(t)))).unwrap_or_default();
    let head = format!("  {:width$}  {}", key.label(), console.paint("36", &key.fingerprint));
    // Continuation lines start under the fingerprint.
    let indent = width + 4;
    let Some(p) = rejected else { return fit(&[head, drift, probe, rotated], indent) };
    let advice = [
        format!("{}{} rejects the value", " ".repeat(indent), p.kind),
        format!("{} gives: do not recreate;", display_path(&key.file)),
        "restore the working value there,".to_string(),
        format!("or run docker secops rotate {} --current-from-stdin", key.key),
    ];
    let advice: Vec<String> = advice.iter().map(|a| console.paint("31", a)).collect();
    format!("{}{}", fit(&[head, probe, drift, rotated], indent), fit_prose(&advice, indent))
}

fn pending_line(console: &Console, pending: &PendingRotation) -> String {
    let mut phrases = match (&pending.key, &pending.error) {
        (Some(key), _) => vec![
            format!(
                "a rotation of {} {}",
                sanitize(key),
                if pending.running_pid.is_some() { "is under way" } else { "is pending" }
            ),
            format!("(last step {},", sanitize(pending.step.as_deref().unwrap_or("?"))),
            format!("started {}", pending.started.as_deref().map_or_else(|| "?".to_string(), timestamp_text)),
            format!("by {})", sanitize(pending.operator.as_deref().unwrap_or("?"))),
        ],
        (None, error) => {
            vec![format!("a rotation journal is unreadable: {}", sanitize(error.as_deref().unwrap_or("?")))]
        }
    };
    match pending.running_pid {
        Some(pid) => phrases.extend([format!("and still running (pid {pid}):"), "wait for it".to_string()]),
        None => phrases.extend([
            "; it was interrupted:".to_string(),
            "run docker secops rotate --resume or --rollback".to_string(),
        ]),
    }
    if let Some(last) = phrases.iter().rposition(|p| p.starts_with("; ")) {
        // The semicolon belongs to the phrase before it.
        let rest = phrases.remove(last);
        phrases[last - 1].push(';');
        phrases.insert(last, rest[2..].to_string());
    }
    phrases.push(format!("({})", display_path(&pending.journal)));
    let painted: Vec<String> = phrases.iter().map(|p| console.paint("31", p)).collect();
    fit_prose(&painted, 2)
}

fn summary(report: &StatusReport) -> String {
    let keys: Vec<&KeyStatus> = report.services.iter().flat_map(|s| &s.keys).collect();
    let count = |f: &dyn Fn(&KeyStatus) -> bool| keys.iter().filter(|k| f(k)).count();
    let stale = count(&|k| matches!(k.drift, Drift::Stale { .. }));
    let missing = count(&|k| k.drift == Drift::Missing);
    let down: Vec<&str> = report.services.iter().filter(|s| s.down().is_some()).map(|s| s.service.as_str()).collect();
    let down = if down.is_empty() { String::new() } else { format!(" ({} down: {})", down.len(), down.join(", ")) };
    let mut text = format!(
        "{} services{down}, {} secret keys: {} in sync, {stale} stale, {missing} missing\n",
        report.services.len(),
        keys.len(),
        count(&|k| k.drift == Drift::InSync)
    );
    if report.probed {
        let probes: Vec<&Probe> = keys.iter().filter_map(|k| k.probe.as_ref().map(|p| &p.probe)).collect();
        let of = |word: &str| probes.iter().filter(|p| p.as_str() == word).count();
        text.push_str(&format!(
            "probes: {} ok, {} rejected, {} unreachable",
            of("ok"),
            of("rejected"),
            of("unreachable")
        ));
    } else {
        text.push_str("probes skipped (--no-probe)");
    }
    text.push_str("; values shown as fingerprints\n");
    text
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    use super::*;
    use crate::live::ProbeResult;
    use crate::stores::StoreKind;

    fn container(name: &str, image: &str, state: &str) -> ContainerInfo {
        let inspect = serde_json::json!({
            "Id": "0123456789abcdef0123", "Name": format!("/{name}"), "Created": "2026-01-01T10:20:30.123456789Z",
            "State": {"Status": state, "ExitCode": 0, "Health": {"Status": "healthy"}},
            "Config": {"Env": [], "Image": image}
        });
        ContainerInfo::from_inspect(serde_json::from_value(inspect).expect("inspect"))
    }

    fn key(name: &str, drift: Drift, probe: Option<Probe>) -> KeyStatus {
        KeyStatus {
            key: name.into(),
            secret_target: None,
            fingerprint: "3fa9c2d1".into(),
            container_fingerprint: Some("8ac5a7d2".into()),
            file: PathBuf::from("deploy/environments/production/.env.production"),
            line: Some(3),
            drift,
            probe: probe.map(|probe| ProbeResult {
                kind: StoreKind::from_image("redis:7").expect("redis"),
                store_service: "session-cache-redis".into(),
                address: Some("172.28.0.12:6379".into()),
                probe,
            }),
            last_rotated: OffsetDateTime::parse("2026-02-03T04:05:06.7Z", &Rfc3339).ok(),
        }
    }

    /// A project whose names, paths and images make every line long.
    fn report() -> StatusReport {
        let stale = Drift::Stale {
            file: PathBuf::from("deploy/environments/production/.env.production"),
            changed_after_created: false,
        };
        StatusReport {
            project: "customer-portal-production".into(),
            services: vec![
                ServiceStatus {
                    service: "checkout-api".into(),
                    image: None,
                    container: Some(container(
                        "checkout-api-blue",
                        "registry.internal.example.com/platform/checkout-api:2026.01.15-build.4411",
                        "running",
                    )),
                    replicas: 3,
                    in_stack: false,
                    swarm: None,
                    keys: vec![
                        key("SESSION_CACHE_REDIS_PASSWORD", stale.clone(), Some(Probe::Ok)),
                        key("CHECKOUT_DATABASE_PASSWORD", Drift::InSync, Some(Probe::Unreachable("timed out".into()))),
                    ],
                },
                ServiceStatus {
                    service: "session-cache-redis".into(),
                    image: None,
                    container: Some(container(
                        "customer-portal-production-session-cache-redis-1",
                        "redis:7",
                        "running",
                    )),
                    replicas: 1,
                    in_stack: false,
                    swarm: None,
                    keys: vec![key("REDIS_PASSWORD", stale, Some(Probe::Rejected))],
                },
                ServiceStatus {
                    service: "worker".into(),
                    image: Some("registry.internal.example.com/platform/worker:1".into()),
                    container: None,
                    replicas: 0,
                    in_stack: false,
                    swarm: None,
                    keys: vec![key("SESSION_CACHE_REDIS_PASSWORD", Drift::Missing, None)],
                },
            ],
            probed: true,
            pending_rotation: Some(PendingRotation {
                journal: PathBuf::from("/nowhere/deploy/.secops/journal.json"),
                key: Some("SESSION_CACHE_REDIS_PASSWORD".into()),
                step: Some("committed".into()),
                started: Some("2026-02-03T04:05:06.123456Z".into()),
                operator: Some("ops@bastion-host-01".into()),
                error: None,
                running_pid: None,
            }),
        }
    }

    #[test]
    fn status_lines_fit_in_100_columns() {
        let text = status_text(&report(), &Console::plain());
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "{} columns: {line}\n{text}", line.chars().count());
        }
        // Nothing was dropped to make it fit.
        for word in ["registry.internal.example.com/platform/checkout-api:2026.01.15-build.4411", "(3 containers)"] {
            assert!(text.contains(word), "{word} missing:\n{text}");
        }
        assert!(text.contains("run docker secops rotate --resume or --rollback"), "{text}");
        assert!(text.contains("or run docker secops rotate REDIS_PASSWORD --current-from-stdin"), "{text}");
    }

    #[test]
    fn status_columns_line_up_from_one_service_to_the_next() {
        let text = status_text(&report(), &Console::plain());
        let services: Vec<&str> =
            text.lines().filter(|l| l.starts_with("checkout-api") || l.starts_with("session-cache-redis")).collect();
        assert_eq!(services.len(), 2, "{text}");
        let column = |line: &str, word: &str| line.find(word).unwrap_or_else(|| panic!("{word} in {line}"));
        assert_eq!(column(services[0], "running"), column(services[1], "running"), "{text}");
        assert_eq!(column(services[0], "0123456789ab"), column(services[1], "0123456789ab"), "{text}");
        // A `container_name` is shown; compose's default name (PROJECT-SERVICE-1) is not: the ID identifies it.
        assert!(services[0].contains("checkout-api-blue"), "{text}");
        assert!(!text.contains("customer-portal-production-session-cache-redis-1"), "{text}");
        // Key lines: the fingerprint column is the same for every key of the report, and a wrapped key line
        // continues under it.
        let fingerprints: Vec<usize> = text.lines().filter_map(|l| l.find("3fa9c2d1")).collect();
        assert!(fingerprints.len() >= 4, "{text}");
        let first = text.lines().find(|l| l.contains("SESSION_CACHE_REDIS_PASSWORD  3fa9c2d1")).expect("key line");
        let at = first.find("3fa9c2d1").expect("fingerprint");
        assert!(
            text.lines()
                .filter(|l| l.starts_with("  "))
                .all(|l| l.find("3fa9c2d1").is_none_or(|f| f == at || l.contains("gives 3fa9c2d1"))),
            "{text}"
        );
        let continued: Vec<&str> = text.lines().filter(|l| l.starts_with(&" ".repeat(at))).collect();
        assert!(!continued.is_empty(), "expected a wrapped line:\n{text}");
        assert!(continued.iter().all(|l| l.as_bytes()[at] != b' '), "continuation not under the fingerprint:\n{text}");
    }

    #[test]
    fn status_names_every_service_to_recreate_on_one_line_and_times_in_one_format() {
        let text = status_text(&report(), &Console::plain());
        let advice: Vec<&str> = text.lines().filter(|l| l.starts_with("run docker secops recreate")).collect();
        // session-cache-redis's value is rejected by its store: recreating it would take it down.
        assert_eq!(advice, ["run docker secops recreate checkout-api worker"], "{text}");
        assert_eq!(text.matches("recreate checkout-api").count(), 1, "{text}");
        assert!(text.contains("created 2026-01-01T10:20:30Z"), "{text}");
        assert!(text.contains("rotated 2026-02-03T04:05:06Z"), "{text}");
        assert!(text.contains("started 2026-02-03T04:05:06Z"), "{text}");
        assert!(!text.contains(" UTC") && !text.contains(".123"), "{text}");
    }
}
