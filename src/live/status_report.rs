//! `status`: every service's container and secret keys against the project, with live store logins.

use std::path::Path;

use futures_util::future::join_all;

use super::drift::{value_file, value_line};
use super::{Drift, KeyStatus, PendingRotation, ProbeResult, ServiceStatus, StatusOptions, StoreTarget};
use crate::audit::AuditLog;
use crate::docker::{ContainerInfo, DockerClient, DockerError, StackSecretRef, StackService};
use crate::inventory::SecretRule;
use crate::project::{Project, SecretMount, SecretSource, Service, read_secret_file};
use crate::secret::{Secret, fingerprint};
use crate::stores::{Probe, StoreAddress, StoreKind, StoreSpec};

/// The state of a deployment's credentials.
#[derive(Debug, Clone)]
pub struct StatusReport {
    pub project: String,
    pub services: Vec<ServiceStatus>,
    /// False with `--no-probe`.
    pub probed: bool,
    /// A rotation journal left in the project's `.secops/`: a rotation is running or crashed.
    pub pending_rotation: Option<PendingRotation>,
}

/// One distinct login to try (several keys may share it).
struct ProbeJob {
    kind: StoreKind,
    store_service: String,
    user: Option<String>,
    password: Secret,
    auth_db: Option<String>,
}

impl StatusReport {
    /// Collects the status of `project` from the engine behind `client`.
    pub async fn collect(
        project: &Project,
        client: &DockerClient,
        options: &StatusOptions,
    ) -> Result<StatusReport, DockerError> {
        let (containers, mut swarm) = match options.stack.as_deref() {
            Some(stack) => (client.stack_containers(stack).await?, client.stack_services(stack).await?),
            None => (client.project_containers(&project.name).await?, Vec::new()),
        };
        let rule = SecretRule::for_project(project);
        let targets = StoreTarget::of(project);
        let mut jobs: Vec<ProbeJob> = Vec::new();
        let mut services = Vec::with_capacity(project.services.len());
        // (service index, key index, job index) of every key that needs a probe result.
        let mut wanted: Vec<(usize, usize, usize)> = Vec::new();
        for service in &project.services {
            let mine: Vec<&ContainerInfo> = containers.iter().filter(|c| c.service == service.name).collect();
            let container = ContainerInfo::representative(mine.iter().copied());
            let mut keys = Vec::new();
            for var in rule.secret_vars(service) {
                let Some(drift) = Drift::of(var, container) else { continue };
                let value = Secret::new(var.value.clone().unwrap_or_default());
                let target = targets.iter().find(|t| t.key == var.key);
                if let (true, Some(target)) = (options.probe, target) {
                    let job = job_for(project, service, target, value.clone());
                    let index = match jobs.iter().position(|j| same_job(j, &job)) {
                        Some(index) => index,
                        None => {
                            jobs.push(job);
                            jobs.len() - 1
                        }
                    };
                    wanted.push((services.len(), keys.len(), index));
                }
                keys.push(KeyStatus {
                    key: var.key.clone(),
                    secret_target: None,
                    fingerprint: value.fingerprint(),
                    container_fingerprint: container.and_then(|c| c.env.get(&var.key)).map(Secret::fingerprint),
                    file: value_file(&var.origin).to_path_buf(),
                    line: value_line(&var.origin),
                    drift,
                    probe: None,
                    last_rotated: None,
                });
            }
            let swarm = swarm.iter().position(|s| s.name == service.name).map(|i| swarm.swap_remove(i));
            let swarm = swarm.map(|s| declare_secrets(s, project, service, options.stack.as_deref().unwrap_or("")));
            for mount in &service.secrets {
                let object = match (&options.stack, &swarm) {
                    (None, _) => SecretObject::Container,
                    (Some(_), swarm) => SecretObject::Swarm(
                        swarm.as_ref().and_then(|s| s.secrets.iter().find(|r| r.target == mount.swarm_file_name())),
                    ),
                };
                if let Some(key) = secret_status(project, mount, container, object, client).await? {
                    keys.push(key);
                }
            }
            services.push(ServiceStatus {
                service: service.name.clone(),
                image: service.image.clone(),
                container: container.cloned(),
                replicas: swarm.as_ref().map_or(mine.len(), |s| s.running()),
                keys,
                in_stack: options.stack.is_some(),
                swarm,
            });
        }
        let results = join_all(jobs.iter().map(|job| run_job(job, project, &services, client.host(), options))).await;
        for (service, key, job) in wanted {
            services[service].keys[key].probe = Some(results[job].clone());
        }
        for (status, service) in services.iter_mut().zip(&project.services) {
            settle_init_only(status, service);
        }
        let dirs: Vec<&Path> = services
            .iter()
            .flat_map(|s| &s.keys)
            .filter_map(|k| k.file.parent())
            .chain([project.directory.as_path()])
            .collect();
        let audit = AuditLog::read_dirs(&dirs);
        let last_rotations = audit.last_rotations();
        for key in services.iter_mut().flat_map(|s| s.keys.iter_mut()) {
            let file = key.file.display().to_string();
            key.last_rotated = last_rotations.get(&(file.as_str(), key.key.as_str())).copied();
        }
        Ok(StatusReport {
            project: project.name.clone(),
            services,
            probed: options.probe,
            pending_rotation: PendingRotation::find(&project.directory),
        })
    }

