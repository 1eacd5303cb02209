//! The one owner of the bollard client: connects to the endpoint the docker CLI would use, negotiates the API
//! version, and gives every call an error that names the service it was for.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::query_parameters::{
    DownloadFromContainerOptions, InspectContainerOptions, ListContainersOptions, LogsOptions, StopContainerOptions,
};
use bollard::{API_DEFAULT_VERSION, Docker};
use futures_util::StreamExt;
use time::OffsetDateTime;

use super::{ContainerInfo, DockerError, Health, LABEL_ONEOFF, LABEL_PROJECT, Readiness};
use crate::plugin::DockerEndpoint;

/// Seconds bollard waits for one engine request.
const REQUEST_TIMEOUT_SECS: u64 = 60;
/// How often `wait_ready` looks again.
const POLL: Duration = Duration::from_millis(250);
/// The most `read_file` takes from a container: a secret is small, and a path naming something big is refused.
const MAX_READ: usize = 1 << 20;
/// A container without healthcheck must have run this long to count as up (catches crash-on-start).
pub const RUNNING_GRACE: Duration = Duration::from_secs(1);

/// A connected Docker engine client.
#[derive(Debug, Clone)]
pub struct DockerClient {
    pub(super) docker: Docker,
    host: String,
}

impl DockerClient {
    /// Connects to `endpoint` and negotiates the API version down to what the engine speaks (bollard's default,
    /// 1.53, is newer than Docker 20.10's 1.41 or Docker 28's 1.50).
    pub async fn connect(endpoint: &DockerEndpoint) -> Result<Self, DockerError> {
        let host = endpoint.host.clone();
        let connect_err =
            |source| DockerError::Connect { host: host.clone(), context: endpoint.context.clone(), source };
        let docker = if let Some(path) = host.strip_prefix("unix://") {
            Docker::connect_with_unix(path, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION).map_err(connect_err)?
        } else if host.starts_with("ssh://") {
            Docker::connect_with_ssh(&host, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION, None).map_err(connect_err)?
        } else if host.starts_with("tcp://") || host.starts_with("http://") || host.starts_with("https://") {
            match &endpoint.tls {
                Some(tls) => {
                    let (Some(key), Some(cert), Some(ca)) = (&tls.key, &tls.cert, &tls.ca) else {
                        return Err(DockerError::UnsupportedHost {
                            host: format!("{host} (TLS without key.pem, cert.pem and ca.pem)"),
                        });
                    };
                    Docker::connect_with_ssl(&host, key, cert, ca, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION)
                        .map_err(connect_err)?
                }
                None => {
                    Docker::connect_with_http(&host, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION).map_err(connect_err)?
                }
            }
        } else {
            return Err(DockerError::UnsupportedHost { host });
        };
        let docker = docker.negotiate_version().await.map_err(|source| DockerError::Unreachable {
            host: host.clone(),
            context: endpoint.context.clone(),
            source,
        })?;
        Ok(DockerClient { docker, host })
    }

    /// The engine address in use.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The negotiated API version (`1.41` on Docker 20.10).
    pub fn api_version(&self) -> String {
        self.docker.client_version().to_string()
    }

    /// Every service container of compose project `project`, stopped ones included (not `docker compose run`
    /// one-offs), inspected, sorted by service then name.
    pub async fn project_containers(&self, project: &str) -> Result<Vec<ContainerInfo>, DockerError> {
        let filters = HashMap::from([(
            "label".to_string(),
            vec![format!("{LABEL_PROJECT}={project}"), format!("{LABEL_ONEOFF}=False")],
        )]);
        let options = ListContainersOptions { all: true, filters: Some(filters), ..Default::default() };
        let summaries = self
            .docker
            .list_containers(Some(options))
            .await
            .map_err(|source| DockerError::List { project: project.to_string(), source })?;
        self.inspect_listed(summaries, |labels| labels.get(super::LABEL_SERVICE).cloned()).await
    }

    /// Inspects each listed container as the service `service_of` its labels names (`?` when none), skipping one
    /// removed between the list and the inspect (a concurrent `down`); sorted by service then name.
    pub(super) async fn inspect_listed(
        &self,
        summaries: Vec<bollard::models::ContainerSummary>,
        service_of: impl Fn(&HashMap<String, String>) -> Option<String>,
    ) -> Result<Vec<ContainerInfo>, DockerError> {
        let mut containers = Vec::with_capacity(summaries.len());
        for summary in summaries {
            let service = summary.labels.as_ref().and_then(&service_of).unwrap_or_else(|| "?".to_string());
            let Some(id) = summary.id else { continue };
            match self.inspect(&id, &service).await {
                Ok(mut info) => {
                    info.service = service;
                    containers.push(info);
                }
                Err(DockerError::Inspect {
                    source: bollard::errors::Error::DockerResponseServerError { status_code: 404, .. },
                    ..
                }) => {}
                Err(err) => return Err(err),
            }
        }
        containers.sort_by(|a, b| (&a.service, &a.name).cmp(&(&b.service, &b.name)));
        Ok(containers)
    }

