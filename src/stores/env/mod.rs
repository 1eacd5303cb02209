//! The env-files-only store kind: secrets no server checks (JWT secrets, API keys), changed in the files alone.

mod env_only;

pub use env_only::EnvOnly;

use futures_util::future::LocalBoxFuture;

use super::{AnyStore, Kind, KindInfo, OpenRequest, Probe, StoreAddress, StoreError, StoreSpec};
use crate::envfile::EnvDocument;
use crate::project::{Project, SecretDecl, Service};
use crate::secret::Secret;

/// The env-files-only store kind.
pub struct EnvFiles;

/// The env-files-only store: a name and nothing outside the files.
const INFO: KindInfo = KindInfo { name: "env", external: false, ..KindInfo::NONE };

impl Kind for EnvFiles {
    fn info(&self) -> &'static KindInfo {
        &INFO
    }

    fn password_key<'v>(
        &self,
        _service: &Service,
        _values: &mut dyn Iterator<Item = (&'v str, &'v str)>,
    ) -> Option<String> {
        None
    }

    fn spec(
        &self,
        _project: &Project,
        _docs: &[EnvDocument],
        _decl: &SecretDecl,
        _service: Option<String>,
    ) -> StoreSpec {
        StoreSpec::env()
    }

    fn reads_password_at_start(&self) -> bool {
        false
    }

    fn summary(&self, _spec: &StoreSpec) -> String {
        "env files only".to_string()
    }

    fn probe<'a>(
        &'a self,
        _address: &'a StoreAddress,
        _spec: &'a StoreSpec,
        secret: &'a Secret,
    ) -> LocalBoxFuture<'a, Probe> {
        Box::pin(async move { if secret.is_empty() { Probe::Rejected } else { Probe::Ok } })
    }

    fn open<'a>(&'a self, _request: OpenRequest) -> LocalBoxFuture<'a, Result<AnyStore, StoreError>> {
        Box::pin(async { Ok(AnyStore::new(EnvOnly)) })
    }
}
