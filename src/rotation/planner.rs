//! Turns a target into a plan: which key, which store, which files and keys carry the value, which services
//! consume it, and in which order they are recreated.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::{EnvEdit, RotationPlan, Target};
use crate::envfile::EnvDocument;
use crate::inventory::embeds;
use crate::project::{Origin, Project, SecretDecl, Service, StatefulImage};
use crate::secret::{Secret, SecretKind};
use crate::stores::{StoreKind, StoreSpec};

/// Why no plan could be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("no {0} service found in the project (declare it in x-secops: `store: {0}`, `service: NAME`)")]
    NoStoreService(&'static str),
    #[error("{key} is not defined in any env file of the project ({files})")]
    KeyNotFound { key: String, files: String },
    #[error("{key} has no value in {}", .file.display())]
    NoValue { key: String, file: PathBuf },
    #[error("cannot find the JWT secret: no JWT_SECRET_KEY or JWT_SECRET in the project")]
    NoJwt,
    #[error(transparent)]
    EnvFile(#[from] crate::envfile::EnvError),
    #[error(
        "service {service} would be recreated to apply the new value but its {family} data is not on a volume: \
         recreating it would wipe the data (see `docker secops check --only data-not-persisted`)"
    )]
    DataNotPersisted { service: String, family: &'static str },
    #[error(
        "{key} reaches {variable} of service {service}, which the {family} image applies only to an empty data \
         directory: the data volume keeps the old password, so rotating only the env file would lock out {consumers}. \
         docker-secops has no store for {family}: change the password in the database yourself, or pass --env-only to \
         rotate the env files anyway"
    )]
    WouldLockOut { key: String, service: String, variable: String, family: &'static str, consumers: String },
}

/// Options that shape a plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    pub length: Option<usize>,
    pub keep_previous: Option<String>,
    pub no_recreate: bool,
    pub archive_recipient: Option<String>,
    /// `--env-only`: rotate the env files even where a database applies the value only at its first start.
    pub env_only: bool,
}

/// A plan and the value the files hold now.
pub struct Planned {
    pub plan: RotationPlan,
    pub file_old: Secret,
}

/// Plans the rotation of `key` in `file` alone: no compose project, no store, no consumers.
pub fn plan_offline(file: &Path, key: &str, options: &PlanOptions) -> Result<Planned, PlanError> {
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let docs = vec![EnvDocument::read(&file)?];
    let decl = SecretDecl { key: key.to_string(), ..SecretDecl::default() };
    build(&docs, &file, &decl, StoreSpec::env(), Vec::new(), None, state_dir_of(&file), None, options)
}

/// Plans the rotation of `target` in `project`.
pub fn plan_project(project: &Project, target: &Target, options: &PlanOptions) -> Result<Planned, PlanError> {
    let decls = SecretDecl::all(project);
    let docs = read_env_files(project)?;
    let (decl, mut store) = resolve(project, &decls, &docs, target)?;
    let primary = primary_file(project, &docs, &decl.key)?;
    let file_old = value_in(&docs, &primary, &decl.key)?;
    if !store.external() && !options.env_only {
        store = guard_init_only(project, &docs, &decl, &file_old)?.unwrap_or(store);
    }
    let store_service = store.service().and_then(|s| project.service(s));
    let mut consumers: Vec<&Service> = match &decl.consumers {
        Some(names) => names.iter().filter_map(|n| project.service(n)).collect(),
        None => project.services.iter().filter(|s| carries(s, file_old.expose())).collect(),
    };
    // The store service itself is recreated last, and only when it reads the value at start (redis
    // --requirepass from env). MongoDB reads MONGO_INITDB_* only on an empty volume: it is never recreated.
    consumers.retain(|s| Some(s.name.as_str()) != store.service());
    let store_restart = match store_service {
        Some(svc) if store.store_kind().reads_password_at_start() && carries(svc, file_old.expose()) => {
            Some(svc.name.clone())
        }
        _ => None,
    };
    let consumers = if options.no_recreate { Vec::new() } else { dependency_order(project, consumers) };
    let store_restart = if options.no_recreate { None } else { store_restart };
    for name in consumers.iter().chain(store_restart.iter()) {
        guard_data(project, name)?;
    }
    let state_dir = project.directory.join(crate::audit::AUDIT_DIR);
    let name = Some(project.name.clone());
    let mut planned = build(&docs, &primary, &decl, store, consumers, store_restart, state_dir, name, options)?;
    planned.file_old = file_old;
    Ok(planned)
}