    /// The containers of one service of `project`.
    pub async fn service_containers(&self, project: &str, service: &str) -> Result<Vec<ContainerInfo>, DockerError> {
        let mut all = self.project_containers(project).await?;
        all.retain(|c| c.service == service);
        Ok(all)
    }

    /// Inspects container `id` of `service`.
    pub async fn inspect(&self, id: &str, service: &str) -> Result<ContainerInfo, DockerError> {
        let response =
            self.docker.inspect_container(id, None::<InspectContainerOptions>).await.map_err(|source| {
                DockerError::Inspect { service: service.to_string(), container: short(id), source }
            })?;
        Ok(ContainerInfo::from_inspect(response))
    }

    /// Waits until container `id` of `service` is healthy (or, without healthcheck, has been running for `grace`),
    /// has stopped or turned unhealthy, or `timeout` passed; returns the last inspection with the outcome.
    pub async fn wait_ready(
        &self,
        id: &str,
        service: &str,
        timeout: Duration,
        grace: Duration,
    ) -> Result<(Readiness, ContainerInfo), DockerError> {
        let deadline = Instant::now() + timeout;
        loop {
            let info = self.inspect(id, service).await?;
            let outcome = match (info.state.as_str(), info.health) {
                ("exited" | "dead", _) => Some(Readiness::Exited { code: info.exit_code }),
                ("running", Health::Healthy) => Some(Readiness::Healthy),
                ("running", Health::Unhealthy) => Some(Readiness::Unhealthy),
                ("running", Health::None) if ran_for(&info, grace) => Some(Readiness::Running),
                _ => None,
            };
            if let Some(outcome) = outcome {
                return Ok((outcome, info));
            }
            if Instant::now() >= deadline {
                return Ok((Readiness::TimedOut { state: info.state.clone(), health: info.health }, info));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The last `lines` lines of container `id`'s output (stdout and stderr interleaved as the engine kept them).
    pub async fn logs_tail(&self, id: &str, service: &str, lines: usize) -> Result<Vec<String>, DockerError> {
        let options = LogsOptions { stdout: true, stderr: true, tail: lines.to_string(), ..Default::default() };
        let mut stream = self.docker.logs(id, Some(options));
        let mut text = String::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|source| DockerError::Logs {
                service: service.to_string(),
                container: short(id),
                source,
            })?;
            text.push_str(&String::from_utf8_lossy(&chunk.into_bytes()));
        }
        let all: Vec<String> = text.lines().map(str::to_string).collect();
        Ok(all[all.len().saturating_sub(lines)..].to_vec())
    }

    /// The content of the regular file at `path` in container `id` of `service`, read through the Engine API's
    /// archive endpoint (no `docker exec`, nothing run in the container); `None` when nothing is there. Works for
    /// bind-mounted files such as compose `file:` secrets: the engine reads them through the container's mounts.
    pub async fn read_file(&self, id: &str, service: &str, path: &str) -> Result<Option<Vec<u8>>, DockerError> {
        let error = |source| DockerError::ReadFile {
            service: service.to_string(),
            container: short(id),
            path: path.to_string(),
            source,
        };
        let options = DownloadFromContainerOptions { path: path.to_string() };
        let mut stream = self.docker.download_from_container(id, Some(options));
        let mut archive = Vec::new();
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(bytes) => archive.extend_from_slice(&bytes),
                Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => return Ok(None),
                Err(e) => return Err(error(std::io::Error::other(e))),
            }
            if archive.len() > MAX_READ + 64 * 1024 {
                return Err(error(std::io::Error::other(format!("larger than {MAX_READ} bytes"))));
            }
        }
        first_file(&archive).map_err(error)
    }

    /// Stops container `id` of `service` (used by tests and by later rotation steps; compose does the rest).
    pub async fn stop(&self, id: &str, service: &str) -> Result<(), DockerError> {
        self.docker.stop_container(id, None::<StopContainerOptions>).await.map_err(|source| DockerError::Stop {
            service: service.to_string(),
            container: short(id),
            source,
        })
    }
}

/// The content of the first regular file in a tar archive (the archive endpoint answers one entry for a file).
fn first_file(archive: &[u8]) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut tar = tar::Archive::new(archive);
    for entry in tar.entries()? {
        let mut entry = entry?;
        if entry.header().entry_type().is_file() {
            let mut content = Vec::new();
            entry.by_ref().take(MAX_READ as u64 + 1).read_to_end(&mut content)?;
            if content.len() > MAX_READ {
                return Err(std::io::Error::other(format!("larger than {MAX_READ} bytes")));
            }
            return Ok(Some(content));
        }
    }
    Ok(None)
}

fn short(id: &str) -> String {
    super::container_info::short_id(id).to_string()
}

fn ran_for(info: &ContainerInfo, grace: Duration) -> bool {
    info.started.is_none_or(|started| OffsetDateTime::now_utc() - started >= grace)
}
