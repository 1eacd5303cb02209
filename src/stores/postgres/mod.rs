//! PostgreSQL as a store kind: the role the official image creates from `POSTGRES_USER`/`POSTGRES_PASSWORD` on an
//! empty data directory (or a declared role), rotated with `ALTER ROLE ... PASSWORD '<SCRAM verifier>'`.

mod connection;
mod postgres_store;
mod tls_mode;
mod via_exec;

pub use postgres_store::PostgresStore;
pub use via_exec::ViaExec;

use futures_util::future::LocalBoxFuture;

use super::{AnyStore, Kind, KindInfo, OpenRequest, Probe, StoreAddress, StoreError, StoreSpec};
use crate::envfile::EnvDocument;
use crate::project::{Origin, Project, SecretDecl, Service};
use crate::secret::Secret;
use connection::DEFAULT_USER;

/// The variable the image reads the password from (only when its data directory is empty).
const PASSWORD: &str = "POSTGRES_PASSWORD";
/// The role the image creates.
const USER: &str = "POSTGRES_USER";
/// The database the image creates (defaults to the role's name).
const DATABASE: &str = "POSTGRES_DB";

/// The PostgreSQL store kind.
pub struct Postgres;

/// PostgreSQL's names, images, port and user variables.
const INFO: KindInfo = KindInfo {
    name: "postgres",
    aliases: &["postgresql"],
    families: &["postgres"],
    schemes: &["postgresql", "postgres"],
    default_port: 5432,
    user_keys: &[USER, "POSTGRESQL_USERNAME"],
    ..KindInfo::NONE
};

impl Kind for Postgres {
    fn info(&self) -> &'static KindInfo {
        &INFO
    }

    /// The key feeding `POSTGRES_PASSWORD`: itself from an env file, or the variable interpolated into it.
    fn password_key<'v>(
        &self,
        service: &Service,
        _values: &mut dyn Iterator<Item = (&'v str, &'v str)>,
    ) -> Option<String> {
        let var = service.env(PASSWORD).or_else(|| service.env("POSTGRESQL_PASSWORD"))?;
        Some(match &var.origin {
            Origin::Interpolated { variables, .. } if !variables.is_empty() => variables[0].clone(),
            _ => var.key.clone(),
        })
    }

    fn login_keys(&self, _service: &Service, password_key: Option<String>) -> Vec<String> {
        let mut keys: Vec<String> = password_key.into_iter().collect();
        if !keys.iter().any(|k| k == PASSWORD) {
            keys.push(PASSWORD.to_string());
        }
        keys
    }

    fn spec(&self, project: &Project, docs: &[EnvDocument], decl: &SecretDecl, service: Option<String>) -> StoreSpec {
        let store = service.as_deref().and_then(|s| project.service(s));
        let lookup = |key: &str| {
            docs.iter()
                .rev()
                .find_map(|d| d.get(key).and_then(|e| e.value.clone()))
                .or_else(|| store.and_then(|s| s.env(key)).and_then(|v| v.value.clone()))
                .filter(|v| !v.is_empty())
        };
        let user_key = decl.user_key.clone().unwrap_or_else(|| USER.to_string());
        let user = decl.user.clone().or_else(|| lookup(&user_key)).unwrap_or_else(|| DEFAULT_USER.to_string());
        let database = decl.auth_db.clone().or_else(|| lookup(DATABASE)).unwrap_or_else(|| user.clone());
        StoreSpec { kind: INFO.name.to_string(), service, user: Some(user), database: Some(database) }
    }

    fn reads_password_at_start(&self) -> bool {
        // POSTGRES_PASSWORD applies only to an empty data directory (Bitnami's POSTGRESQL_PASSWORD likewise).
        false
    }

    fn summary(&self, spec: &StoreSpec) -> String {
        format!(
            "postgres (service {}, role {} in {}: ALTER ROLE with a SCRAM verifier; no second password: new logins \
             with the old one are refused from `set` until each consumer is recreated, which follows at once; open \
             sessions stay)",
            spec.service().unwrap_or("?"),
            spec.user.as_deref().unwrap_or(DEFAULT_USER),
            spec.database.as_deref().unwrap_or(DEFAULT_USER)
        )
    }

    fn probe<'a>(
        &'a self,
        address: &'a StoreAddress,
        spec: &'a StoreSpec,
        secret: &'a Secret,
    ) -> LocalBoxFuture<'a, Probe> {
        let user = spec.user.as_deref().unwrap_or(DEFAULT_USER);
        let database = spec.database.as_deref().unwrap_or(user);
        Box::pin(connection::probe(address, user, secret, database))
    }

    fn open<'a>(&'a self, request: OpenRequest) -> LocalBoxFuture<'a, Result<AnyStore, StoreError>> {
        Box::pin(async move {
            let OpenRequest { spec, address, admin, via_exec, locator, .. } = request;
            let user = spec.user.as_deref().unwrap_or(DEFAULT_USER);
            let database = spec.database.as_deref().unwrap_or(user);
            let mut store =
                PostgresStore::new(address, spec.service().unwrap_or("postgres"), user, database).with_locator(locator);
            if let Some(admin) = admin {
                store = store.with_admin(admin);
            }
            if let Some(exec) = via_exec {
                // Bitnami's image asks for a password on its local socket too (md5 in pg_hba.conf): psql in the
                // container would be refused exactly like the network login.
                if exec.image.contains("bitnami/") {
                    return Err(StoreError {
                        store: format!("postgres (service {})", spec.service().unwrap_or("postgres")),
                        action: "open",
                        reason: format!(
                            "--via-exec needs an image that trusts local connections; {} asks for a password",
                            exec.image
                        ),
                    });
                }
                store = store.with_via_exec(ViaExec {
                    docker: exec.docker,
                    global_args: exec.global_args,
                    container: exec.container,
                    user: user.to_string(),
                    database: database.to_string(),
                });
            }
            Ok(AnyStore::new(store))
        })
    }
}
