//! Printing rotations: the plan (for `--dry-run` and confirmation), progress lines on stderr, and the outcome.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::timestamp::timestamp_text;
use super::{Console, display_path, sanitize};
use crate::interrupt::Interrupt;
use crate::rotation::{EditKind, Outcome, Progress, Recovery, RecoveryPlan, RotationPlan};
use crate::stores::Probe;

/// The plan as text (no values: the current value appears as its fingerprint).
pub fn plan_text(plan: &RotationPlan, current_fingerprint: &str) -> String {
    let store = plan.store.summary();
    let mut text =
        format!("rotate {} ({}, current {current_fingerprint})\n  store:     {store}\n", plan.key, plan.kind.name());
    for edit in &plan.edits {
        let line = match edit.kind {
            EditKind::Value => format!("{} {} (new value)", display_path(&edit.file), edit.key),
            EditKind::Embedded => format!("{} {} (value embedding the secret)", display_path(&edit.file), edit.key),
            EditKind::Version => {
                format!("{} {} (version of a Swarm secret's name)", display_path(&edit.file), edit.key)
            }
            EditKind::SecretFile => format!(
                "{} (secret {}: the whole file, written atomically, mode and owner kept)",
                display_path(&edit.file),
                edit.key
            ),
        };
        text.push_str(&format!("  edit:      {line}\n"));
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
    for swap in &plan.secret_objects {
        text.push_str(&format!(
            "  secret:    Swarm object {} -> {} (made once the file is written; {} removed once no service runs it)\n",
            sanitize(&swap.old),
            sanitize(&swap.new),
            sanitize(&swap.old)
        ));
    }
    let order = plan.recreate_order();
    match (order.is_empty(), &plan.stack) {
        (true, _) => text.push_str("  recreate:  nothing\n"),
        (false, None) => {
            text.push_str(&format!("  recreate:  {} (up -d --force-recreate, in this order)\n", order.join(", ")))
        }
        (false, Some(stack)) => text.push_str(&format!(
            "  recreate:  {} (a rolling update of each service of stack {}, in this order)\n",
            order.join(", "),
            sanitize(stack)
        )),
    }
    if plan.edits_secret_files() && plan.stack.is_none() {
        // The bind mount holds the old inode: a renamed-over secret file reaches a container only when recreated.
        let how = if order.is_empty() { "until recreated" } else { "until each is recreated" };
        text.push_str(&format!("  note:      running containers keep reading the old secret file {how}\n"));
    }
    text.push_str(&format!("  state:     {}/ (journal, lock, backups, audit log)\n", display_path(&plan.state_dir)));
    text
}

/// Prints the plan on stdout (`--dry-run`), as text or as JSON (one object per target; `--all` prints several):
/// `{"dry_run": true, "key", "kind", "current_fingerprint", "store": {"kind", "service", "summary"},
/// "edits": [{"file", "key", "kind": "value"|"embedded"|"secret-file"|"version", "embedded"}], "keep_previous",
/// "stack", "secret_objects": [{"secret", "old", "new", "version", "version_variable"?}], "recreate": [...],
/// "state_dir"}`.
pub fn rotation_plan(plan: &RotationPlan, current_fingerprint: &str, json: bool) -> std::io::Result<()> {
    let console = Console::stdout();
    if !json {
        return console.write(&plan_text(plan, current_fingerprint));
    }
    console.json(&serde_json::json!({
        "dry_run": true,
        "key": plan.key,
        "kind": plan.kind.name(),
        "current_fingerprint": current_fingerprint,
        "store": {
            "kind": plan.store.store_kind().name(),
            "service": plan.store.service(),
            "summary": plan.store.summary(),
        },
        "edits": plan.edits.iter().map(|e| serde_json::json!({
            "file": e.file, "key": e.key, "kind": e.kind, "embedded": e.embedded()
        })).collect::<Vec<_>>(),
        "keep_previous": plan.keep_previous,
        "stack": plan.stack,
        "secret_objects": plan.secret_objects,
        "recreate": plan.recreate_order(),
        "state_dir": plan.state_dir,
    }))
}

/// What the operator answered at `Proceed? [y/N]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    /// Anything but yes, or end of input: a deliberate no.
    No,
    /// A SIGINT/SIGTERM arrived while asking.
    Signal(&'static str),
}

/// True once the rotation's recreate step has started: a first signal then lets it finish, and says so.
static RECREATING: AtomicBool = AtomicBool::new(false);

/// True while a prompt waits: the signal notice then says nothing, the prompt reports the signal itself.
static PROMPTING: AtomicBool = AtomicBool::new(false);

/// Shows `text` (a plan) on stderr and asks for confirmation on the terminal. The answer is read on a thread so
/// that a Ctrl-C (recorded by `interrupt`, whose handlers must be installed) ends the prompt with a message
/// instead of killing the process.
pub fn confirm_text(text: &str, interrupt: &Interrupt) -> std::io::Result<Answer> {
    let mut err = std::io::stderr().lock();
    write!(err, "{text}Proceed? [y/N] ")?;
    err.flush()?;
    drop(err);
    PROMPTING.store(true, Ordering::SeqCst);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut answer = String::new();
        let _ = tx.send(std::io::stdin().read_line(&mut answer).map(|_| answer));
    });
    let answer = loop {
        if let Some(signal) = interrupt.requested() {
            break Ok(Answer::Signal(signal));
        }
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Ok(line)) => {
                let yes = matches!(line.trim(), "y" | "Y" | "yes" | "YES" | "Yes");
                break Ok(if yes { Answer::Yes } else { Answer::No });
            }
            Ok(Err(err)) => break Err(err),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break Ok(Answer::No),
        }
    };
    PROMPTING.store(false, Ordering::SeqCst);
    if answer.as_ref().is_ok_and(|a| *a != Answer::Yes) {
        // The prompt's line is left open: end it before the next message.
        let _ = std::io::stderr().write_all(b"\n");
    }
    answer
}