    /// True when anything is stale, missing, rejected or unreachable, or a rotation is pending.
    pub fn has_problems(&self) -> bool {
        self.pending_rotation.is_some() || self.services.iter().any(ServiceStatus::is_problem)
    }
}

/// Where a service's secret content is compared: in its container (compose), or as the Swarm secret object its
/// tasks run (`None`: the service does not run that secret).
enum SecretObject<'a> {
    Container,
    Swarm(Option<&'a StackSecretRef>),
}

/// Fills in the name the compose files give each secret a Swarm service runs: `docker stack deploy` creates a
/// secret object under its `name:` (a versioned one such as `redis_pw_${VERSION}`), else as `<stack>_<key>`.
fn declare_secrets(mut swarm: StackService, project: &Project, service: &Service, stack: &str) -> StackService {
    for running in &mut swarm.secrets {
        let Some(mount) = service.secrets.iter().find(|m| m.swarm_file_name() == running.target) else {
            continue;
        };
        let secret = project.secret(&mount.source);
        // A version `rotate --stack` made for the value the file holds now is what the files ask for: the
        // object it replaced is gone, so the next `docker stack deploy` makes the declared one again from the
        // file, with the same value.
        let rotated = running.fingerprint.is_some()
            && running.fingerprint == secret.and_then(|s| s.value()).map(|v| fingerprint(&v));
        running.declared = match rotated {
            true => Some(running.secret_name.clone()),
            false => secret.map(|s| s.name.clone().unwrap_or_else(|| format!("{stack}_{}", mount.source))),
        };
    }
    swarm
}

/// A database reads its init-only password variables (`POSTGRES_PASSWORD`) only when its data directory is empty, so
/// a rotation changes the password inside the database and deliberately does not recreate its container, whose
/// environment then keeps the old value. That is no drift when the store accepts the value the files give now: the
/// key is in sync with the database, which is what the variable stands for.
fn settle_init_only(status: &mut ServiceStatus, service: &Service) {
    let Some(image) = service.image.as_deref().and_then(crate::project::StatefulImage::of) else { return };
    for key in status.keys.iter_mut() {
        let accepted = key.probe.as_ref().is_some_and(|p| p.probe == Probe::Ok);
        if accepted && image.init_only(&key.key) && matches!(key.drift, Drift::Stale { .. }) {
            key.drift = Drift::InSync;
        }
    }
}

