//! The engine calls about a Swarm stack: its services with their tasks, and the task containers on this node.

use std::collections::HashMap;
use std::net::IpAddr;

use bollard::models::{Secret, SecretSpec, Service, ServiceSpec, Task, TaskSpecContainerSpecSecrets};
use bollard::query_parameters::{
    InspectNetworkOptions, InspectServiceOptions, ListContainersOptions, ListSecretsOptions, ListServicesOptions,
    ListTasksOptions, UpdateServiceOptions,
};

use super::{
    ContainerInfo, DockerClient, DockerError, NetworkAttachment, SecretRebind, StackSecretRef, StackService, StackTask,
};

/// Label `docker stack deploy` puts on the stack's services, tasks' containers, networks and secrets.
pub const LABEL_STACK: &str = "com.docker.stack.namespace";
/// Label docker-secops puts on the secret objects it creates: the value's fingerprint.
pub const LABEL_FINGERPRINT: &str = "secops.fingerprint";
/// Label docker-secops puts on the secret objects it creates: the version ending the object's name.
pub const LABEL_VERSION: &str = "secops.version";
/// Label with the Swarm service name on a task's container.
const LABEL_SWARM_SERVICE: &str = "com.docker.swarm.service.name";
/// The bridge that gives every task container of this node its way out of the overlay networks; unlike an overlay
/// address, a container's address on it is routable from the host.
const GATEWAY_BRIDGE: &str = "docker_gwbridge";

impl DockerClient {
    /// The services of stack `stack` with their tasks, sorted by compose service name.
    pub async fn stack_services(&self, stack: &str) -> Result<Vec<StackService>, DockerError> {
        let err = |source| DockerError::Stack { stack: stack.to_string(), source };
        let filters = HashMap::from([("label".to_string(), vec![format!("{LABEL_STACK}={stack}")])]);
        let options = ListServicesOptions { filters: Some(filters), ..Default::default() };
        let services = self.docker.list_services(Some(options)).await.map_err(err)?;
        let mut out = Vec::with_capacity(services.len());
        let mut objects: HashMap<String, Secret> = HashMap::new();
        for service in services {
            let Some(id) = service.id.clone() else { continue };
            let filters = HashMap::from([("service".to_string(), vec![id])]);
            let tasks = self
                .docker
                .list_tasks(Some(ListTasksOptions { filters: Some(filters) }))
                .await
                .map_err(|source| DockerError::Stack { stack: stack.to_string(), source })?;
            let ids: Vec<String> =
                service.spec.iter().flat_map(spec_secrets).filter_map(|s| s.secret_id.clone()).collect();
            for id in ids {
                if let std::collections::hash_map::Entry::Vacant(slot) = objects.entry(id) {
                    // A secret removed meanwhile is just not known: the service still names it.
                    if let Ok(object) = self.docker.inspect_secret(slot.key()).await {
                        slot.insert(object);
                    }
                }
            }
            out.push(stack_service(stack, service, tasks, &objects));
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// The task containers of stack `stack` on this node, stopped ones included, inspected, each named after its
    /// compose service. A container's overlay addresses are not routable from the host: its address on the
    /// gateway bridge is listed first in their place, so a store is reached there.
    pub async fn stack_containers(&self, stack: &str) -> Result<Vec<ContainerInfo>, DockerError> {
        let filters = HashMap::from([("label".to_string(), vec![format!("{LABEL_STACK}={stack}")])]);
        let options = ListContainersOptions { all: true, filters: Some(filters), ..Default::default() };
        let summaries = self
            .docker
            .list_containers(Some(options))
            .await
            .map_err(|source| DockerError::List { project: stack.to_string(), source })?;
        let gateway = self.gateway_addresses().await;
        let mut containers = self
            .inspect_listed(summaries, |labels| {
                labels.get(LABEL_SWARM_SERVICE).map(|n| compose_name(stack, n).to_string())
            })
            .await?;
        for info in &mut containers {
            for attachment in &mut info.networks {
                attachment.ip = None;
            }
            if let Some(ip) = gateway.get(&info.id) {
                info.networks.insert(0, NetworkAttachment { network: GATEWAY_BRIDGE.to_string(), ip: Some(*ip) });
            }
        }
        Ok(containers)
    }

    /// Container id -> address on the gateway bridge; empty when there is no such bridge (not a Swarm node).
    async fn gateway_addresses(&self) -> HashMap<String, IpAddr> {
        let Ok(network) = self.docker.inspect_network(GATEWAY_BRIDGE, None::<InspectNetworkOptions>).await else {
            return HashMap::new();
        };
        network
            .containers
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(id, endpoint)| {
                let cidr = endpoint.ipv4_address?;
                let ip = cidr.split('/').next()?.parse().ok()?;
                Some((id, ip))
            })
            .collect()
    }
}

/// The secret references of a service spec.
fn spec_secrets(spec: &ServiceSpec) -> impl Iterator<Item = &TaskSpecContainerSpecSecrets> {
    let container = spec.task_template.as_ref().and_then(|t| t.container_spec.as_ref());
    container.and_then(|c| c.secrets.as_ref()).into_iter().flatten()
}

/// `app` for Swarm service `<stack>_app`.
fn compose_name<'a>(stack: &str, swarm_name: &'a str) -> &'a str {
    swarm_name.strip_prefix(stack).and_then(|rest| rest.strip_prefix('_')).unwrap_or(swarm_name)
}

