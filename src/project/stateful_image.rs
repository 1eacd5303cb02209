//! Images that keep state (databases, brokers), where that state lives, and the port they serve on.

use crate::project::{Service, VolumeKind};

/// A family of stateful images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatefulImage {
    pub family: &'static str,
    /// Container paths holding the data (any one persisted is enough).
    pub data_paths: &'static [&'static str],
    pub port: u16,
    /// A directory whose every subdirectory belongs to the image's data (`/var/lib/postgresql`: `postgres:18` keeps
    /// its cluster in `/var/lib/postgresql/18/docker`), so a mount anywhere below it is the data's.
    pub data_root: Option<&'static str>,
    /// The environment variable that moves the data (`PGDATA`), when the image has one.
    pub data_env: Option<&'static str>,
    /// The server flag that moves the data (`--dbpath`, `--dir`, `--datadir`), when the image has one.
    pub data_flag: Option<&'static str>,
    /// Credential variables the image applies only to an empty data directory (official and Bitnami names; each
    /// also has a `_FILE` form). Changing one later changes nothing in the database.
    pub init_credentials: &'static [&'static str],
}

const fn image(family: &'static str, data_paths: &'static [&'static str], port: u16) -> StatefulImage {
    StatefulImage { family, data_paths, port, data_root: None, data_env: None, data_flag: None, init_credentials: &[] }
}

const MYSQL_INIT: &[&str] = &["MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD", "MARIADB_ROOT_PASSWORD", "MARIADB_PASSWORD"];

const KNOWN: &[StatefulImage] = &[
    StatefulImage {
        data_flag: Some("--dbpath"),
        init_credentials: &["MONGO_INITDB_ROOT_PASSWORD", "MONGODB_ROOT_PASSWORD", "MONGODB_PASSWORD"],
        ..image("mongo", &["/data/db", "/bitnami/mongodb"], 27017)
    },
    // Redis reads `requirepass` from its command or config at every start: nothing is init-only.
    StatefulImage { data_flag: Some("--dir"), ..image("redis", &["/data", "/bitnami/redis/data"], 6379) },
    StatefulImage { data_flag: Some("--dir"), ..image("valkey", &["/data", "/bitnami/valkey/data"], 6379) },
    StatefulImage {
        data_root: Some("/var/lib/postgresql"),
        data_env: Some("PGDATA"),
        init_credentials: &["POSTGRES_PASSWORD", "POSTGRESQL_PASSWORD", "POSTGRESQL_POSTGRES_PASSWORD"],
        ..image("postgres", &["/var/lib/postgresql/data", "/var/lib/postgresql", "/bitnami/postgresql"], 5432)
    },
    StatefulImage {
        data_flag: Some("--datadir"),
        init_credentials: MYSQL_INIT,
        ..image("mysql", &["/var/lib/mysql", "/bitnami/mysql/data"], 3306)
    },
    StatefulImage {
        data_flag: Some("--datadir"),
        init_credentials: MYSQL_INIT,
        ..image("mariadb", &["/var/lib/mysql", "/bitnami/mariadb"], 3306)
    },
    StatefulImage {
        init_credentials: &["ELASTIC_PASSWORD"],
        ..image("elasticsearch", &["/usr/share/elasticsearch/data", "/bitnami/elasticsearch/data"], 9200)
    },
    StatefulImage {
        init_credentials: &["OPENSEARCH_INITIAL_ADMIN_PASSWORD"],
        ..image("opensearch", &["/usr/share/opensearch/data"], 9200)
    },
    StatefulImage {
        init_credentials: &["RABBITMQ_DEFAULT_PASS", "RABBITMQ_PASSWORD"],
        ..image("rabbitmq", &["/var/lib/rabbitmq", "/bitnami/rabbitmq/mnesia"], 5672)
    },
    StatefulImage { init_credentials: &["CLICKHOUSE_PASSWORD"], ..image("clickhouse", &["/var/lib/clickhouse"], 8123) },
    // MinIO reads its root credentials from the environment at every start: nothing is init-only.
    image("minio", &["/data", "/bitnami/minio/data"], 9000),
];

/// Other names of a family's images (`bitnami/postgresql`, `mongodb/mongodb-community-server`).
const ALIASES: &[(&str, &str)] = &[("postgresql", "postgres"), ("pgvector", "postgres"), ("mongodb", "mongo")];

/// Trailing words of an image name that say nothing of what it is: `mongodb-community-server` is a MongoDB.
const GENERIC_WORDS: &[&str] = &["server", "community", "enterprise", "official", "oss", "ce", "ee", "alpine"];

impl StatefulImage {
    /// The family of `image` (`mongo:7`, `bitnami/redis`, `docker.io/library/postgres:16`, `percona/percona-server-mongodb`),
    /// judged by the last path segment of the repository.
    pub fn of(image: &str) -> Option<StatefulImage> {
        let repo = image.split('@').next().unwrap_or(image);
        let name = repo.rsplit('/').next().unwrap_or(repo);
        let name = name.split(':').next().unwrap_or(name).to_ascii_lowercase();
        // The last `-` word decides (generic words skipped): `percona-server-mongodb` and
        // `mongodb-community-server` are MongoDBs, `redis-commander` is not a Redis.
        let last = name.rsplit('-').find(|w| !GENERIC_WORDS.contains(w)).unwrap_or(&name);
        let last = ALIASES.iter().find(|(alias, _)| *alias == last).map_or(last, |(_, family)| family);
        KNOWN.iter().copied().find(|k| last == k.family || last.strip_suffix("db") == Some(k.family))
    }

    /// The family of what `service` runs: its image, else the image its Dockerfile builds `FROM` (a rebuild of
    /// `minio/minio`), else, for a build context named after a family (`build: ./elasticsearch`), that family when
    /// the service publishes the family's port.
    pub fn of_service(service: &Service) -> Option<StatefulImage> {
        if let Some(found) = service.image.as_deref().and_then(StatefulImage::of) {
            return Some(found);
        }
        let dockerfile = service.dockerfile.as_deref()?;
        if let Some(found) = base_image(dockerfile).as_deref().and_then(StatefulImage::of) {
            return Some(found);
        }
        let context = dockerfile.parent()?.file_name()?.to_str()?;
        StatefulImage::of(context).filter(|k| service.ports.iter().any(|p| p.target == k.port))
    }

    /// Where `service` keeps this image's data when it moves it: `PGDATA`, or a `--dbpath`/`--dir`/`--datadir`
    /// flag of its command (`--dir /srv` or `--dir=/srv`).
    pub fn moved_data_path(&self, service: &Service) -> Option<String> {
        if let Some(value) = self.data_env.and_then(|k| service.env(k)).and_then(|v| v.value.as_deref())
            && value.starts_with('/')
        {
            return Some(value.to_string());
        }
        let flag = self.data_flag?;
        let words = service.command.as_deref().unwrap_or_default();
        words.iter().enumerate().find_map(|(i, w)| {
            if w == flag {
                words.get(i + 1).cloned()
            } else {
                w.strip_prefix(flag).and_then(|rest| rest.strip_prefix('=')).map(str::to_string)
            }
        })
    }

    /// True when one of `service`'s named volumes or bind mounts holds this image's data: on the data path it
    /// moved the data to, else on one of the image's data paths, a parent of one, or anywhere below its data root.
    pub fn is_persisted(&self, service: &Service) -> bool {
        let moved = self.moved_data_path(service);
        service.volumes.iter().filter(|v| matches!(v.kind, VolumeKind::Named | VolumeKind::Bind)).any(
            |v| match &moved {
                Some(path) => {
                    let target = v.target.trim_end_matches('/');
                    let path = path.trim_end_matches('/');
                    path == target || path.starts_with(&format!("{target}/"))
                }
                None => self.persists(&v.target),
            },
        )
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
            || self.data_root.is_some_and(|root| target.starts_with(&format!("{root}/")))
    }
}

/// The image the final stage of `dockerfile` starts `FROM` (an earlier stage's own base when it names one).
fn base_image(dockerfile: &std::path::Path) -> Option<String> {
    let text = crate::envfile::read_bounded_to_string(dockerfile).ok()?;
    let mut stages: Vec<(String, Option<String>)> = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if !words.first().is_some_and(|w| w.eq_ignore_ascii_case("FROM")) {
            continue;
        }
        let args: Vec<&str> = words[1..].iter().copied().filter(|w| !w.starts_with("--")).collect();
        let Some(image) = args.first() else { continue };
        let alias = match args.get(1) {
            Some(w) if w.eq_ignore_ascii_case("AS") => args.get(2).map(|a| a.to_ascii_lowercase()),
            _ => None,
        };
        stages.push((image.to_string(), alias));
    }
    let mut image = stages.last()?.0.clone();
    // `FROM base AS x` ... `FROM x`: follow the stages back to an image.
    for _ in 0..stages.len() {
        match stages.iter().find(|(_, alias)| alias.as_deref() == Some(&image.to_ascii_lowercase())) {
            Some((from, _)) => image = from.clone(),
            None => break,
        }
    }
    Some(image)
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
    fn recognises_other_names_of_a_family() {
        for (image, family) in [
            ("bitnami/postgresql:16", "postgres"),
            ("acme/postgresql:16", "postgres"),
            ("mongodb/mongodb-community-server:8", "mongo"),
            ("minio/minio", "minio"),
            ("quay.io/minio/minio:RELEASE.2024", "minio"),
            ("pgvector/pgvector:pg16", "postgres"),
        ] {
            assert_eq!(StatefulImage::of(image).map(|i| i.family), Some(family), "{image}");
        }
        assert_eq!(StatefulImage::of("mongo-express"), None);
    }

    #[test]
    fn postgres_18_data_below_the_root_persists() {
        let pg = StatefulImage::of("postgres:18").expect("postgres");
        assert!(pg.persists("/var/lib/postgresql"));
        assert!(pg.persists("/var/lib/postgresql/18/docker"));
        assert!(!pg.persists("/srv/pg"));
    }

    #[test]
    fn a_parent_mount_persists() {
        let mongo = StatefulImage::of("mongo").expect("mongo");
        assert!(mongo.persists("/data/db"));
        assert!(mongo.persists("/data/"));
        assert!(!mongo.persists("/data/configdb"));
    }
}