/// Says that the operator declined (exit 0: a deliberate no is no error).
pub fn cancelled(what: &str) {
    let _ = std::io::stderr().write_all(format!("docker-secops: {}: nothing changed\n", sanitize(what)).as_bytes());
}

/// What `--resume` / `--rollback` would do (`--dry-run`, and the confirmation prompt), as text.
pub fn recovery_text(plan: &RecoveryPlan) -> String {
    let verb = match plan.recovery {
        Recovery::Resume => "resume",
        Recovery::Rollback => "roll back",
    };
    let mut text = format!(
        "{verb} the rotation of {} (journal {}, last step {}, started {} by {})\n",
        plan.key,
        display_path(&plan.journal),
        plan.step.as_str(),
        timestamp_text(&plan.started),
        sanitize(&plan.operator)
    );
    match &plan.accepts {
        Some((new, old)) => text.push_str(&format!(
            "  store:     new {} {}, current {} {}\n",
            plan.new_fingerprint,
            probe_word(new),
            plan.old_fingerprint,
            probe_word(old)
        )),
        None => text.push_str("  store:     env files only\n"),
    }
    if let Some(reason) = &plan.blocked {
        text.push_str(&format!("  blocked:   {} (nothing would change)\n", sanitize(reason)));
        return text;
    }
    text.push_str(&format!("  steps:     {}\n", plan.steps.join(", ")));
    if !plan.files.is_empty() {
        let files: Vec<String> = plan.files.iter().map(|f| display_path(f)).collect();
        let how = if plan.recovery == Recovery::Rollback { "restored from backups" } else { "new value" };
        text.push_str(&format!("  files:     {} ({how})\n", files.join(", ")));
    }
    match plan.recreate.is_empty() {
        true => text.push_str("  recreate:  nothing\n"),
        false => text
            .push_str(&format!("  recreate:  {} (up -d --force-recreate, in this order)\n", plan.recreate.join(", "))),
    }
    text
}

