//! Downtime probe of the database benches (`bench/run.sh downtime`): every INTERVAL_MS, a fresh login and
//! `SELECT 1` (the store kind's own probe) with the password a consumer holds right now, read from its running
//! container's environment every 250 ms. A database checks a password only at login, so each tick is one.
//!
//! Usage: `db_login_probe KIND HOST PORT USER DATABASE PROJECT SERVICE VAR STOP_FILE READY_FILE OUT INTERVAL_MS`
//! Runs until STOP_FILE exists, then writes `{checks, rejected, conn_errors, errors, longest_failing_ticks,
//! interval}` (the shape of bench/lib/redis_probe.py's) to OUT. Never prints a password.
#![allow(clippy::print_stderr)]

use std::path::Path;
use std::process::{Command, ExitCode};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use docker_secops::secret::Secret;
use docker_secops::stores::{Probe, StoreAddress, StoreKind, StoreSpec};

/// The value of `var` in the running container of `service` in `project`, if any.
fn held(project: &str, service: &str, var: &str) -> Option<String> {
    let ids = Command::new("docker")
        .args(["ps", "-q", "--filter", &format!("label=com.docker.compose.project={project}")])
        .args(["--filter", &format!("label=com.docker.compose.service={service}")])
        .output()
        .ok()?;
    let id = String::from_utf8_lossy(&ids.stdout).lines().next()?.to_string();
    let env = Command::new("docker")
        .args(["inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", &id])
        .output()
        .ok()?;
    let prefix = format!("{var}=");
    String::from_utf8_lossy(&env.stdout).lines().find_map(|l| l.strip_prefix(&prefix).map(str::to_string))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, host, port, user, database, project, service, var, stop, ready, out, interval] = args.as_slice() else {
        eprintln!("usage: db_login_probe KIND HOST PORT USER DATABASE PROJECT SERVICE VAR STOP READY OUT INTERVAL_MS");
        return ExitCode::from(2);
    };
    let (Some(kind), Ok(port), Ok(interval_ms)) = (StoreKind::parse(kind), port.parse(), interval.parse::<u64>())
    else {
        eprintln!("db_login_probe: bad kind, port or interval");
        return ExitCode::from(2);
    };
    let address = StoreAddress::Tcp { host: host.clone(), port, via: "bench".into() };
    let spec = StoreSpec {
        kind: kind.name().to_string(),
        service: None,
        user: Some(user.clone()),
        database: Some(database.clone()),
    };
    let current: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(held(project, service, var)));
    let watcher = {
        let (current, project, service, var, stop) =
            (current.clone(), project.clone(), service.clone(), var.clone(), stop.clone());
        std::thread::spawn(move || {
            while !Path::new(&stop).exists() {
                // Between containers (the consumer being recreated) the last value held stays the one tried.
                if let Some(value) = held(&project, &service, &var) {
                    *current.lock().unwrap_or_else(|e| e.into_inner()) = Some(value);
                }
                std::thread::sleep(Duration::from_millis(250));
            }
        })
    };
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
        return ExitCode::from(2);
    };
    let (mut checks, mut rejected, mut conn_errors, mut run, mut longest) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut errors: Vec<String> = Vec::new();
    let mut signalled_ready = false;
    while !Path::new(stop).exists() {
        let value = current.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(value) = value {
            let probe = runtime.block_on(kind.probe(&address, &spec, &Secret::new(value)));
            checks += 1;
            match probe {
                Probe::Ok => run = 0,
                Probe::Rejected => {
                    rejected += 1;
                    run += 1;
                }
                Probe::Unreachable(reason) => {
                    conn_errors += 1;
                    run += 1;
                    if errors.len() < 5 && !errors.contains(&reason) {
                        errors.push(reason);
                    }
                }
            }
            longest = longest.max(run);
            if !signalled_ready && checks > 0 && run == 0 {
                signalled_ready = std::fs::write(ready, "ok").is_ok();
            }
        }
        std::thread::sleep(Duration::from_millis(interval_ms));
    }
    let _ = watcher.join();
    let result = serde_json::json!({
        "checks": checks, "rejected": rejected, "conn_errors": conn_errors, "errors": errors,
        "longest_failing_ticks": longest, "interval": interval_ms as f64 / 1000.0,
    });
    match std::fs::write(out, result.to_string()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("db_login_probe: cannot write {out}: {err}");
            ExitCode::from(2)
        }
    }
}
