//! Which environment keys are credentials of a store the project runs, and which service is that store.
//!
//! Declared in the compose file's `x-secops.secrets[]` (`key`, `store: NAME`, `service`, `user_key`, `auth_db`),
//! else found the way `rotate NAME` finds them ([`StoreKind::password_key_in`]) plus the variables the store's
//! server reads itself ([`crate::stores::Kind::login_keys`]).

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
    /// Keys that may hold the user name, first found wins (none: the store's default user).
    pub user_keys: Vec<String>,
    /// The database the login authenticates against, when the store has one.
    pub auth_db: Option<String>,
}

impl StoreTarget {
    /// Every store credential of `project`: declarations first, then conventions for keys not declared.
    pub fn of(project: &Project) -> Vec<StoreTarget> {
        let mut targets: Vec<StoreTarget> = declared(project);
        for kind in StoreKind::external() {
            let Some(service) = kind.service_in(project) else { continue };
            let keys = kind.login_keys(service, kind.password_key_in(project));
            for key in keys.into_iter().filter(|k| !targets.iter().any(|t| &t.key == k)).collect::<Vec<_>>() {
                targets.push(StoreTarget {
                    kind,
                    store_service: service.name.clone(),
                    user_keys: kind.login_user_keys(&key).iter().map(|k| k.to_string()).collect(),
                    auth_db: kind.info().default_database.map(str::to_string),
                    key,
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
            let kind = StoreKind::parse(entry.store.as_deref()?).filter(|k| k.is_external())?;
            let key = entry.key;
            let store_service = entry
                .service
                .filter(|s| project.service(s).is_some())
                .or_else(|| kind.service_in(project).map(|s| s.name.clone()))?;
            let user_keys = match entry.user_key {
                Some(user_key) => vec![user_key],
                None => kind.info().user_keys.iter().map(|k| k.to_string()).collect(),
            };
            let auth_db = entry.auth_db.or_else(|| kind.info().default_database.map(str::to_string));
            Some(StoreTarget { kind, store_service, key, user_keys, auth_db })
        })
        .collect()
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
            env_documents: Default::default(),
        }
    }

    #[test]
    fn conventions_find_redis_and_mongo_by_image() {
        let p = project(vec![service("app", "secops-test/app:1"), service("cache", "secops-test/redis:7")], None);
        let targets = StoreTarget::of(&p);
        assert_eq!(targets.len(), 1);
        assert_eq!((targets[0].kind.name(), targets[0].store_service.as_str()), ("redis", "cache"));
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
        let redis = StoreKind::named("redis").expect("registered");
        assert_eq!(redis.password_key_in(&p).as_deref(), Some("CACHE_PW"));
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