/// `accepts`, `rejects` or `unreachable (...)`.
fn probe_word(probe: &Probe) -> String {
    match probe {
        Probe::Ok => "accepted".to_string(),
        Probe::Rejected => "rejected".to_string(),
        Probe::Unreachable(reason) => format!("unreachable ({})", sanitize(reason)),
    }
}

/// Prints what `--resume` / `--rollback` would do (`--dry-run`), as text or JSON:
/// `{"dry_run": true, "recovery": "resume"|"rollback", "key", "journal", "step", "started", "operator",
/// "store": {"new": "ok"|"rejected"|"unreachable", "current": ...} | null, "steps": [...], "files": [...],
/// "recreate": [...], "blocked": null | REASON}`.
pub fn recovery_plan(plan: &RecoveryPlan, json: bool) -> std::io::Result<()> {
    let console = Console::stdout();
    if !json {
        return console.write(&format!("{}dry run: nothing changed\n", recovery_text(plan)));
    }
    console.json(&serde_json::json!({
        "dry_run": true,
        "recovery": match plan.recovery { Recovery::Resume => "resume", Recovery::Rollback => "rollback" },
        "key": plan.key,
        "journal": plan.journal,
        "step": plan.step.as_str(),
        "started": plan.started,
        "operator": plan.operator,
        "store": plan.accepts.as_ref().map(|(new, old)| serde_json::json!({"new": new.as_str(), "current": old.as_str()})),
        "steps": plan.steps,
        "files": plan.files,
        "recreate": plan.recreate,
        "blocked": plan.blocked,
    }))
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
        // Each line sanitised on its own: a multi-line message keeps its lines instead of joining them with `?`.
        let mut lines = message.lines();
        let mut line = format!("warning: {}\n", sanitize(lines.next().unwrap_or_default()));
        for rest in lines {
            line.push_str(&format!("  {}\n", sanitize(rest)));
        }
        let _ = std::io::stderr().write_all(line.as_bytes());
    }

    fn starting(&self, step: &str) {
        RECREATING.store(step == "recreate", Ordering::SeqCst);
    }
}

/// Tells the operator, from the signal thread, what a SIGINT/SIGTERM does to the running rotation.
pub fn signal_notice(signal: &'static str, exiting: bool) {
    if PROMPTING.load(Ordering::SeqCst) && !exiting {
        // At `Proceed? [y/N]` nothing has started: the prompt says so itself.
        return;
    }
    let line = if exiting {
        format!(
            "docker-secops: {signal} again: exiting now. A rotation under way keeps its journal: \
             `docker secops rotate --resume` finishes it, `--rollback` undoes it\n"
        )
    } else if RECREATING.load(Ordering::SeqCst) {
        format!(
            "docker-secops: {signal} received during recreate: the consumers already get the new value, so the \
             rotation finishes (it is not rolled back); send it again to exit at once and leave the journal\n"
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
            "state_dir": outcome.state_dir,
        }));
    }
    let services = if outcome.services.is_empty() { "none".to_string() } else { outcome.services.join(", ") };
    let state = display_path(&outcome.state_dir);
    if outcome.result != "ok" {
        // A rollback changes nothing in the end: say what stays, not an `old -> new` that reads as a change.
        return console.write(&format!(
            "{} {}: keeps {} ({} withdrawn) in {:.1}s (store {}, recreated back: {services})\n  audit log in {state}/\n",
            console.paint("33", "rolled back"),
            outcome.key,
            outcome.old_fingerprint,
            outcome.new_fingerprint,
            outcome.duration.as_secs_f64(),
            outcome.store,
        ));
    }
    console.write(&format!(
        "{} {}: {} -> {} in {:.1}s (store {}, recreated: {services})\n  backups and audit log in {state}/\n",
        console.paint("32", "rotated"),
        outcome.key,
        outcome.old_fingerprint,
        outcome.new_fingerprint,
        outcome.duration.as_secs_f64(),
        outcome.store,
    ))
}
