//! How the engine gets consumers onto the new value: each service's container replaced (never restarted), then
//! verification.

use std::future::Future;

use crate::secret::Secret;

/// Recreates services and checks they run with the expected values.
pub trait Recreator {
    /// Recreates `services` in order (a new container, never a restart), waits until each is healthy, and verifies that a
    /// new container replaced the old one and that its environment holds each `(key, value)` of `expect` that it
    /// receives. A key that is a container path (`/run/secrets/db_password`) is a file the container must hold
    /// with that value (trailing line breaks aside), when it has it. Returns the services recreated.
    ///
    /// `verified` are services the caller checks itself afterwards by logging in to them with the new value (a
    /// store's own container): one without healthcheck may count as up as soon as it runs, without the grace that
    /// otherwise tells a container that stays up from one that crashes at start.
    fn recreate(
        &self,
        services: &[String],
        verified: &[String],
        expect: &[(String, Secret)],
    ) -> impl Future<Output = Result<Vec<String>, String>>;
}

/// `--no-recreate`: the files change, containers are left alone (first deploys, offline use).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRecreate;

impl Recreator for NoRecreate {
    async fn recreate(
        &self,
        _services: &[String],
        _verified: &[String],
        _expect: &[(String, Secret)],
    ) -> Result<Vec<String>, String> {
        Ok(Vec::new())
    }
}

/// A recreator chosen at run time: the real one, or none (`--no-recreate`, offline).
pub enum AnyRecreator<R> {
    Real(R),
    None,
}

impl<R: Recreator> Recreator for AnyRecreator<R> {
    async fn recreate(
        &self,
        services: &[String],
        verified: &[String],
        expect: &[(String, Secret)],
    ) -> Result<Vec<String>, String> {
        match self {
            AnyRecreator::Real(r) => r.recreate(services, verified, expect).await,
            AnyRecreator::None => NoRecreate.recreate(services, verified, expect).await,
        }
    }
}
