//! The kinds of credential store docker-secops knows.

use std::fmt;

/// A database whose credential also lives in an env file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StoreKind {
    Redis,
    Mongo,
}

impl StoreKind {
    /// The port the server listens on inside its container.
    pub fn default_port(self) -> u16 {
        match self {
            StoreKind::Redis => 6379,
            StoreKind::Mongo => 27017,
        }
    }

    /// The flag that gives its address by hand.
    pub fn uri_flag(self) -> &'static str {
        match self {
            StoreKind::Redis => "--redis-uri",
            StoreKind::Mongo => "--mongo-uri",
        }
    }

    /// The name used in `x-secops` (`store: redis`) and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Redis => "redis",
            StoreKind::Mongo => "mongo",
        }
    }

    /// Parses an `x-secops` `store:` value.
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "redis" | "valkey" => Some(StoreKind::Redis),
            "mongo" | "mongodb" => Some(StoreKind::Mongo),
            _ => None,
        }
    }

    /// Guesses the kind from an image reference (`redis:7`, `bitnami/mongodb:6`, `secops-test/redis:7`).
    pub fn from_image(image: &str) -> Option<Self> {
        // One notion of "which image is which database" for check, status and rotate.
        match crate::checks::StatefulImage::of(image)?.family {
            "redis" | "valkey" => Some(StoreKind::Redis),
            "mongo" => Some(StoreKind::Mongo),
            _ => None,
        }
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_from_image_looks_at_the_repository_name_only() {
        assert_eq!(StoreKind::from_image("redis:7"), Some(StoreKind::Redis));
        assert_eq!(StoreKind::from_image("secops-test/redis:7"), Some(StoreKind::Redis));
        assert_eq!(StoreKind::from_image("bitnami/mongodb:6.0"), Some(StoreKind::Mongo));
        assert_eq!(StoreKind::from_image("mongo@sha256:abc"), Some(StoreKind::Mongo));
        // A registry host or an org called "redis" does not make an image a Redis server.
        assert_eq!(StoreKind::from_image("redis.example.com:5000/api:1"), None);
        // A Redis GUI is not a Redis server.
        assert_eq!(StoreKind::from_image("rediscommander/redis-commander"), None);
        assert_eq!(StoreKind::from_image("valkey/valkey:8"), Some(StoreKind::Redis));
        assert_eq!(StoreKind::parse("MongoDB"), Some(StoreKind::Mongo));
        assert_eq!(StoreKind::parse("postgres"), None);
    }
}
