//! What `rotate` accepts as TARGET in a project: the one function completion asks, so the target registry can
//! change behind it.

use std::collections::BTreeSet;

use super::Candidate;
use crate::inventory::Inventory;
use crate::project::{Project, SecretDecl, SecretSource};
use crate::stores::StoreKind;

/// The project's rotation targets: the stores it runs (with the key each rotates), `jwt` when it has a JWT
/// secret, the compose `secrets:` that can be rotated (a file or a variable), then every declared or detected secret
/// key.
pub fn rotate_targets(project: &Project) -> Vec<Candidate> {
    let mut out = Vec::new();
    // Every registered store the project runs, from the one registry.
    for kind in StoreKind::external() {
        if kind.service_in(project).is_none() {
            continue;
        }
        // The key is known once the env files exist; before `init` the service alone says the store is there.
        let what = match kind.password_key_in(project) {
            Some(key) => format!("the {kind} password ({key}), in the store too"),
            None => format!("the {kind} password, in the store too"),
        };
        out.push(Candidate::new(kind.name(), Some(&what)));
    }
    let declared = SecretDecl::all(project);
    let inventory = Inventory::of(project);
    let detected = inventory.services.iter().flat_map(|s| &s.environment).filter(|k| k.secret).map(|k| &k.key);
    let mut keys: BTreeSet<&str> = declared.iter().map(|d| d.key.as_str()).collect();
    keys.extend(detected.map(String::as_str));
    if keys.iter().any(|k| matches!(*k, "JWT_SECRET_KEY" | "JWT_SECRET")) {
        out.push(Candidate::new("jwt", Some("the JWT signing secret")));
    }
    for secret in &project.secrets {
        let what = match &secret.source {
            SecretSource::File(path) => format!("compose secret, file {}", file_name(path)),
            SecretSource::Environment { variable, .. } => format!("compose secret, variable {variable}"),
            // Swarm's, or compose refuses it: nothing to rotate here.
            SecretSource::External | SecretSource::Undefined => continue,
        };
        out.push(Candidate::new(secret.key.as_str(), Some(&what)));
    }
    for key in keys {
        let declared = declared.iter().any(|d| d.key == key);
        out.push(Candidate::new(key, Some(if declared { "declared in x-secops" } else { "secret env key" })));
    }
    out
}

/// The last component of `path`, for a short description.
fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_secrets_with_a_file_or_a_variable_are_targets() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compose/secrets");
        let environ = [("API_KEY".to_string(), "k".to_string())].into_iter().collect();
        let options =
            crate::project::ProjectOptions { working_dir: dir, environ, ..crate::project::ProjectOptions::default() };
        let project = Project::load(&options).expect("loads");
        let targets = rotate_targets(&project);
        let find = |name: &str| targets.iter().find(|c| c.value == name).and_then(|c| c.description.clone());
        assert_eq!(find("db_password").as_deref(), Some("compose secret, file db_password.txt"));
        assert_eq!(find("api_key").as_deref(), Some("compose secret, variable API_KEY"));
        assert!(find("token").is_some());
    }
}
