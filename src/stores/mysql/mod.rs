//! MySQL (8.0.14+) as a store kind: the same image variables as MariaDB's (`MYSQL_ROOT_PASSWORD`, `MYSQL_USER` /
//! `MYSQL_PASSWORD`, `MYSQL_DATABASE`, applied only to an empty data directory), rotated with `RETAIN CURRENT
//! PASSWORD` / `DISCARD OLD PASSWORD`.

mod mysql_store;

pub use mysql_store::MySqlStore;

use futures_util::future::LocalBoxFuture;

use super::mariadb::{MariaDb, SqlAccount};
use super::{AnyStore, Kind, KindInfo, OpenRequest, Probe, StoreAddress, StoreError, StoreSpec};
use crate::envfile::EnvDocument;
use crate::project::{Project, SecretDecl, Service};
use crate::secret::Secret;

/// The MySQL store kind.
pub struct MySql;

/// MySQL's names, images, port and user variables.
const INFO: KindInfo = KindInfo {
    name: "mysql",
    families: &["mysql"],
    schemes: &["mysql"],
    default_port: 3306,
    user_keys: &["MYSQL_USER"],
    ..KindInfo::NONE
};

impl Kind for MySql {
    fn info(&self) -> &'static KindInfo {
        &INFO
    }

    // Which key, account and database: the official images of both read the same variables.
    fn password_key<'v>(
        &self,
        service: &Service,
        values: &mut dyn Iterator<Item = (&'v str, &'v str)>,
    ) -> Option<String> {
        MariaDb.password_key(service, values)
    }

    fn login_keys(&self, service: &Service, password_key: Option<String>) -> Vec<String> {
        MariaDb.login_keys(service, password_key)
    }

    fn login_user_keys(&self, key: &str) -> &'static [&'static str] {
        MariaDb.login_user_keys(key)
    }

    fn spec(&self, project: &Project, docs: &[EnvDocument], decl: &SecretDecl, service: Option<String>) -> StoreSpec {
        StoreSpec { kind: INFO.name.to_string(), ..MariaDb.spec(project, docs, decl, service) }
    }

    fn reads_password_at_start(&self) -> bool {
        false
    }

    fn summary(&self, spec: &StoreSpec) -> String {
        format!(
            "mysql (service {}, account {}, every host: ALTER USER ... RETAIN CURRENT PASSWORD, a dual window; \
             DISCARD OLD PASSWORD once the consumers run the new value; MySQL rewrites the password out of its logs)",
            spec.service().unwrap_or("?"),
            spec.user.as_deref().unwrap_or("root")
        )
    }

    fn probe<'a>(
        &'a self,
        address: &'a StoreAddress,
        spec: &'a StoreSpec,
        secret: &'a Secret,
    ) -> LocalBoxFuture<'a, Probe> {
        MariaDb.probe(address, spec, secret)
    }

    fn open<'a>(&'a self, request: OpenRequest) -> LocalBoxFuture<'a, Result<AnyStore, StoreError>> {
        Box::pin(async move { Ok(AnyStore::new(MySqlStore::new(SqlAccount::of(INFO.name, request)))) })
    }
}
