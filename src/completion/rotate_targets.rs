//! What `rotate` accepts as TARGET in a project: the one function completion asks, so the target registry can
//! change behind it.

use std::collections::BTreeSet;

use super::Candidate;
use crate::inventory::Inventory;
use crate::project::{Project, SecretDecl};
use crate::rotation::store_key;
use crate::stores::StoreKind;

/// The project's rotation targets: the stores it runs (with the key each rotates), `jwt` when it has a JWT
/// secret, then every declared or detected secret key.
pub fn rotate_targets(project: &Project) -> Vec<Candidate> {
    let mut out = Vec::new();
    for kind in [StoreKind::Redis, StoreKind::Mongo] {
        if !project.services.iter().any(|s| s.image.as_deref().and_then(StoreKind::from_image) == Some(kind)) {
            continue;
        }
        // The key is known once the env files exist; before `init` the service alone says the store is there.
        let what = match store_key(project, kind) {
            Some(key) => format!("the {kind} password ({key}), in the store too"),
            None => format!("the {kind} password, in the store too"),
        };
        out.push(Candidate::new(kind.as_str(), Some(&what)));
    }
    let declared = SecretDecl::all(project);
    let inventory = Inventory::of(project);
    let detected = inventory.services.iter().flat_map(|s| &s.environment).filter(|k| k.secret).map(|k| &k.key);
    let mut keys: BTreeSet<&str> = declared.iter().map(|d| d.key.as_str()).collect();
    keys.extend(detected.map(String::as_str));
    if keys.iter().any(|k| matches!(*k, "JWT_SECRET_KEY" | "JWT_SECRET")) {
        out.push(Candidate::new("jwt", Some("the JWT signing secret")));
    }
    for key in keys {
        let declared = declared.iter().any(|d| d.key == key);
        out.push(Candidate::new(key, Some(if declared { "declared in x-secops" } else { "secret env key" })));
    }
    out
}
