//! MongoDB as a store kind: the root user the image creates from `MONGO_INITDB_ROOT_*` on an empty volume (or a
//! declared user), rotated with `updateUser`.

mod connection;
mod mongo_store;

pub use mongo_store::MongoStore;

use futures_util::future::LocalBoxFuture;

use super::{AnyStore, Kind, KindInfo, OpenRequest, Probe, StoreAddress, StoreError, StoreSpec};
use crate::envfile::EnvDocument;
use crate::project::{Origin, Project, SecretDecl, Service};
use crate::secret::Secret;
use connection::DEFAULT_AUTH_DB;

/// The variable the image reads the root password from (only when its data directory is empty).
const ROOT_PASSWORD: &str = "MONGO_INITDB_ROOT_PASSWORD";
/// The variable the image reads the root user name from.
const ROOT_USERNAME: &str = "MONGO_INITDB_ROOT_USERNAME";

/// The MongoDB store kind.
pub struct Mongo;

/// MongoDB's names, images, port and user variable.
const INFO: KindInfo = KindInfo {
    name: "mongo",
    aliases: &["mongodb"],
    families: &["mongo"],
    schemes: &["mongodb", "mongodb+srv"],
    default_port: 27017,
    user_keys: &[ROOT_USERNAME],
    default_database: Some(DEFAULT_AUTH_DB),
    ..KindInfo::NONE
};

impl Kind for Mongo {
    fn info(&self) -> &'static KindInfo {
        &INFO
    }

    /// The key feeding `MONGO_INITDB_ROOT_PASSWORD`: itself from an env file, or the variable interpolated into it.
    fn password_key<'v>(
        &self,
        service: &Service,
        _values: &mut dyn Iterator<Item = (&'v str, &'v str)>,
    ) -> Option<String> {
        let var = service.env(ROOT_PASSWORD)?;
        Some(match &var.origin {
            Origin::Interpolated { variables, .. } if !variables.is_empty() => variables[0].clone(),
            _ => var.key.clone(),
        })
    }

    fn login_keys(&self, _service: &Service, password_key: Option<String>) -> Vec<String> {
        // The key rotate would change, and the one the server reads (it may be interpolated from the former), so
        // every service holding either is probed.
        let mut keys: Vec<String> = password_key.into_iter().collect();
        if !keys.iter().any(|k| k == ROOT_PASSWORD) {
            keys.push(ROOT_PASSWORD.to_string());
        }
        keys
    }

    fn spec(&self, project: &Project, docs: &[EnvDocument], decl: &SecretDecl, service: Option<String>) -> StoreSpec {
        let user_key = decl.user_key.clone().unwrap_or_else(|| ROOT_USERNAME.to_string());
        let user = decl
            .user
            .clone()
            .or_else(|| docs.iter().rev().find_map(|d| d.get(&user_key).and_then(|e| e.value.clone())))
            .or_else(|| {
                service
                    .as_deref()
                    .and_then(|s| project.service(s))
                    .and_then(|s| s.env(&user_key))
                    .and_then(|v| v.value.clone())
            })
            .unwrap_or_else(|| "root".to_string());
        let database = decl.auth_db.clone().unwrap_or_else(|| DEFAULT_AUTH_DB.to_string());
        StoreSpec { kind: INFO.name.to_string(), service, user: Some(user), database: Some(database) }
    }

    fn reads_password_at_start(&self) -> bool {
        // MONGO_INITDB_* apply only to an empty volume: restarting the server changes nothing.
        false
    }

    fn summary(&self, spec: &StoreSpec) -> String {
        format!(
            "mongo (service {}, user {} in {}: updateUser)",
            spec.service().unwrap_or("?"),
            spec.user.as_deref().unwrap_or("?"),
            spec.database.as_deref().unwrap_or(DEFAULT_AUTH_DB)
        )
    }

    fn probe<'a>(
        &'a self,
        address: &'a StoreAddress,
        spec: &'a StoreSpec,
        secret: &'a Secret,
    ) -> LocalBoxFuture<'a, Probe> {
        Box::pin(async move {
            match spec.user.as_deref() {
                Some(user) => connection::probe(address, user, secret, spec.database.as_deref()).await,
                None => Probe::Unreachable(format!("no user name ({ROOT_USERNAME}) to log in with")),
            }
        })
    }

    fn open<'a>(&'a self, request: OpenRequest) -> LocalBoxFuture<'a, Result<AnyStore, StoreError>> {
        Box::pin(async move {
            let OpenRequest { spec, address, admin, locator, .. } = request;
            let service = spec.service().unwrap_or("mongo");
            let user = spec.user.as_deref().unwrap_or("root");
            let mut store = MongoStore::new(address, service, user, spec.database.as_deref()).with_locator(locator);
            if let Some(admin) = admin {
                store = store.with_admin(admin);
            }
            Ok(AnyStore::new(store))
        })
    }
}
