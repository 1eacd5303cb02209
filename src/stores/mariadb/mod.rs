//! MariaDB as a store kind, for `status` only so far: the live login probe of the account the image creates from
//! `MARIADB_USER`/`MARIADB_PASSWORD` (or root from `MARIADB_ROOT_PASSWORD`; `MYSQL_*` twins too).
//!
//! Rotation is not implemented yet: `open` refuses before anything changes, so a MariaDB password is never rotated
//! in the env files alone (the image applies it only to an empty data directory). The planned `set` is the dual
//! window `ALTER USER u@h IDENTIFIED VIA mysql_native_password USING '*OLD' OR mysql_native_password USING '*NEW'`.

mod connection;

use futures_util::future::LocalBoxFuture;

use super::{AnyStore, Kind, KindInfo, OpenRequest, Probe, StoreAddress, StoreError, StoreSpec};
use crate::envfile::EnvDocument;
use crate::project::{Origin, Project, SecretDecl, Service};
use crate::secret::Secret;

/// The application account's password variables, then root's.
const APP_PASSWORDS: &[&str] = &["MARIADB_PASSWORD", "MYSQL_PASSWORD"];
const ROOT_PASSWORDS: &[&str] = &["MARIADB_ROOT_PASSWORD", "MYSQL_ROOT_PASSWORD"];
const USERS: &[&str] = &["MARIADB_USER", "MYSQL_USER"];

/// The MariaDB store kind.
pub struct MariaDb;

/// The key feeding `var` of `service`: itself, or the variable interpolated into it.
fn feeding(service: &Service, var: &str) -> Option<String> {
    let var = service.env(var)?;
    Some(match &var.origin {
        Origin::Interpolated { variables, .. } if !variables.is_empty() => variables[0].clone(),
        _ => var.key.clone(),
    })
}

/// MariaDB's names, images, port and user variables.
const INFO: KindInfo = KindInfo {
    name: "mariadb",
    families: &["mariadb"],
    schemes: &["mariadb"],
    default_port: 3306,
    user_keys: USERS,
    ..KindInfo::NONE
};

impl Kind for MariaDb {
    fn info(&self) -> &'static KindInfo {
        &INFO
    }

    /// The key feeding the application account's password when the image creates one, else root's.
    fn password_key<'v>(
        &self,
        service: &Service,
        _values: &mut dyn Iterator<Item = (&'v str, &'v str)>,
    ) -> Option<String> {
        let app = USERS.iter().any(|u| service.env(u).is_some());
        let vars = if app { APP_PASSWORDS } else { ROOT_PASSWORDS };
        vars.iter().find_map(|v| feeding(service, v))
    }

    fn spec(&self, project: &Project, _docs: &[EnvDocument], decl: &SecretDecl, service: Option<String>) -> StoreSpec {
        let store = service.as_deref().and_then(|s| project.service(s));
        let root = store.is_some_and(|s| ROOT_PASSWORDS.iter().any(|v| feeding(s, v).as_deref() == Some(&decl.key)));
        let user = decl.user.clone().or_else(|| {
            (!root).then(|| store.and_then(|s| USERS.iter().find_map(|u| s.env(u)?.value.clone()))).flatten()
        });
        StoreSpec {
            kind: INFO.name.to_string(),
            service,
            user: Some(user.unwrap_or_else(|| "root".into())),
            database: None,
        }
    }

    fn reads_password_at_start(&self) -> bool {
        false
    }

    fn summary(&self, spec: &StoreSpec) -> String {
        format!(
            "mariadb (service {}, account {}: rotation not supported yet, refused before anything changes)",
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
        Box::pin(connection::probe(address, spec.user.as_deref().unwrap_or("root"), secret))
    }

    fn open<'a>(&'a self, request: OpenRequest) -> LocalBoxFuture<'a, Result<AnyStore, StoreError>> {
        Box::pin(async move {
            Err(StoreError {
                store: format!("mariadb (service {})", request.spec.service().unwrap_or("mariadb")),
                action: "open",
                reason: "rotating MariaDB passwords is not supported yet; the image applies the env file's value \
                         only to an empty data directory, so change it in the database (ALTER USER) and then in \
                         the env file"
                    .to_string(),
            })
        })
    }
}
