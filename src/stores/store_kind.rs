//! The registry of credential store kinds, and the handle the rest of the program holds one by.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use super::{AddressError, Kind};
use crate::project::{Project, Service, StatefulImage};

/// Every store kind, in the order `rotate --all` and `status` consider them. Adding a store adds one line here.
const REGISTRY: &[&dyn Kind] = &[
    &super::redis::Redis,
    &super::mongo::Mongo,
    &super::postgres::Postgres,
    &super::mariadb::MariaDb,
    &super::mysql::MySql,
    &super::env::EnvFiles,
];

/// A kind of credential store: a handle on its [`Kind`] implementation, compared by name.
#[derive(Clone, Copy)]
pub struct StoreKind(&'static dyn Kind);

impl StoreKind {
    /// The kind's name (see [`super::KindInfo::name`]).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// False for the env-files-only store (see [`super::KindInfo::external`]).
    pub fn is_external(self) -> bool {
        self.info().external
    }

    /// Every registered kind.
    pub fn all() -> impl Iterator<Item = StoreKind> {
        REGISTRY.iter().map(|k| StoreKind(*k))
    }

    /// The kinds outside the env files (the ones `rotate NAME` and `status` can reach).
    pub fn external() -> impl Iterator<Item = StoreKind> {
        Self::all().filter(|k| k.is_external())
    }

    /// The env-files-only store.
    pub fn env() -> StoreKind {
        StoreKind(&super::env::EnvFiles)
    }

    /// The kind called `name` or one of its aliases, ignoring case (`x-secops` `store:` values).
    pub fn parse(name: &str) -> Option<StoreKind> {
        let name = name.to_ascii_lowercase();
        Self::all().find(|k| k.name() == name || k.info().aliases.contains(&name.as_str()))
    }

    /// The kind whose name is exactly `word` (`rotate redis`); other words are env keys.
    pub fn named(word: &str) -> Option<StoreKind> {
        Self::external().find(|k| k.name() == word || k.info().aliases.contains(&word))
    }

    /// The kind serving `image` (`redis:7`, `bitnami/mongodb:6`, `secops-test/redis:7`).
    pub fn from_image(image: &str) -> Option<StoreKind> {
        // One notion of "which image is which database" for check, status and rotate.
        let family = StatefulImage::of(image)?.family;
        Self::external().find(|k| k.info().families.contains(&family))
    }

    /// The kind whose scheme starts `uri` (`--store-uri`), else an error listing the schemes known.
    pub fn from_uri(uri: &str) -> Result<StoreKind, AddressError> {
        let scheme = uri.split_once("://").map(|(scheme, _)| scheme.to_ascii_lowercase());
        scheme.and_then(|s| Self::external().find(|k| k.info().schemes.contains(&s.as_str()))).ok_or_else(|| {
            AddressError::UnknownScheme {
                uri: super::store_address::without_userinfo(uri),
                schemes: Self::external().flat_map(|k| k.info().schemes.iter().copied()).collect::<Vec<_>>().join(", "),
            }
        })
    }

    /// The first service (in project order) whose image is a server of this kind.
    pub fn service_in(self, project: &Project) -> Option<&Service> {
        project.services.iter().find(|s| s.image.as_deref().and_then(StoreKind::from_image) == Some(self))
    }

    /// The key holding the password of the project's store service of this kind (the rule `rotate NAME` uses),
    /// with the services' environments standing in for the env files. `None` when the project runs no such store.
    pub fn password_key_in(self, project: &Project) -> Option<String> {
        let service = self.service_in(project)?;
        let mut values = project
            .services
            .iter()
            .flat_map(|s| &s.environment)
            .filter_map(|v| Some((v.key.as_str(), v.value.as_deref()?)));
        self.password_key(service, &mut values)
    }
}

impl Deref for StoreKind {
    type Target = dyn Kind;

    fn deref(&self) -> &Self::Target {
        self.0
    }
}

impl PartialEq for StoreKind {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for StoreKind {}

impl Hash for StoreKind {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name().hash(state);
    }
}

impl PartialOrd for StoreKind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for StoreKind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl fmt::Debug for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(kind: Option<StoreKind>) -> Option<&'static str> {
        kind.map(|k| k.name())
    }

    #[test]
    fn kind_from_image_looks_at_the_repository_name_only() {
        assert_eq!(name(StoreKind::from_image("redis:7")), Some("redis"));
        assert_eq!(name(StoreKind::from_image("secops-test/redis:7")), Some("redis"));
        assert_eq!(name(StoreKind::from_image("bitnami/mongodb:6.0")), Some("mongo"));
        assert_eq!(name(StoreKind::from_image("mongo@sha256:abc")), Some("mongo"));
        // A registry host or an org called "redis" does not make an image a Redis server.
        assert_eq!(name(StoreKind::from_image("redis.example.com:5000/api:1")), None);
        // A Redis GUI is not a Redis server.
        assert_eq!(name(StoreKind::from_image("rediscommander/redis-commander")), None);
        assert_eq!(name(StoreKind::from_image("valkey/valkey:8")), Some("redis"));
        assert_eq!(name(StoreKind::parse("MongoDB")), Some("mongo"));
        assert_eq!(name(StoreKind::from_image("mysql:8.0")), Some("mysql"));
        assert_eq!(name(StoreKind::from_image("mariadb:10.11")), Some("mariadb"));
        assert_eq!(name(StoreKind::from_uri("mysql://root@db:3306").ok()), Some("mysql"));
        assert_eq!(name(StoreKind::parse("vault")), None);
    }

    #[test]
    fn the_uri_scheme_picks_the_store() {
        assert_eq!(name(StoreKind::from_uri("rediss://h:6380").ok()), Some("redis"));
        assert_eq!(name(StoreKind::from_uri("mongodb+srv://cluster.example").ok()), Some("mongo"));
        let err = StoreKind::from_uri("http://u:hunter2@h").expect_err("unknown scheme");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert!(err.to_string().contains("redis, rediss"), "{err}");
    }

    #[test]
    fn rotate_words_are_exact_store_names_and_never_the_env_store() {
        assert_eq!(name(StoreKind::named("redis")), Some("redis"));
        assert_eq!(name(StoreKind::named("REDIS")), None);
        assert_eq!(name(StoreKind::named("env")), None);
        assert!(StoreKind::all().all(|k| !k.name().is_empty()));
    }
}