fn stack_service(stack: &str, service: Service, tasks: Vec<Task>, objects: &HashMap<String, Secret>) -> StackService {
    let spec = service.spec.unwrap_or_default();
    let swarm_name = spec.name.unwrap_or_default();
    let replicas = match spec.mode.as_ref() {
        Some(mode) if mode.global.is_some() => None,
        Some(mode) => Some(mode.replicated.as_ref().and_then(|r| r.replicas).unwrap_or(1).max(0) as u64),
        None => Some(1),
    };
    let secrets = spec
        .task_template
        .and_then(|t| t.container_spec)
        .and_then(|c| c.secrets)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| {
            let target = s.file.and_then(|f| f.name).unwrap_or_default();
            let secret_id = s.secret_id.unwrap_or_default();
            let object = objects.get(&secret_id);
            Some(StackSecretRef {
                secret_name: s.secret_name?,
                target,
                declared: None,
                created: object.and_then(|o| o.created_at),
                fingerprint: object
                    .and_then(|o| o.spec.as_ref())
                    .and_then(|spec| spec.labels.as_ref())
                    .and_then(|labels| labels.get(LABEL_FINGERPRINT).cloned()),
            })
        })
        .collect();
    let update = service.update_status.unwrap_or_default();
    let update_state = update.state.map(|s| s.to_string()).filter(|s| !s.is_empty());
    let mut tasks: Vec<(Option<time::OffsetDateTime>, StackTask)> = tasks
        .into_iter()
        .map(|task| {
            let status = task.status.unwrap_or_default();
            let stack_task = StackTask {
                slot: task.slot,
                desired: task.desired_state.map(|s| s.to_string()).unwrap_or_default(),
                state: status.state.map(|s| s.to_string()).unwrap_or_default(),
                error: status.err.filter(|e| !e.is_empty()),
                container_id: status.container_status.and_then(|c| c.container_id).filter(|id| !id.is_empty()),
            };
            (task.created_at, stack_task)
        })
        .collect();
    // Newest first within a slot: the running attempt before its failed predecessors.
    tasks.sort_by_key(|(created, task)| (task.slot, std::cmp::Reverse(*created)));
    StackService {
        name: compose_name(stack, &swarm_name).to_string(),
        swarm_name,
        replicas,
        update_state,
        update_message: update.message.filter(|m| !m.is_empty()),
        secrets,
        tasks: tasks.into_iter().map(|(_, t)| t).collect(),
    }
}

impl DockerClient {
    /// Starts a forced rolling update of Swarm service `swarm_name`: every task is replaced (the service's own
    /// `update_config` decides the order), with each `(key, value)` of `env` set in the task environment, as the
    /// files give it now, and each secret reference of `rebinds` moved to its new object at the same target.
    /// `healthcheck` is the spec's own (which bollard cannot read: see [`super::service_healthcheck`]), sent back
    /// unchanged. Returns at once; [`DockerClient::update_state`] follows the update.
    pub async fn force_update(
        &self,
        swarm_name: &str,
        env: &[(String, crate::secret::Secret)],
        rebinds: &[SecretRebind],
        healthcheck: Option<bollard::models::HealthConfig>,
    ) -> Result<(), DockerError> {
        let err = |source| DockerError::ServiceUpdate { service: swarm_name.to_string(), source };
        let current = self.docker.inspect_service(swarm_name, None::<InspectServiceOptions>).await.map_err(err)?;
        let version = current.version.and_then(|v| v.index).unwrap_or_default();
        let mut spec = current.spec.unwrap_or_default();
        let task = spec.task_template.get_or_insert_with(Default::default);
        let container = task.container_spec.get_or_insert_with(Default::default);
        if container.health_check.is_none() {
            container.health_check = healthcheck;
        }
        let vars = container.env.get_or_insert_with(Vec::new);
        for (key, value) in env {
            let line = format!("{key}={}", value.expose());
            match vars.iter_mut().find(|v| v.split_once('=').map_or(v.as_str(), |(k, _)| k) == key) {
                Some(existing) => *existing = line,
                None => vars.push(line),
            }
        }
        for reference in container.secrets.iter_mut().flatten() {
            if let Some(rebind) = rebinds.iter().find(|r| reference.secret_name.as_deref() == Some(r.from.as_str())) {
                reference.secret_name = Some(rebind.to.clone());
                reference.secret_id = Some(rebind.to_id.clone());
            }
        }
        task.force_update = Some(task.force_update.unwrap_or(0) + 1);
        let options = UpdateServiceOptions { version: version as i32, ..Default::default() };
        self.docker.update_service(swarm_name, spec, options, None).await.map_err(err)?;
        Ok(())
    }

