//! The `status --format json` document: stable, documented, fingerprints only.

use std::path::PathBuf;

use serde::Serialize;

use super::timestamp::timestamp;

use crate::docker::StackService;
use crate::live::{Drift, KeyStatus, PendingRotation, ServiceStatus, StatusReport};

/// The `status --format json` document.
///
/// ```text
/// {
///   "project": "shop",                       compose project name
///   "ok": false,                             true when every service is up, every key in sync and every probe ok
///                                            (exit 0)
///   "probed": true,                          false with --no-probe
///   "pending_rotation": null,                a rotation journal left in .secops/ (running or crashed):
///                                            {"journal", "key", "step", "started", "operator", "error",
///                                            "running_pid"}: running_pid is set while the rotation runs
///   "services": [{
///     "service": "api",
///     "image": "example/api:1",              as the compose file names it (null: build only)
///     "replicas": 1,                         containers of the service, stopped ones included (on a stack:
///                                            running tasks)
///     "down": null,                          why the service is not up: "no container", "exited (0)", "unhealthy",
///                                            "not healthy yet (starting)", ...; null when running (and healthy)
///     "container": {                         null when the service has no container
///       "id": "3f2a1c9d0e1b...",             full container ID
///       "name": "shop-api-1",
///       "state": "running",                  created | running | restarting | exited | paused | dead ...
///       "health": "healthy",                 healthy | starting | unhealthy | none (no healthcheck)
///       "created": "2024-05-01T10:00:00Z",   RFC 3339
///       "image": "example/api:1"
///     },
///     "swarm": null,                         with --stack: {"name", "swarm_name", "replicas" (null: global),
///                                            "update_state" (updating | completed | paused | rollback_...,
///                                            null: never updated), "update_message", "secrets": [{"secret_name",
///                                            "target", "declared"}] (declared: the name the files give it now),
///                                            "tasks": [{"slot", "desired", "state", "error", "container_id"}]}
///     "keys": [{                             secret-bearing keys only (see `inventory`)
///       "key": "REDIS_PASSWORD",
///       "fingerprint": "ab12cd34",           first 8 hex of SHA-256 of the value the files give now
///       "container_fingerprint": "ab12cd34", same for the container's value (null: the container lacks it)
///       "file": "/srv/shop/envs/.env.prod",  absolute path of the file that holds the value now
///       "line": 3,                           its line (null: unknown)
///       "drift": "in_sync",                  in_sync | stale | missing
///       "file_changed_after_created": null,  for stale keys: was the file modified after the container's creation
///       "last_rotated": null,                last successful rotation (RFC 3339) from the audit log beside the file
///       "probe": {                           null: not a store credential, or --no-probe
///         "store": "redis",                  redis | mongo
///         "service": "redis",                the compose service running the store
///         "address": "127.0.0.1:49153",      what was tried (never with credentials); null: none found
///         "result": "ok",                    ok | rejected | unreachable
///         "reason": null                     why unreachable
///       }
///     }]
///   }]
/// }
/// ```
#[derive(Debug, Serialize)]
pub struct StatusJson {
    pub project: String,
    pub ok: bool,
    pub probed: bool,
    pub pending_rotation: Option<PendingRotation>,
    pub services: Vec<ServiceJson>,
}

/// One service in [`StatusJson`].
#[derive(Debug, Serialize)]
pub struct ServiceJson {
    pub service: String,
    pub image: Option<String>,
    pub replicas: usize,
    /// Why the service is not up (`None`: running, and healthy when it has a healthcheck).
    pub down: Option<String>,
    pub container: Option<ContainerJson>,
    pub swarm: Option<StackService>,
    pub keys: Vec<KeyJson>,
}

/// A container in [`ServiceJson`].
#[derive(Debug, Serialize)]
pub struct ContainerJson {
    pub id: String,
    pub name: String,
    pub state: String,
    pub health: &'static str,
    pub created: Option<String>,
    pub image: String,
}

/// A key in [`ServiceJson`].
#[derive(Debug, Serialize)]
pub struct KeyJson {
    pub key: String,
    /// For a compose secret (`key` is its name): the path in the container its content was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_target: Option<String>,
    pub fingerprint: String,
    pub container_fingerprint: Option<String>,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub drift: &'static str,
    pub file_changed_after_created: Option<bool>,
    pub last_rotated: Option<String>,
    pub probe: Option<ProbeJson>,
}

/// A probe in [`KeyJson`].
#[derive(Debug, Serialize)]
pub struct ProbeJson {
    pub store: &'static str,
    pub service: String,
    pub address: Option<String>,
    pub result: &'static str,
    pub reason: Option<String>,
}

impl StatusJson {
    /// The document for `report`.
    pub fn of(report: &StatusReport) -> Self {
        StatusJson {
            project: report.project.clone(),
            ok: !report.has_problems(),
            probed: report.probed,
            pending_rotation: report.pending_rotation.clone(),
            services: report.services.iter().map(service).collect(),
        }
    }
}

fn service(s: &ServiceStatus) -> ServiceJson {
    ServiceJson {
        service: s.service.clone(),
        image: s.image.clone(),
        replicas: s.replicas,
        down: s.down(),
        container: s.container.as_ref().map(|c| ContainerJson {
            id: c.id.clone(),
            name: c.name.clone(),
            state: c.state.clone(),
            health: c.health.as_str(),
            created: c.created.map(timestamp),
            image: c.image.clone(),
        }),
        swarm: s.swarm.clone(),
        keys: s.keys.iter().map(key).collect(),
    }
}

fn key(k: &KeyStatus) -> KeyJson {
    KeyJson {
        key: k.key.clone(),
        secret_target: k.secret_target.clone(),
        fingerprint: k.fingerprint.clone(),
        container_fingerprint: k.container_fingerprint.clone(),
        file: k.file.clone(),
        line: k.line,
        drift: k.drift.as_str(),
        file_changed_after_created: match &k.drift {
            Drift::Stale { changed_after_created, .. } => Some(*changed_after_created),
            _ => None,
        },
        last_rotated: k.last_rotated.map(timestamp),
        probe: k.probe.as_ref().map(|p| ProbeJson {
            store: p.kind.name(),
            service: p.store_service.clone(),
            address: p.address.clone(),
            result: p.probe.as_str(),
            reason: match &p.probe {
                crate::stores::Probe::Unreachable(reason) => Some(reason.clone()),
                _ => None,
            },
        }),
    }
}
