//! What happens to a service being recreated, moment by moment, for progress lines.

use std::time::Duration;

/// One moment in the recreation of one service, for progress lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RecreateEvent {
    /// Its old containers are being replaced: `compose up --force-recreate` (stop, create, start, remove) begins.
    Replacing,
    /// Its Swarm service's rolling update was started; the wait for it to complete begins.
    UpdateStarted,
    /// Its new container was created and started (`compose up`); the wait for health begins.
    Created,
    /// It came up (healthy, or running without a health check) after this long.
    Ready(Duration),
    /// It did not come up within the timeout.
    NotReady(Duration),
    /// (For a Swarm secret object, named in place of the service.) It was created for the value services move to.
    SecretCreated,
    /// (For a Swarm secret object.) No service runs it any more: removed.
    SecretRemoved,
    /// (For a Swarm secret object.) Services outside the rotation still run it: kept.
    SecretKept,
}