    /// The state of the last rolling update of `swarm_name` (`updating`, `completed`, `paused`,
    /// `rollback_completed`, ...) with its message; `None` when none ran.
    pub async fn update_state(&self, swarm_name: &str) -> Result<(Option<String>, Option<String>), DockerError> {
        let err = |source| DockerError::ServiceUpdate { service: swarm_name.to_string(), source };
        let service = self.docker.inspect_service(swarm_name, None::<InspectServiceOptions>).await.map_err(err)?;
        let status = service.update_status.unwrap_or_default();
        Ok((status.state.map(|s| s.to_string()).filter(|s| !s.is_empty()), status.message.filter(|m| !m.is_empty())))
    }
}

impl DockerClient {
    /// The names of every Swarm secret object of the engine.
    pub async fn secret_object_names(&self) -> Result<Vec<String>, DockerError> {
        self.list_secret_names(Vec::new(), "(all)").await
    }

    /// The names of the secret objects docker-secops made for stack `stack` (labelled with a fingerprint).
    pub async fn rotated_secret_objects(&self, stack: &str) -> Result<Vec<String>, DockerError> {
        let labels = vec![format!("{LABEL_STACK}={stack}"), LABEL_FINGERPRINT.to_string()];
        self.list_secret_names(labels, &format!("(stack {stack})")).await
    }

    /// The names of the secret objects carrying every label filter of `labels` (`key` or `key=value`); `what`
    /// names them in an error.
    async fn list_secret_names(&self, labels: Vec<String>, what: &str) -> Result<Vec<String>, DockerError> {
        let filters = (!labels.is_empty()).then(|| HashMap::from([("label".to_string(), labels)]));
        let options = ListSecretsOptions { filters };
        let err = |source| DockerError::SecretObject { action: "list", name: what.to_string(), source };
        let secrets = self.docker.list_secrets(Some(options)).await.map_err(err)?;
        Ok(secrets.into_iter().filter_map(|s| s.spec?.name).collect())
    }

    /// The id and `secops.fingerprint` label of secret object `name`; `None` when there is none.
    pub async fn secret_object(&self, name: &str) -> Result<Option<(String, Option<String>)>, DockerError> {
        match self.docker.inspect_secret(name).await {
            Ok(secret) => {
                let fingerprint =
                    secret.spec.and_then(|s| s.labels).and_then(|mut labels| labels.remove(LABEL_FINGERPRINT));
                Ok(Some((secret.id.unwrap_or_default(), fingerprint)))
            }
            Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => Ok(None),
            Err(source) => Err(DockerError::SecretObject { action: "inspect", name: name.to_string(), source }),
        }
    }

    /// Creates secret object `name` holding `content`, labelled with `labels`; returns its id.
    pub async fn create_secret_object(
        &self,
        name: &str,
        content: &[u8],
        labels: HashMap<String, String>,
    ) -> Result<String, DockerError> {
        use base64::Engine as _;
        let data = zeroize::Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(content));
        let spec = SecretSpec {
            name: Some(name.to_string()),
            labels: Some(labels),
            data: Some(data.to_string()),
            ..Default::default()
        };
        let created = self.docker.create_secret(spec).await.map_err(|source| DockerError::SecretObject {
            action: "create",
            name: name.to_string(),
            source,
        })?;
        Ok(created.id)
    }

    /// The Swarm services (of any stack) whose tasks run secret object `name`.
    pub async fn services_using_secret(&self, name: &str) -> Result<Vec<String>, DockerError> {
        let err = |source| DockerError::SecretObject { action: "find the services of", name: name.to_string(), source };
        let services = self.docker.list_services(None::<ListServicesOptions>).await.map_err(err)?;
        Ok(services
            .into_iter()
            .filter_map(|service| service.spec)
            .filter(|spec| spec_secrets(spec).any(|s| s.secret_name.as_deref() == Some(name)))
            .filter_map(|spec| spec.name)
            .collect())
    }

    /// Removes secret object `name` (gone already is fine).
    pub async fn remove_secret_object(&self, name: &str) -> Result<(), DockerError> {
        match self.docker.delete_secret(name).await {
            Ok(()) | Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => Ok(()),
            Err(source) => Err(DockerError::SecretObject { action: "remove", name: name.to_string(), source }),
        }
    }
}

impl DockerClient {
    /// For each task of `swarm_name` that Swarm wants running: the secret objects its spec runs.
    pub async fn running_task_secrets(&self, swarm_name: &str) -> Result<Vec<Vec<String>>, DockerError> {
        let filters = HashMap::from([
            ("service".to_string(), vec![swarm_name.to_string()]),
            ("desired-state".to_string(), vec!["running".to_string()]),
        ]);
        let tasks = self
            .docker
            .list_tasks(Some(ListTasksOptions { filters: Some(filters) }))
            .await
            .map_err(|source| DockerError::ServiceUpdate { service: swarm_name.to_string(), source })?;
        Ok(tasks
            .into_iter()
            .map(|task| {
                let container = task.spec.and_then(|s| s.container_spec);
                let secrets = container.and_then(|c| c.secrets).unwrap_or_default();
                secrets.into_iter().filter_map(|s| s.secret_name).collect()
            })
            .collect())
    }
}