#[allow(clippy::too_many_arguments)]
fn build(
    docs: &[EnvDocument],
    primary: &Path,
    decl: &SecretDecl,
    store: StoreSpec,
    consumers: Vec<String>,
    store_restart: Option<String>,
    state_dir: PathBuf,
    project: Option<String>,
    options: &PlanOptions,
) -> Result<Planned, PlanError> {
    let file_old = value_in(docs, primary, &decl.key)?;
    let mut edits = vec![EnvEdit { file: primary.to_path_buf(), key: decl.key.clone(), embedded: false }];
    // A template placeholder (`changeme`) shared by several keys is no shared credential: rotate the key alone.
    let shared = crate::secret::placeholder_word(file_old.expose()).is_none();
    let mut partial_matches = Vec::new();
    for doc in docs.iter().filter(|_| shared) {
        // The line of each key's effective (last) occurrence, built once: `doc.get` per entry was quadratic.
        let last_lines: HashMap<&str, usize> = doc.entries().iter().map(|e| (e.key.as_str(), e.line)).collect();
        for entry in doc.entries() {
            let Some(value) = entry.value.as_deref() else { continue };
            if last_lines.get(entry.key.as_str()) != Some(&entry.line) {
                continue;
            }
            let exact = value == file_old.expose();
            // A URL embedding the secret, by the rule `check` and `inventory` use.
            let embedded = embeds(value, file_old.expose());
            let edit = EnvEdit { file: doc.path().to_path_buf(), key: entry.key.clone(), embedded };
            if (exact || embedded) && !edits.iter().any(|e| e.file == edit.file && e.key == edit.key) {
                edits.push(edit);
            } else if !exact && !embedded && value.contains(file_old.expose()) {
                partial_matches.push((edit.file, edit.key));
            }
        }
    }
    let files: BTreeSet<&Path> = edits.iter().map(|e| e.file.as_path()).collect();
    let file_hashes =
        docs.iter().filter(|d| files.contains(d.path())).map(|d| (d.path().to_path_buf(), d.content_hash())).collect();
    let kind = kind_of(decl, file_old.expose());
    let plan = RotationPlan {
        key: decl.key.clone(),
        kind,
        length: options.length.or(decl.length),
        store,
        primary_file: primary.to_path_buf(),
        edits,
        partial_matches,
        file_hashes,
        consumers,
        store_restart,
        keep_previous: options.keep_previous.clone(),
        state_dir,
        project,
        archive_recipient: options.archive_recipient.clone(),
    };
    Ok(Planned { plan, file_old })
}

/// The key and store behind `target`.
fn resolve(
    project: &Project,
    decls: &[SecretDecl],
    docs: &[EnvDocument],
    target: &Target,
) -> Result<(SecretDecl, StoreSpec), PlanError> {
    let decl = match target {
        Target::Key(key) => decls
            .iter()
            .find(|d| &d.key == key)
            .cloned()
            .unwrap_or(SecretDecl { key: key.clone(), ..Default::default() }),
        Target::Store(kind) => {
            match decls.iter().find(|d| d.store.as_deref().and_then(StoreKind::parse) == Some(*kind)) {
                Some(d) => d.clone(),
                None => SecretDecl {
                    key: password_key(project, docs, *kind)?,
                    store: Some(kind.name().into()),
                    ..Default::default()
                },
            }
        }
        Target::Jwt => {
            let key = ["JWT_SECRET_KEY", "JWT_SECRET"]
                .into_iter()
                .find(|k| docs.iter().any(|d| d.get(k).is_some()))
                .ok_or(PlanError::NoJwt)?;
            decls
                .iter()
                .find(|d| d.key == key)
                .cloned()
                .unwrap_or(SecretDecl { key: key.to_string(), ..Default::default() })
        }
    };
    let store = match decl.store.as_deref() {
        Some(name) => spec_of(project, docs, &decl, StoreKind::parse(name).unwrap_or_else(StoreKind::env)),
        None => detect_store(project, docs, &decl),
    };
    Ok((decl, store))
}

