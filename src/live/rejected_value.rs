//! A value that `recreate` would install although its store refuses it: recreating then takes the service down
//! (the outage of a hand-edited env file). Found by the same live logins `status` makes.

use std::path::PathBuf;

use super::StatusReport;
use crate::stores::{Probe, StoreKind};

/// One key of one service whose current value (from the files) the store rejects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedValue {
    pub service: String,
    pub key: String,
    /// Fingerprint of the rejected value.
    pub fingerprint: String,
    /// The file that gives the value.
    pub file: PathBuf,
    pub store: StoreKind,
    pub store_service: String,
}

impl RejectedValue {
    /// The rejected values among the keys of `services` in `report`. A store that is recreated too and reads its
    /// password from the files when it starts (Redis with `requirepass "$X"`) is left out: it will accept them.
    pub fn among(report: &StatusReport, services: &[String]) -> Vec<RejectedValue> {
        let mut rejected = Vec::new();
        for status in report.services.iter().filter(|s| services.contains(&s.service)) {
            for key in &status.keys {
                let Some(probe) = &key.probe else { continue };
                let restarted = probe.kind.reads_password_at_start() && services.contains(&probe.store_service);
                if probe.probe == Probe::Rejected && !restarted {
                    rejected.push(RejectedValue {
                        service: status.service.clone(),
                        key: key.key.clone(),
                        fingerprint: key.fingerprint.clone(),
                        file: key.file.clone(),
                        store: probe.kind,
                        store_service: probe.store_service.clone(),
                    });
                }
            }
        }
        rejected
    }
}

/// `recreate` refused: the stores reject values the new containers would get.
#[derive(Debug, thiserror::Error)]
#[error("{}", refusal(.0))]
pub struct StoreRejects(pub Vec<RejectedValue>);

fn refusal(values: &[RejectedValue]) -> String {
    let mut text = String::from("refusing to recreate: the new containers would get values their store rejects");
    for v in values {
        text.push_str(&format!(
            "\n  {}: {} (service {}) rejects {} {} from {}",
            v.service,
            v.store.name(),
            v.store_service,
            v.key,
            v.fingerprint,
            v.file.display()
        ));
    }
    let keys: Vec<&str> = values.iter().map(|v| v.key.as_str()).collect();
    let first = keys.first().copied().unwrap_or("KEY");
    text.push_str(&format!(
        "\nthe running containers still hold the working value: restore it in the file, or run `docker secops rotate \
         {first} --current-from-stdin` to rotate from the value the store accepts; --force recreates anyway"
    ));
    text
}
