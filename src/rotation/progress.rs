//! Progress reporting from the engine: one line per step with its elapsed time (the output layer decides how).

use std::time::Duration;

/// Receives the engine's progress; implemented in `output`.
pub trait Progress {
    /// A step finished after `elapsed`, with a short detail (no secrets: fingerprints at most).
    fn step(&self, step: &str, elapsed: Duration, detail: &str);
    /// Something the operator must know, that does not stop the rotation.
    fn warn(&self, message: &str);
    /// The step `step` starts (`recreate`): a signal's notice can then say what this step does with it.
    fn starting(&self, _step: &str) {}
}
