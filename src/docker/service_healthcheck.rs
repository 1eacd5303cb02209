//! A Swarm service's own healthcheck, read through the docker CLI. bollard 0.21 names the field `HealthCheck`
//! where the Engine API sends `Healthcheck`, so a service spec read through bollard comes back without it, and an
//! update that sends that spec back would drop the service's healthcheck (its tasks fall back to the image's,
//! or to none). The engine decodes JSON field names case-insensitively, so what bollard sends is understood:
//! only the reading needs this detour.

use bollard::models::HealthConfig;

use super::{DockerError, ORIGINAL_CLI_ENV};
use crate::plugin::GlobalFlags;

/// The healthcheck in the spec of Swarm service `swarm_name`; `None` when the spec sets none.
pub async fn service_healthcheck(global: &GlobalFlags, swarm_name: &str) -> Result<Option<HealthConfig>, DockerError> {
    let docker = std::env::var(ORIGINAL_CLI_ENV).ok().filter(|d| !d.is_empty()).unwrap_or_else(|| "docker".into());
    let fail = |message: String| DockerError::ServiceCli { service: swarm_name.to_string(), message };
    let output = tokio::process::Command::new(&docker)
        .args(global.to_args())
        .args(["service", "inspect", "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Healthcheck}}", swarm_name])
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|err| fail(format!("cannot run {docker}: {err}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(fail(format!("docker service inspect failed: {}", stderr.lines().next().unwrap_or_default())));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|err| fail(format!("unexpected docker service inspect output: {err}")))
}
