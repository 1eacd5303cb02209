//! What happens to a service being recreated, moment by moment, for progress lines.

use std::time::Duration;

/// One moment in the recreation of one service, for progress lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RecreateEvent {
    /// Its old containers were removed (`compose down`).
    Removed,
    /// Its Swarm service's rolling update was started; the wait for it to complete begins.
    UpdateStarted,
    /// Its new container was created and started (`compose up`); the wait for health begins.
    Created,
    /// It came up (healthy, or running without a health check) after this long.
    Ready(Duration),
    /// It did not come up within the timeout.
    NotReady(Duration),
}
