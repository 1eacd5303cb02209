//! Test-only fault hooks at named points of a rotation or a recreate (compiled in only with the `fault-injection`
//! feature): `SECOPS_FAULT_AT=<point>` aborts the process there (a crash at that point must leave a credential that
//! someone knows); `SECOPS_PAUSE_AT=<point>` creates the file `SECOPS_PAUSE_FILE` and waits (at most five minutes)
//! until the test removes it, so a test can stop the store, cut the engine off or send a signal at that exact
//! point. Points: each rotation step (`staged`, `set`, `tested`, `committed`, `recreated`, `finished`),
//! `replacing` (the recreate step has begun a batch and read its old containers; the `docker compose up
//! --force-recreate` that stops and replaces them is not started yet), `compose-up` (a `docker compose up` child is
//! running) and `secret-object` (a stack rotation made its new Swarm secret object, no service was moved to it
//! yet). `<point>#N` aborts at the point's Nth passing (a `rotate --all` batch passes each step once per secret).

/// The hook at `point`. A process pauses once at most (a point such as `compose-up` is passed more than once).
#[cfg(feature = "fault-injection")]
pub fn at(point: &str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static PAUSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    static FAULT_PASSES: AtomicUsize = AtomicUsize::new(0);
    let named = |var: &str| std::env::var(var).is_ok_and(|at| at.split('#').next() == Some(point));
    if named("SECOPS_FAULT_AT") {
        let nth = std::env::var("SECOPS_FAULT_AT").ok().and_then(|at| at.split_once('#')?.1.parse().ok());
        if FAULT_PASSES.fetch_add(1, Ordering::SeqCst) + 1 >= nth.unwrap_or(1) {
            std::process::abort();
        }
    }
    if let (true, Some(file)) = (named("SECOPS_PAUSE_AT"), std::env::var_os("SECOPS_PAUSE_FILE"))
        && !PAUSED.swap(true, std::sync::atomic::Ordering::SeqCst)
    {
        let file = std::path::PathBuf::from(file);
        if std::fs::write(&file, point).is_ok() {
            let until = std::time::Instant::now() + std::time::Duration::from_secs(300);
            while file.exists() && std::time::Instant::now() < until {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
}

/// Without the `fault-injection` feature there is no hook.
#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn at(_point: &str) {}
