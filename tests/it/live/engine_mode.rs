//! Compose tests share the engine; a swarm test has it to itself. `docker swarm init` and `leave` reconfigure the
//! engine's networking (a gateway bridge, an ingress network), and compose tests that ran while swarm tests came
//! and went lost their service-name resolution (seen on engine 20.10, cause not pinned down). A compose
//! stack holds a shared claim for its life; a swarm test waits until none is held and blocks new ones until it
//! ends. Shared claims are re-entrant (a test may hold two stacks): a waiting swarm test never blocks them.

use std::sync::{Condvar, Mutex};

/// (compose stacks alive, a swarm test running).
static STATE: Mutex<(usize, bool)> = Mutex::new((0, false));
static CHANGED: Condvar = Condvar::new();

/// A compose stack's claim on the engine.
pub struct Shared(());

/// A swarm test's claim on the engine.
pub struct Exclusive(());

/// Waits while a swarm test runs, then claims the engine beside other compose stacks.
pub fn shared() -> Shared {
    let mut state = STATE.lock().unwrap_or_else(|p| p.into_inner());
    while state.1 {
        state = CHANGED.wait(state).unwrap_or_else(|p| p.into_inner());
    }
    state.0 += 1;
    Shared(())
}

/// Waits until no compose stack and no other swarm test is alive, then claims the engine alone.
pub fn exclusive() -> Exclusive {
    let mut state = STATE.lock().unwrap_or_else(|p| p.into_inner());
    while state.0 > 0 || state.1 {
        state = CHANGED.wait(state).unwrap_or_else(|p| p.into_inner());
    }
    state.1 = true;
    Exclusive(())
}

impl Drop for Shared {
    fn drop(&mut self) {
        let mut state = STATE.lock().unwrap_or_else(|p| p.into_inner());
        state.0 -= 1;
        CHANGED.notify_all();
    }
}

impl Drop for Exclusive {
    fn drop(&mut self) {
        let mut state = STATE.lock().unwrap_or_else(|p| p.into_inner());
        state.1 = false;
        CHANGED.notify_all();
    }
}
