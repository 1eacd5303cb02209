//! What docker-secops needs to know about one service container, read from `docker inspect`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use bollard::models::ContainerInspectResponse;
use time::OffsetDateTime;

use super::{
    Health, LABEL_CONFIG_FILES, LABEL_CONFIG_HASH, LABEL_SERVICE, LABEL_WORKING_DIR, NetworkAttachment, PublishedPort,
};
use crate::secret::Secret;

/// One container of a compose service. Environment values are held as [`Secret`]s: they print as fingerprints.
#[derive(Debug, Clone)]
pub struct ContainerInfo {
    /// The full container ID.
    pub id: String,
    /// The container name, without the leading `/`.
    pub name: String,
    /// The compose service it belongs to.
    pub service: String,
    /// The engine's state word: `created`, `running`, `restarting`, `exited`, `paused`, `dead`, ...
    pub state: String,
    /// The exit code, once the container has stopped.
    pub exit_code: Option<i64>,
    pub health: Health,
    /// The output of the last healthcheck run, trimmed (why a container is unhealthy). Not redacted.
    pub last_health_output: Option<String>,
    /// When the container was created: env files changed after this are not in it.
    pub created: Option<OffsetDateTime>,
    /// When the container last started.
    pub started: Option<OffsetDateTime>,
    /// The image as the service names it (`Config.Image`).
    pub image: String,
    /// The container's environment, key -> value.
    pub env: BTreeMap<String, Secret>,
    /// `com.docker.compose.config-hash`.
    pub config_hash: Option<String>,
    /// `com.docker.compose.project.working_dir`: the project directory compose ran in.
    pub working_dir: Option<PathBuf>,
    /// `com.docker.compose.project.config_files`: the compose files it was created from.
    pub config_files: Vec<PathBuf>,
    pub networks: Vec<NetworkAttachment>,
    pub ports: Vec<PublishedPort>,
}

impl ContainerInfo {
    /// The container that stands for a service among `containers`: a running one first, else the most recently
    /// created.
    pub fn representative<'a>(containers: impl IntoIterator<Item = &'a ContainerInfo>) -> Option<&'a ContainerInfo> {
        containers.into_iter().max_by_key(|c| (c.is_running(), c.created))
    }

    /// Reads the fields we use from an inspect response.
    pub fn from_inspect(inspect: ContainerInspectResponse) -> Self {
        let config = inspect.config.unwrap_or_default();
        let labels = config.labels.unwrap_or_default();
        let state = inspect.state.unwrap_or_default();
        let env = config
            .env
            .unwrap_or_default()
            .into_iter()
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) => (key.to_string(), Secret::new(value)),
                None => (pair, Secret::new("")),
            })
            .collect();
        let settings = inspect.network_settings.unwrap_or_default();
        let mut networks: Vec<NetworkAttachment> = settings
            .networks
            .unwrap_or_default()
            .into_iter()
            .map(|(name, endpoint)| NetworkAttachment::new(name, endpoint.ip_address.as_deref()))
            .collect();
        networks.sort_by(|a, b| a.network.cmp(&b.network));
        let mut ports: Vec<PublishedPort> = settings
            .ports
            .unwrap_or_default()
            .into_iter()
            .flat_map(|(key, bindings)| {
                bindings
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(move |b| PublishedPort::parse(&key, b.host_ip.as_deref(), b.host_port.as_deref()))
            })
            .collect();
        ports.sort_by(|a, b| (a.container_port, &a.host_ip).cmp(&(b.container_port, &b.host_ip)));
        let started = state
            .started_at
            .as_deref()
            .and_then(|s| OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok())
            // The engine reports 0001-01-01 for a container that never started.
            .filter(|t| t.year() > 1970);
        ContainerInfo {
            id: inspect.id.unwrap_or_default(),
            name: inspect.name.unwrap_or_default().trim_start_matches('/').to_string(),
            service: labels.get(LABEL_SERVICE).cloned().unwrap_or_default(),
            state: state.status.map(|s| s.to_string()).unwrap_or_else(|| "unknown".to_string()),
            exit_code: state.exit_code,
            last_health_output: state
                .health
                .as_ref()
                .and_then(|h| h.log.as_ref())
                .and_then(|log| log.last())
                .and_then(|run| run.output.as_deref())
                .map(|out| out.trim().to_string())
                .filter(|out| !out.is_empty()),
            health: Health::from_model(state.health.and_then(|h| h.status)),
            created: inspect.created,
            started,
            image: config.image.unwrap_or_default(),
            env,
            config_hash: labels.get(LABEL_CONFIG_HASH).cloned(),
            working_dir: labels.get(LABEL_WORKING_DIR).filter(|d| !d.is_empty()).map(PathBuf::from),
            config_files: labels
                .get(LABEL_CONFIG_FILES)
                .map(|files| files.split(',').filter(|f| !f.is_empty()).map(PathBuf::from).collect())
                .unwrap_or_default(),
            networks,
            ports,
        }
    }

    /// The 12-character short ID, as `docker ps` shows it.
    pub fn short_id(&self) -> &str {
        short_id(&self.id)
    }

    /// True while the container runs.
    pub fn is_running(&self) -> bool {
        self.state == "running"
    }

    /// Where container port `port/tcp` is published on the host, if it is.
    pub fn published_tcp(&self, port: u16) -> Option<&PublishedPort> {
        self.ports.iter().find(|p| p.container_port == port && p.protocol == "tcp")
    }
}

