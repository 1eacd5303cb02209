//! Images that keep state (databases, brokers), where that state lives, and the port they serve on.

/// A family of stateful images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatefulImage {
    pub family: &'static str,
    /// Container paths holding the data (any one persisted is enough).
    pub data_paths: &'static [&'static str],
    pub port: u16,
    /// Credential variables the image applies only to an empty data directory (official and Bitnami names; each
    /// also has a `_FILE` form). Changing one later changes nothing in the database.
    pub init_credentials: &'static [&'static str],
}

const MYSQL_INIT: &[&str] = &["MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD", "MARIADB_ROOT_PASSWORD", "MARIADB_PASSWORD"];

const KNOWN: &[StatefulImage] = &[
    StatefulImage {
        family: "mongo",
        data_paths: &["/data/db", "/bitnami/mongodb"],
        port: 27017,
        init_credentials: &["MONGO_INITDB_ROOT_PASSWORD", "MONGODB_ROOT_PASSWORD", "MONGODB_PASSWORD"],
    },
    // Redis reads `requirepass` from its command or config at every start: nothing is init-only.
    StatefulImage { family: "redis", data_paths: &["/data", "/bitnami/redis/data"], port: 6379, init_credentials: &[] },
    StatefulImage {
        family: "valkey",
        data_paths: &["/data", "/bitnami/valkey/data"],
        port: 6379,
        init_credentials: &[],
    },
    StatefulImage {
        family: "postgres",
        data_paths: &["/var/lib/postgresql/data", "/var/lib/postgresql", "/bitnami/postgresql"],
        port: 5432,
        init_credentials: &["POSTGRES_PASSWORD", "POSTGRESQL_PASSWORD", "POSTGRESQL_POSTGRES_PASSWORD"],
    },
    StatefulImage {
        family: "mysql",
        data_paths: &["/var/lib/mysql", "/bitnami/mysql/data"],
        port: 3306,
        init_credentials: MYSQL_INIT,
    },
    StatefulImage {
        family: "mariadb",
        data_paths: &["/var/lib/mysql", "/bitnami/mariadb"],
        port: 3306,
        init_credentials: MYSQL_INIT,
    },
    StatefulImage {
        family: "elasticsearch",
        data_paths: &["/usr/share/elasticsearch/data"],
        port: 9200,
        init_credentials: &["ELASTIC_PASSWORD"],
    },
    StatefulImage {
        family: "rabbitmq",
        data_paths: &["/var/lib/rabbitmq"],
        port: 5672,
        init_credentials: &["RABBITMQ_DEFAULT_PASS", "RABBITMQ_PASSWORD"],
    },
    StatefulImage {
        family: "clickhouse",
        data_paths: &["/var/lib/clickhouse"],
        port: 8123,
        init_credentials: &["CLICKHOUSE_PASSWORD"],
    },
];

impl StatefulImage {
    /// The family of `image` (`mongo:7`, `bitnami/redis`, `docker.io/library/postgres:16`, `percona/percona-server-mongodb`),
    /// judged by the last path segment of the repository.
    pub fn of(image: &str) -> Option<StatefulImage> {
        let repo = image.split('@').next().unwrap_or(image);
        let name = repo.rsplit('/').next().unwrap_or(repo);
        let name = name.split(':').next().unwrap_or(name).to_ascii_lowercase();
        // The last `-` word decides: `percona-server-mongodb` is a MongoDB, `redis-commander` is not a Redis.
        let last = name.rsplit('-').next().unwrap_or(&name);
        // `mongodb` and `postgresql` (Bitnami's names) are the `mongo` and `postgres` families.
        KNOWN.iter().copied().find(|k| {
            last == k.family || last.strip_suffix("db") == Some(k.family) || last.strip_suffix("ql") == Some(k.family)
        })
    }

    /// True when `key` is one of the image's init-only credential variables (or its `_FILE` form).
    pub fn init_only(&self, key: &str) -> bool {
        let base = key.strip_suffix("_FILE").unwrap_or(key);
        self.init_credentials.contains(&base)
    }

    /// True when a mount at `target` persists this image's data (the data path itself or a parent of it).
    pub fn persists(&self, target: &str) -> bool {
        let target = target.trim_end_matches('/');
        self.data_paths.iter().any(|p| *p == target || p.starts_with(&format!("{target}/")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_official_bitnami_and_percona_images() {
        assert_eq!(StatefulImage::of("mongo:7").map(|i| i.family), Some("mongo"));
        assert_eq!(StatefulImage::of("bitnami/redis:7.2").map(|i| i.family), Some("redis"));
        assert_eq!(StatefulImage::of("percona/percona-server-mongodb:7").map(|i| i.family), Some("mongo"));
        assert_eq!(StatefulImage::of("docker.io/library/postgres:16@sha256:abc").map(|i| i.family), Some("postgres"));
        assert_eq!(StatefulImage::of("secops-test/redis:7").map(|i| i.family), Some("redis"));
        assert_eq!(StatefulImage::of("nginx:1"), None);
        assert_eq!(StatefulImage::of("redis-commander"), None);
    }

    #[test]
    fn a_parent_mount_persists() {
        let mongo = StatefulImage::of("mongo").expect("mongo");
        assert!(mongo.persists("/data/db"));
        assert!(mongo.persists("/data/"));
        assert!(!mongo.persists("/data/configdb"));
    }
}
