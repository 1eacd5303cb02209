//! SIGINT and SIGTERM during a rotation: the first asks the engine to stop at the next step boundary and roll
//! back, so a Ctrl-C or a `docker stop` of a CI job never leaves a half-rotated credential; the second exits at
//! once, leaving the journal for `--resume` / `--rollback`.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI32, Ordering};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// A stop request, shared between the signal thread and the engine.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    signal: Arc<AtomicI32>,
}

/// The stop request of this process, once [`Interrupt::listen`] has installed the handlers.
static LISTENING: OnceLock<Interrupt> = OnceLock::new();

impl Interrupt {
    /// No handler: the engine is never asked to stop (signals keep their default action).
    pub fn none() -> Self {
        Interrupt::default()
    }

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
                let first = shared.signal.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst).is_ok();
                notice(signal_name(signal), !first);
                if !first {
                    std::process::exit(128 + signal);
                }
            }
        })?;
        Ok(interrupt)
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

    /// Records `signal` as if it had arrived (for tests of the engine).
    pub fn request(&self, signal: i32) {
        let _ = self.signal.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
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
        let interrupt = Interrupt::none();
        assert_eq!(interrupt.requested(), None);
        assert_eq!(interrupt.exit_code(), None);
        interrupt.request(SIGTERM);
        interrupt.request(SIGINT);
        assert_eq!(interrupt.requested(), Some("SIGTERM"));
        assert_eq!(interrupt.exit_code(), Some(143));
    }
}