/// The key holding the password of the project's `kind` store service, literal passwords looked up in the env
/// files.
fn password_key(project: &Project, docs: &[EnvDocument], kind: StoreKind) -> Result<String, PlanError> {
    let service = kind.service_in(project).ok_or(PlanError::NoStoreService(kind.name()))?;
    let mut values = docs.iter().flat_map(|d| d.entries()).filter_map(|e| Some((e.key.as_str(), e.value.as_deref()?)));
    kind.password_key(service, &mut values).ok_or(PlanError::NoStoreService(kind.name()))
}

/// The plan's store of `kind` for `decl`: its declared service, else the project's first of that kind.
fn spec_of(project: &Project, docs: &[EnvDocument], decl: &SecretDecl, kind: StoreKind) -> StoreSpec {
    let service = decl.service.clone().or_else(|| kind.service_in(project).map(|s| s.name.clone()));
    kind.spec(project, docs, decl, service)
}

/// A key with no declared store belongs to a store when that store's service receives it as its password.
fn detect_store(project: &Project, docs: &[EnvDocument], decl: &SecretDecl) -> StoreSpec {
    StoreKind::external()
        .find(|kind| password_key(project, docs, *kind).is_ok_and(|k| k == decl.key))
        .map_or_else(StoreSpec::env, |kind| spec_of(project, docs, decl, kind))
}

fn read_env_files(project: &Project) -> Result<Vec<EnvDocument>, PlanError> {
    let mut paths: Vec<&Path> = project.interpolation_files.iter().map(PathBuf::as_path).collect();
    for binding in project.services.iter().flat_map(|s| &s.env_files).filter(|b| b.exists) {
        if !paths.contains(&binding.path.as_path()) {
            paths.push(&binding.path);
        }
    }
    paths.into_iter().map(|p| EnvDocument::read(p).map_err(PlanError::from)).collect()
}

/// The file a rotation edits first: where the services' value of `key` comes from, else the first defining it.
fn primary_file(project: &Project, docs: &[EnvDocument], key: &str) -> Result<PathBuf, PlanError> {
    for var in project.services.iter().flat_map(|s| &s.environment) {
        match &var.origin {
            Origin::EnvFile { file, .. } if var.key == key => return Ok(file.clone()),
            Origin::Interpolated { variables, source: Some((file, _)), .. }
                if variables.first().is_some_and(|v| v == key) =>
            {
                return Ok(file.clone());
            }
            _ => {}
        }
    }
    docs.iter().find(|d| d.get(key).is_some()).map(|d| d.path().to_path_buf()).ok_or_else(|| PlanError::KeyNotFound {
        key: key.to_string(),
        files: docs.iter().map(|d| d.path().display().to_string()).collect::<Vec<_>>().join(", "),
    })
}

fn value_in(docs: &[EnvDocument], file: &Path, key: &str) -> Result<Secret, PlanError> {
    docs.iter()
        .find(|d| d.path() == file)
        .and_then(|d| d.get(key))
        .and_then(|e| e.value.clone())
        .filter(|v| !v.is_empty())
        .map(Secret::new)
        .ok_or_else(|| PlanError::NoValue { key: key.to_string(), file: file.to_path_buf() })
}

