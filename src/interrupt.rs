//! SIGINT and SIGTERM during a rotation or a recreate: the first asks the command to stop at its next safe point
//! (a rotation's step boundary, then a rollback), so a Ctrl-C or a `docker stop` of a CI job never leaves a
//! half-rotated credential; the second exits at once, leaving the journal for `--resume` / `--rollback`. Before
//! exiting it waits for a file write in progress ([`critical_section`]: never a half-written temp file holding a
//! secret, or an empty lock file) and passes the signal on to the compose children, which run in process groups of
//! their own ([`child_started`]).

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// A stop request, shared between the signal thread and the engine.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    signal: Arc<AtomicI32>,
}

/// The stop request of this process, once [`Interrupt::listen`] has installed the handlers.
static LISTENING: OnceLock<Interrupt> = OnceLock::new();

/// Held while a file that must never be left half-written is written; the second signal waits for it.
static CRITICAL: Mutex<()> = Mutex::new(());

/// The process groups of the children running now (each child leads its own).
static CHILDREN: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Holds off an immediate exit (the second signal) until the guard is dropped. Do not nest.
pub fn critical_section() -> MutexGuard<'static, ()> {
    CRITICAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Records a child that leads its own process group, so an immediate exit passes the signal on to it.
pub fn child_started(pid: u32) {
    if let Ok(pid) = i32::try_from(pid)
        && pid > 0
    {
        CHILDREN.lock().unwrap_or_else(|p| p.into_inner()).push(pid);
    }
}

/// Forgets a child that has ended.
pub fn child_ended(pid: u32) {
    CHILDREN.lock().unwrap_or_else(|p| p.into_inner()).retain(|p| i32::try_from(pid).ok() != Some(*p));
}

/// The second signal: wait for a write in progress, pass the signal on to the children, exit 128 + signal.
fn exit_now(signal: i32) -> ! {
    let _writing = critical_section();
    let children = CHILDREN.lock().unwrap_or_else(|p| p.into_inner()).clone();
    if let Some(sig) = rustix::process::Signal::from_named_raw(signal) {
        for pid in children.into_iter().filter_map(rustix::process::Pid::from_raw) {
            let _ = rustix::process::kill_process_group(pid, sig);
        }
    }
    std::process::exit(128 + signal)
}

impl Interrupt {
    /// Installs the SIGINT/SIGTERM handlers once per process and returns the shared request. `notice` is called
    /// on the signal thread with the signal's name and whether this one ends the process now (the second signal).
    pub fn listen(notice: fn(&'static str, bool)) -> std::io::Result<Interrupt> {
        if let Some(interrupt) = LISTENING.get() {
            return Ok(interrupt.clone());
        }
        let mut signals = Signals::new([SIGINT, SIGTERM])?;
        let interrupt = LISTENING.get_or_init(Interrupt::default).clone();
        let shared = interrupt.clone();
        std::thread::Builder::new().name("signals".into()).spawn(move || {
            for signal in signals.forever() {
                let first = shared.record(signal);
                notice(signal_name(signal), !first);
                if !first {
                    exit_now(signal);
                }
            }
        })?;
        Ok(interrupt)
    }

    /// Records `signal` if it is the first; true when it was.
    fn record(&self, signal: i32) -> bool {
        self.signal.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst).is_ok()
    }

    /// The request of this process, if [`Interrupt::listen`] installed the handlers.
    pub fn current() -> Option<Interrupt> {
        LISTENING.get().cloned()
    }

    /// The name of the signal that asked to stop, if one did.
    pub fn requested(&self) -> Option<&'static str> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            signal => Some(signal_name(signal)),
        }
    }

    /// The shell's exit code for a process stopped by the requested signal (128 + its number).
    pub fn exit_code(&self) -> Option<u8> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            signal => u8::try_from(128 + signal).ok(),
        }
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_requested_until_a_signal_arrives_and_the_first_one_wins() {
        let interrupt = Interrupt::default();
        assert_eq!(interrupt.requested(), None);
        assert_eq!(interrupt.exit_code(), None);
        assert!(interrupt.record(SIGTERM));
        assert!(!interrupt.record(SIGINT));
        assert_eq!(interrupt.requested(), Some("SIGTERM"));
        assert_eq!(interrupt.exit_code(), Some(143));
    }
}
