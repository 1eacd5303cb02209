//! MariaDB as a store kind: the account the image creates from `MARIADB_USER`/`MARIADB_PASSWORD` (or root from
//! `MARIADB_ROOT_PASSWORD`; `MYSQL_*` twins too), rotated with a dual window of two `mysql_native_password`
//! rules (`ALTER USER u@h IDENTIFIED VIA mysql_native_password USING '*OLD' OR ... USING '*NEW'`).

mod auth_rule;
pub(super) mod connection;
mod mariadb_store;
mod sql_account;

pub(super) use connection::describe;
pub use mariadb_store::MariaDbStore;
pub(super) use sql_account::{SqlAccount, literal};

use futures_util::future::LocalBoxFuture;

use super::{AnyStore, Kind, KindInfo, OpenRequest, Probe, StoreAddress, StoreError, StoreSpec};
use crate::envfile::EnvDocument;
use crate::project::{Origin, Project, SecretDecl, Service};
use crate::secret::Secret;

/// The application account's password variables, then root's.
const APP_PASSWORDS: &[&str] = &["MARIADB_PASSWORD", "MYSQL_PASSWORD"];
const ROOT_PASSWORDS: &[&str] = &["MARIADB_ROOT_PASSWORD", "MYSQL_ROOT_PASSWORD"];
const USERS: &[&str] = &["MARIADB_USER", "MYSQL_USER"];
const DATABASES: &[&str] = &["MARIADB_DATABASE", "MYSQL_DATABASE"];

/// The MariaDB store kind.
pub struct MariaDb;

/// The key feeding `var` of `service`: itself, the variable interpolated into it, or for its `_FILE` form pointing at
/// a compose secret (`MARIADB_ROOT_PASSWORD_FILE: /run/secrets/root_pw`) that secret's key.
fn feeding(service: &Service, var: &str) -> Option<String> {
    if let Some(mount) = service.env(&format!("{var}_FILE")).and_then(|v| service.file_var_secret(v)) {
        return Some(mount.source.clone());
    }
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

    fn login_keys(&self, service: &Service, password_key: Option<String>) -> Vec<String> {
        // The application account's key and root's: both log in, and a rotation of either leaves the server's
        // own (init-only) variable stale, which only a login tells apart from a real drift.
        let mut keys: Vec<String> = password_key.into_iter().collect();
        keys.extend(ROOT_PASSWORDS.iter().find_map(|v| feeding(service, v)).filter(|k| !keys.contains(k)));
        keys
    }

    fn login_user_keys(&self, key: &str) -> &'static [&'static str] {
        match ROOT_PASSWORDS.contains(&key) {
            true => &[],
            false => USERS,
        }
    }

    fn spec(&self, project: &Project, _docs: &[EnvDocument], decl: &SecretDecl, service: Option<String>) -> StoreSpec {
        let store = service.as_deref().and_then(|s| project.service(s));
        let root = store.is_some_and(|s| ROOT_PASSWORDS.iter().any(|v| feeding(s, v).as_deref() == Some(&decl.key)));
        let user = decl.user.clone().or_else(|| {
            (!root).then(|| store.and_then(|s| USERS.iter().find_map(|u| s.env(u)?.value.clone()))).flatten()
        });
        let database =
            decl.auth_db.clone().or_else(|| store.and_then(|s| DATABASES.iter().find_map(|d| s.env(d)?.value.clone())));
        StoreSpec {
            kind: INFO.name.to_string(),
            service,
            user: Some(user.unwrap_or_else(|| "root".into())),
            database: database.filter(|d| !d.is_empty()),
        }
    }

    fn reads_password_at_start(&self) -> bool {
        false
    }

    fn summary(&self, spec: &StoreSpec) -> String {
        format!(
            "mariadb (service {}, account {}, every host: ALTER USER with both passwords' hashes, a dual window; \
             the old hash is dropped once the consumers run the new value; other authentication rules are kept)",
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
        Box::pin(async move { Ok(AnyStore::new(MariaDbStore::new(SqlAccount::of(INFO.name, request)))) })
    }
}
