//! Printing `status`: per service a container line, then one line per secret key with its drift and probe.

use time::OffsetDateTime;
use time::macros::format_description;

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
    let mut text = format!("{} {}\n", console.bold("project"), sanitize(&report.project));
    if let Some(pending) = &report.pending_rotation {
        text.push_str(&pending_line(&console, pending));
    }
    // Columns line up across the whole report, not only within a service.
    let widths = Widths::of(report);
    for service in &report.services {
        text.push('\n');
        text.push_str(&service_line(&console, service, &widths));
        if let Some(swarm) = &service.swarm {
            text.push_str(&super::stack_lines(&console, swarm));
        }
        for key in &service.keys {
            text.push_str(&key_line(&console, service, key, widths.key));
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
    console.write(&text)
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
            container: max(&|s| s.container.as_ref().map_or(0, |c| sanitize(&c.name).chars().count())),
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

fn service_line(console: &Console, service: &ServiceStatus, widths: &Widths) -> String {
    let name = console.bold(&format!("{:<width$}", service.service, width = widths.service));
    let Some(c) = &service.container else {
        let image = service.image.as_deref().unwrap_or("(no image)");
        return format!("{name}  {}  {}\n", console.paint("31", "no container"), console.dim(image));
    };
    let padded = format!("{:<width$}", state_text(c), width = widths.state);
    let healthy = c.is_running() && matches!(c.health, Health::None | Health::Healthy);
    let state = match c.health {
        Health::Starting if c.is_running() => console.paint("33", &padded),
        _ if healthy => console.paint("32", &padded),
        _ => console.paint("31", &padded),
    };
    let created = c.created.map(|t| format!("created {}", when(t))).unwrap_or_default();
    let replicas = if service.replicas > 1 { format!("  ({} containers)", service.replicas) } else { String::new() };
    format!(
        "{name}  {:<cwidth$}  {}  {state}  {created}  {}{replicas}\n",
        sanitize(&c.name),
        c.short_id(),
        console.dim(&sanitize(&c.image)),
        cwidth = widths.container
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
                "stale: the container holds {} but {} gives {}",
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
            format!("  {} login {word} (service {}{at})", p.kind, p.store_service)
        }
    };
    let rotated = key.last_rotated.map(|t| console.dim(&format!("  rotated {}", when(t)))).unwrap_or_default();
    let fingerprint = console.paint("36", &key.fingerprint);
    let mut line = match rejected {
        Some(_) => format!("  {:width$}  {fingerprint}{}  {drift}{rotated}\n", key.label(), probe.trim_end()),
        None => format!("  {:width$}  {fingerprint}  {drift}{probe}{rotated}\n", key.label()),
    };
    if let Some(p) = rejected {
        let advice = format!(
            "  {:width$}  {} rejects the value {} gives: do not recreate; restore the working value there, or run \
             docker secops rotate {} --current-from-stdin\n",
            "",
            p.kind,
            display_path(&key.file),
            key.key
        );
        line = format!("{line}{}", console.paint("31", &advice));
    }
    line
}

fn pending_line(console: &Console, pending: &PendingRotation) -> String {
    let what = match (&pending.key, &pending.error) {
        (Some(key), _) => format!(
            "a rotation of {key} is pending (last step {}, started {} by {})",
            pending.step.as_deref().unwrap_or("?"),
            pending.started.as_deref().unwrap_or("?"),
            pending.operator.as_deref().unwrap_or("?")
        ),
        (None, error) => format!("a rotation journal is unreadable: {}", error.as_deref().unwrap_or("?")),
    };
    let hint = match pending.running_pid {
        Some(pid) => format!(
            "{} and still running (pid {pid}): wait for it ({})",
            sanitize(&what.replacen("is pending", "is under way", 1)),
            display_path(&pending.journal)
        ),
        None => format!(
            "{}; it was interrupted: run docker secops rotate --resume or --rollback ({})",
            sanitize(&what),
            display_path(&pending.journal)
        ),
    };
    format!("{}\n", console.paint("31", &hint))
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

/// `2024-05-01 10:00:00 UTC`.
fn when(t: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    t.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_default()
}