/// True when the service's container receives `value`, alone or inside another value, under any key.
fn carries(service: &Service, value: &str) -> bool {
    service.environment.iter().filter_map(|v| v.value.as_deref()).any(|v| v == value || embeds(v, value))
        || service.command.iter().flatten().any(|w| w.contains(value))
}

/// `services` sorted so that each comes after the services it depends on.
fn dependency_order(project: &Project, services: Vec<&Service>) -> Vec<String> {
    let names: BTreeSet<&str> = services.iter().map(|s| s.name.as_str()).collect();
    let mut ordered: Vec<String> = Vec::new();
    fn visit(project: &Project, name: &str, names: &BTreeSet<&str>, ordered: &mut Vec<String>, depth: usize) {
        if ordered.iter().any(|n| n == name) || depth > 64 {
            return;
        }
        if let Some(service) = project.service(name) {
            for dep in &service.depends_on {
                visit(project, dep, names, ordered, depth + 1);
            }
        }
        if names.contains(name) && !ordered.iter().any(|n| n == name) {
            ordered.push(name.to_string());
        }
    }
    for s in &services {
        visit(project, &s.name, &names, &mut ordered, 0);
    }
    ordered
}

/// A value that reaches a database's init-only credential variable (directly or through interpolation) must change
/// in the database, or every consumer recreated with the new one is locked out: the store of that database when
/// docker-secops has one, else a refusal naming the service, the variable and the services at risk.
fn guard_init_only(
    project: &Project,
    docs: &[EnvDocument],
    decl: &SecretDecl,
    value: &Secret,
) -> Result<Option<StoreSpec>, PlanError> {
    for service in &project.services {
        let Some(image) = service.image.as_deref().and_then(StatefulImage::of) else { continue };
        let reached =
            service.environment.iter().find(|v| image.init_only(&v.key) && v.value.as_deref() == Some(value.expose()));
        let Some(var) = reached else { continue };
        if let Some(kind) = service.image.as_deref().and_then(StoreKind::from_image) {
            return Ok(Some(kind.spec(project, docs, decl, Some(service.name.clone()))));
        }
        let consumers: Vec<&str> = project
            .services
            .iter()
            .filter(|s| s.name != service.name && carries(s, value.expose()))
            .map(|s| s.name.as_str())
            .collect();
        return Err(PlanError::WouldLockOut {
            key: decl.key.clone(),
            service: service.name.clone(),
            variable: var.key.clone(),
            family: image.family,
            consumers: if consumers.is_empty() { "its clients".to_string() } else { consumers.join(", ") },
        });
    }
    Ok(None)
}

fn guard_data(project: &Project, name: &str) -> Result<(), PlanError> {
    let Some(service) = project.service(name) else { return Ok(()) };
    let Some(image) = service.image.as_deref().and_then(StatefulImage::of) else { return Ok(()) };
    let persisted = service.volumes.iter().any(|v| {
        matches!(v.kind, crate::project::VolumeKind::Named | crate::project::VolumeKind::Bind)
            && image.persists(&v.target)
    });
    if persisted {
        Ok(())
    } else {
        Err(PlanError::DataNotPersisted { service: name.to_string(), family: image.family })
    }
}

fn kind_of(decl: &SecretDecl, old: &str) -> SecretKind {
    match decl.kind.as_deref() {
        Some("jwt") => SecretKind::Jwt,
        Some("hex") => SecretKind::Hex,
        Some(_) => SecretKind::Password,
        None if decl.key.to_ascii_uppercase().contains("JWT") => SecretKind::Jwt,
        None if old.len() >= 32 && old.bytes().all(|b| b.is_ascii_hexdigit()) => SecretKind::Hex,
        None => SecretKind::Password,
    }
}

fn state_dir_of(file: &Path) -> PathBuf {
    file.parent().unwrap_or(Path::new(".")).join(crate::audit::AUDIT_DIR)
}