/// A compose secret of a service against its running container: the content the project gives now (the file on
/// disk, or the variable) and the content at `/run/secrets/...` in the container, read through the archive
/// endpoint. `None` for secrets with nothing to compare (external, undefined, an unset variable, an unreadable
/// file: `check` reports those).
async fn secret_status(
    project: &Project,
    mount: &SecretMount,
    container: Option<&ContainerInfo>,
    object: SecretObject<'_>,
    client: &DockerClient,
) -> Result<Option<KeyStatus>, DockerError> {
    let Some(secret) = project.secret(&mount.source) else { return Ok(None) };
    let (expected, file, line) = match &secret.source {
        SecretSource::File(path) => match read_secret_file(path) {
            Ok(value) => (value, path.clone(), None),
            Err(_) => return Ok(None),
        },
        SecretSource::Environment { value: Some(value), defined_at, .. } => match defined_at {
            Some((file, line)) => (value.clone(), file.clone(), Some(*line)),
            None => (value.clone(), secret.declared_in.clone(), secret.line),
        },
        _ => return Ok(None),
    };
    let written = super::drift::modified(&file);
    let (actual, drift) = match object {
        SecretObject::Container => {
            let actual = match container.filter(|c| c.is_running()) {
                Some(c) => client
                    .read_file(&c.id, &c.service, &mount.target)
                    .await?
                    .map(|bytes| String::from_utf8_lossy(&bytes).trim_end_matches(['\n', '\r']).to_string()),
                None => None,
            };
            let mut drift = Drift::compare(&expected, actual.as_deref(), &file, container);
            // A file secret is a bind mount. An in-place write shows in the container at once, yet the process
            // read the secret when it started (a database only at init); a file renamed over it (an atomic
            // write) stays invisible to the container, while the archive endpoint, which binds the host path
            // afresh, already returns the new file. Either way the content comparison cannot tell: a file
            // written after the container started is stale.
            let started = container.and_then(|c| c.started.or(c.created));
            if drift == Drift::InSync
                && matches!(secret.source, SecretSource::File(_))
                && let (Some(started), Some(written)) = (started, written)
                && written > started
            {
                drift = Drift::Stale { file: file.clone(), changed_after_created: true };
            }
            (actual.as_deref().map(fingerprint), drift)
        }
        // A Swarm secret's content cannot be read back (the archive endpoint shows its file empty): the object's
        // fingerprint label, when docker-secops made it, else its creation time against the file's.
        SecretObject::Swarm(None) => (None, Drift::Missing),
        SecretObject::Swarm(Some(running)) => {
            let drift = match (&running.fingerprint, running.created, written) {
                (Some(label), _, _) if *label == fingerprint(&expected) => Drift::InSync,
                (Some(_), _, _) => Drift::Stale { file: file.clone(), changed_after_created: false },
                (None, Some(created), Some(written)) if written > created => {
                    Drift::Stale { file: file.clone(), changed_after_created: true }
                }
                _ => Drift::InSync,
            };
            (running.fingerprint.clone(), drift)
        }
    };
    Ok(Some(KeyStatus {
        key: mount.source.clone(),
        secret_target: Some(mount.target.clone()),
        fingerprint: fingerprint(&expected),
        container_fingerprint: actual,
        file,
        line,
        drift,
        probe: None,
        last_rotated: None,
    }))
}

/// The login to try for `target`'s key with `password`, the user name taken from the same service's
/// environment (else from the store service's).
fn job_for(project: &Project, service: &Service, target: &StoreTarget, password: Secret) -> ProbeJob {
    let store = project.service(&target.store_service);
    let user = [Some(service), store]
        .into_iter()
        .flatten()
        .flat_map(|s| target.user_keys.iter().filter_map(move |k| s.env(k)))
        .find_map(|v| v.value.clone().filter(|u| !u.is_empty()));
    ProbeJob {
        kind: target.kind,
        store_service: target.store_service.clone(),
        user,
        password,
        auth_db: target.auth_db.clone(),
    }
}

fn same_job(a: &ProbeJob, b: &ProbeJob) -> bool {
    (a.kind, &a.store_service, &a.user, &a.password, &a.auth_db)
        == (b.kind, &b.store_service, &b.user, &b.password, &b.auth_db)
}

async fn run_job(
    job: &ProbeJob,
    project: &Project,
    services: &[ServiceStatus],
    engine_host: &str,
    options: &StatusOptions,
) -> ProbeResult {
    let container = services.iter().find(|s| s.service == job.store_service).and_then(|s| s.container.as_ref());
    let uri = match options.store_uri(job.kind) {
        Ok(uri) => uri,
        Err(err) => {
            return ProbeResult {
                kind: job.kind,
                store_service: job.store_service.clone(),
                address: None,
                probe: Probe::Unreachable(err.to_string()),
            };
        }
    };
    let result = |address: Option<String>, probe: Probe| ProbeResult {
        kind: job.kind,
        store_service: job.store_service.clone(),
        address,
        probe,
    };
    let address = match StoreAddress::resolve(job.kind, &job.store_service, container, &project.name, engine_host, uri)
    {
        Ok(address) => address,
        Err(err) => return result(None, Probe::Unreachable(err.to_string())),
    };
    let spec = StoreSpec {
        kind: job.kind.name().to_string(),
        service: Some(job.store_service.clone()),
        user: job.user.clone(),
        database: job.auth_db.clone(),
    };
    let probe = job.kind.probe(&address, &spec, &job.password).await;
    result(Some(address.to_string()), probe)
}
