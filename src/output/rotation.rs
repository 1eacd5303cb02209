//! Printing rotations: the plan (for `--dry-run` and confirmation), progress lines on stderr, and the outcome.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use super::{Console, display_path, sanitize};
use crate::rotation::{Outcome, Progress, RotationPlan};

/// The plan as text (no values: the current value appears as its fingerprint).
pub fn plan_text(plan: &RotationPlan, current_fingerprint: &str) -> String {
    let store = plan.store.summary();
    let mut text =
        format!("rotate {} ({}, current {current_fingerprint})\n  store:     {store}\n", plan.key, plan.kind.name());
    for edit in &plan.edits {
        let how = if edit.embedded { "value embedding the secret" } else { "new value" };
        text.push_str(&format!("  edit:      {} {} ({how})\n", display_path(&edit.file), edit.key));
    }
    for (file, key) in &plan.partial_matches {
        text.push_str(&format!(
            "  unchanged: {} {key} (contains the old value's bytes, but not whole nor as a URL password)\n",
            display_path(file)
        ));
    }
    if let Some(prev) = &plan.keep_previous {
        text.push_str(&format!("  keep:      old value under {prev}\n"));
    }
    let order = plan.recreate_order();
    if order.is_empty() {
        text.push_str("  recreate:  nothing\n");
    } else {
        text.push_str(&format!("  recreate:  {} (down + up -d, in this order)\n", order.join(", ")));
    }
    text.push_str(&format!("  journal:   {}\n", display_path(&plan.state_dir)));
    text
}

/// Prints the plan on stdout (`--dry-run`).
pub fn rotation_plan(plan: &RotationPlan, current_fingerprint: &str) -> std::io::Result<()> {
    Console::stdout().write(&plan_text(plan, current_fingerprint))
}

/// Shows the plan on stderr and asks for confirmation on the terminal. True when the user typed yes.
pub fn confirm(plan: &RotationPlan, current_fingerprint: &str) -> std::io::Result<bool> {
    let mut err = std::io::stderr().lock();
    write!(err, "{}Proceed? [y/N] ", plan_text(plan, current_fingerprint))?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

/// Progress lines on stderr: `[  1.2s] set       redis accepts 3fa9c2d1 ...`.
pub struct StepPrinter {
    started: Instant,
    tty: bool,
}

impl StepPrinter {
    /// A printer whose clock starts now.
    pub fn new() -> Self {
        StepPrinter { started: Instant::now(), tty: std::io::stderr().is_terminal() }
    }
}

impl Default for StepPrinter {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for StepPrinter {
    fn step(&self, step: &str, elapsed: Duration, detail: &str) {
        let total = self.started.elapsed().as_secs_f64();
        let mark = if self.tty { "\x1b[32m✓\x1b[0m" } else { "ok" };
        let line = format!("[{total:6.1}s] {mark} {step:<17} {:>6.2}s  {}\n", elapsed.as_secs_f64(), sanitize(detail));
        let _ = std::io::stderr().write_all(line.as_bytes());
    }

    fn warn(&self, message: &str) {
        let line = format!("warning: {}\n", sanitize(message));
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
}

/// Tells the operator, from the signal thread, what a SIGINT/SIGTERM does to the running rotation.
pub fn signal_notice(signal: &'static str, exiting: bool) {
    let line = if exiting {
        format!(
            "docker-secops: {signal} again: exiting now. A rotation under way keeps its journal: \
             `docker secops rotate --resume` finishes it, `--rollback` undoes it\n"
        )
    } else {
        format!(
            "docker-secops: {signal} received: the rotation stops at its next step boundary and rolls back (unless \
             --no-rollback), or finishes if every consumer already runs the new value; send it again to exit at once\n"
        )
    };
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Tells the operator, from the signal thread, what a SIGINT/SIGTERM does to a running `recreate`.
pub fn recreate_signal_notice(signal: &'static str, exiting: bool) {
    let line = if exiting {
        format!("docker-secops: {signal} again: exiting now; check `docker secops status` for services left down\n")
    } else {
        format!(
            "docker-secops: {signal} received: the service being recreated comes up again, then recreate stops \
             (send it again to exit at once)\n"
        )
    };
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Prints how the rotation ended, as text or JSON.
pub fn rotation_outcome(outcome: &Outcome, json: bool) -> std::io::Result<()> {
    let console = Console::stdout();
    if json {
        return console.json(&serde_json::json!({
            "key": outcome.key,
            "store": outcome.store,
            "old_fingerprint": outcome.old_fingerprint,
            "new_fingerprint": outcome.new_fingerprint,
            "services": outcome.services,
            "duration_ms": outcome.duration.as_millis() as u64,
            "result": outcome.result,
        }));
    }
    let services = if outcome.services.is_empty() { "none".to_string() } else { outcome.services.join(", ") };
    console.write(&format!(
        "{} {}: {} -> {} in {:.1}s (store {}, recreated: {services})\n",
        if outcome.result == "ok" { console.paint("32", "rotated") } else { console.paint("33", outcome.result) },
        outcome.key,
        outcome.old_fingerprint,
        outcome.new_fingerprint,
        outcome.duration.as_secs_f64(),
        outcome.store,
    ))
}
