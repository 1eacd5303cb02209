//! Which environment keys are credentials of a store the project runs, and which service is that store.
//!
//! Declared in the compose file's `x-secops.secrets[]` (`key`, `store: redis|mongo`, `service`, `user_key`,
//! `auth_db`), else found the way `rotate redis|mongo` finds them ([`crate::rotation::store_key`]): the variable
//! in the Redis service's `requirepass` (else `REDIS_PASSWORD`), and the key feeding `MONGO_INITDB_ROOT_PASSWORD`
//! (with `MONGO_INITDB_ROOT_USERNAME`, auth db `admin`) for a MongoDB.

use crate::project::{Project, SecretDecl};
use crate::stores::StoreKind;

/// A key whose value logs in to a store service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreTarget {
    pub kind: StoreKind,
    /// The compose service that runs the store.
    pub store_service: String,
    /// The key holding the password.
    pub key: String,
    /// Keys that may hold the user name, first found wins (none: Redis's default user).
    pub user_keys: Vec<String>,
    /// The auth database (MongoDB).
    pub auth_db: Option<String>,
}

impl StoreTarget {
    /// Every store credential of `project`: declarations first, then conventions for keys not declared.
    pub fn of(project: &Project) -> Vec<StoreTarget> {
        let mut targets: Vec<StoreTarget> = declared(project);
        for (kind, user_keys, auth_db) in [
            (StoreKind::Redis, ["REDIS_USER", "REDIS_USERNAME"].as_slice(), None),
            (StoreKind::Mongo, ["MONGO_INITDB_ROOT_USERNAME"].as_slice(), Some("admin")),
        ] {
            let Some(store_service) = store_service(project, kind) else { continue };
            // The key rotate would change, and for MongoDB also the one the server reads (it may be interpolated
            // from the former), so every service holding either is probed.
            let mut keys: Vec<String> = crate::rotation::store_key(project, kind).into_iter().collect();
            if kind == StoreKind::Mongo && !keys.iter().any(|k| k == "MONGO_INITDB_ROOT_PASSWORD") {
                keys.push("MONGO_INITDB_ROOT_PASSWORD".to_string());
            }
            for key in keys.into_iter().filter(|k| !targets.iter().any(|t| &t.key == k)).collect::<Vec<_>>() {
                targets.push(StoreTarget {
                    kind,
                    store_service: store_service.clone(),
                    key,
                    user_keys: user_keys.iter().map(|k| k.to_string()).collect(),
                    auth_db: auth_db.map(str::to_string),
                });
            }
        }
        targets
    }
}

/// The `x-secops.secrets[]` entries with a known `store:`.
fn declared(project: &Project) -> Vec<StoreTarget> {
    SecretDecl::all(project)
        .into_iter()
        .filter_map(|entry| {
            let kind = StoreKind::parse(entry.store.as_deref()?)?;
            let key = entry.key;
            let store_service =
                entry.service.filter(|s| project.service(s).is_some()).or_else(|| store_service(project, kind))?;
            let user_keys = match (entry.user_key, kind) {
                (Some(user_key), _) => vec![user_key],
                (None, StoreKind::Redis) => vec!["REDIS_USER".to_string(), "REDIS_USERNAME".to_string()],
                (None, StoreKind::Mongo) => vec!["MONGO_INITDB_ROOT_USERNAME".to_string()],
            };
            let auth_db = entry.auth_db.or_else(|| (kind == StoreKind::Mongo).then(|| "admin".to_string()));
            Some(StoreTarget { kind, store_service, key, user_keys, auth_db })
        })
        .collect()
}

/// The first service (by name) whose image is a `kind` server.
fn store_service(project: &Project, kind: StoreKind) -> Option<String> {
    project
        .services
        .iter()
        .find(|s| s.image.as_deref().and_then(StoreKind::from_image) == Some(kind))
        .map(|s| s.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Service;

    fn service(name: &str, image: &str) -> Service {
        Service { image: Some(image.into()), ..Service::for_test(name, &[]) }
    }

    fn project(services: Vec<Service>, x_secops: Option<serde_json::Value>) -> Project {
        Project {
            name: "p".into(),
            directory: "/p".into(),
            compose_files: vec![],
            interpolation_files: vec![],
            services,
            secrets: vec![],
            x_secops,
            undefined_variables: vec![],
            profiles: vec![],
            variable_sources: Default::default(),
        }
    }

    #[test]
    fn conventions_find_redis_and_mongo_by_image() {
        let p = project(vec![service("app", "secops-test/app:1"), service("cache", "secops-test/redis:7")], None);
        let targets = StoreTarget::of(&p);
        assert_eq!(targets.len(), 1);
        assert_eq!((targets[0].kind, targets[0].store_service.as_str()), (StoreKind::Redis, "cache"));
        assert_eq!(targets[0].key, "REDIS_PASSWORD");
    }

    #[test]
    fn the_redis_key_is_the_one_rotate_would_change_the_variable_in_requirepass() {
        let mut redis = service("cache", "secops-test/redis:7");
        redis.command =
            Some(vec!["sh".into(), "-c".into(), "exec redis-server - <<EOF\nrequirepass \"$CACHE_PW\"\nEOF\n".into()]);
        let p = project(vec![service("app", "secops-test/app:1"), redis], None);
        let targets = StoreTarget::of(&p);
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[0].key, "CACHE_PW");
        assert_eq!(crate::rotation::store_key(&p, StoreKind::Redis).as_deref(), Some("CACHE_PW"));
    }

    #[test]
    fn declarations_win_and_name_their_service() {
        let x = serde_json::json!({"secrets": [
            {"key": "CACHE_PW", "store": "redis", "service": "kv"},
            {"key": "DB_ROOT_PW", "store": "mongo", "service": "db", "user_key": "DB_ROOT_USER", "auth_db": "ops"},
            {"key": "JWT_SECRET_KEY", "kind": "jwt"}
        ]});
        let p = project(vec![service("kv", "valkey/valkey:8"), service("db", "mongo:7")], Some(x));
        let targets = StoreTarget::of(&p);
        let keys: Vec<&str> = targets.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["CACHE_PW", "DB_ROOT_PW", "REDIS_PASSWORD", "MONGO_INITDB_ROOT_PASSWORD"]);
        assert_eq!(targets[1].user_keys, ["DB_ROOT_USER"]);
        assert_eq!(targets[1].auth_db.as_deref(), Some("ops"));
    }
}