/// The first 12 characters of a container ID.
pub fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ContainerInspectResponse {
        serde_json::from_value(serde_json::json!({
            "Id": "3f2a1c9d0e1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5",
            "Name": "/shop-redis-1",
            "Created": "2024-05-01T10:00:00.123456789Z",
            "State": {"Status": "running", "ExitCode": 0, "StartedAt": "2024-05-01T10:00:01Z",
                      "Health": {"Status": "healthy", "FailingStreak": 0,
                                 "Log": [{"ExitCode": 1, "Output": "old\n"}, {"ExitCode": 0, "Output": "healthy: PONG\n"}]}},
            "Config": {"Image": "secops-test/redis:7", "Env": ["REDIS_PASSWORD=s3cr3t-value", "PATH=/bin", "EMPTY="],
                       "Labels": {"com.docker.compose.service": "redis", "com.docker.compose.config-hash": "abc",
                                  "com.docker.compose.project.working_dir": "/srv/shop",
                                  "com.docker.compose.project.config_files": "/srv/shop/compose.yaml,/srv/shop/prod.yaml"}},
            "NetworkSettings": {
                "Ports": {"6379/tcp": [{"HostIp": "0.0.0.0", "HostPort": "49160"}], "9999/tcp": null},
                "Networks": {"shop_default": {"IPAddress": "172.18.0.2"}}
            }
        }))
        .expect("inspect json")
    }

    #[test]
    fn reads_the_fields_we_use() {
        let info = ContainerInfo::from_inspect(sample());
        assert_eq!(info.short_id(), "3f2a1c9d0e1b");
        assert_eq!((info.name.as_str(), info.service.as_str()), ("shop-redis-1", "redis"));
        assert!(info.is_running());
        assert_eq!(info.health, Health::Healthy);
        assert_eq!(info.last_health_output.as_deref(), Some("healthy: PONG"));
        assert_eq!(info.created.map(|t| t.year()), Some(2024));
        assert_eq!(info.config_hash.as_deref(), Some("abc"));
        assert_eq!(info.env["REDIS_PASSWORD"].expose(), "s3cr3t-value");
        assert_eq!(info.env["EMPTY"].expose(), "");
        assert_eq!(info.published_tcp(6379).map(|p| p.host_port), Some(49160));
        assert!(info.published_tcp(9999).is_none());
        assert!(info.networks[0].belongs_to("shop"));
    }

    #[test]
    fn compose_labels_name_the_project_directory_and_files() {
        let info = ContainerInfo::from_inspect(sample());
        assert_eq!(info.working_dir, Some(PathBuf::from("/srv/shop")));
        assert_eq!(info.config_files, [PathBuf::from("/srv/shop/compose.yaml"), PathBuf::from("/srv/shop/prod.yaml")]);
    }

    #[test]
    fn debug_output_shows_fingerprints_only() {
        let info = ContainerInfo::from_inspect(sample());
        assert!(!format!("{info:?}").contains("s3cr3t-value"));
    }
}
