//! Turns a target into a plan: which key, which store, which files and keys carry the value, which services
//! consume it, and in which order they are recreated.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::{EnvEdit, RotationPlan, StoreSpec, Target};
use crate::checks::StatefulImage;
use crate::envfile::EnvDocument;
use crate::inventory::embeds;
use crate::project::{Origin, Project, SecretDecl, Service};
use crate::secret::{Secret, SecretKind};

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
}

/// Options that shape a plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    pub length: Option<usize>,
    pub keep_previous: Option<String>,
    pub no_recreate: bool,
    pub archive_recipient: Option<String>,
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
    build(&docs, &file, &decl, StoreSpec::Env, Vec::new(), None, state_dir_of(&file), None, options)
}

/// Plans the rotation of `target` in `project`.
pub fn plan_project(project: &Project, target: &Target, options: &PlanOptions) -> Result<Planned, PlanError> {
    let decls = SecretDecl::all(project);
    let docs = read_env_files(project)?;
    let (decl, store) = resolve(project, &decls, &docs, target)?;
    let primary = primary_file(project, &docs, &decl.key)?;
    let file_old = value_in(&docs, &primary, &decl.key)?;
    let store_service = store.service().and_then(|s| project.service(s));
    let mut consumers: Vec<&Service> = match &decl.consumers {
        Some(names) => names.iter().filter_map(|n| project.service(n)).collect(),
        None => project.services.iter().filter(|s| carries(s, file_old.expose())).collect(),
    };
    // The store service itself is recreated last, and only when it reads the value at start (redis
    // --requirepass from env). MongoDB reads MONGO_INITDB_* only on an empty volume: it is never recreated.
    consumers.retain(|s| Some(s.name.as_str()) != store.service());
    let store_restart = match (&store, store_service) {
        (StoreSpec::Redis { .. }, Some(svc)) if carries(svc, file_old.expose()) => Some(svc.name.clone()),
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
    let by_store = |store: &str| decls.iter().find(|d| d.store.as_deref() == Some(store)).cloned();
    let decl = match target {
        Target::Key(key) => decls
            .iter()
            .find(|d| &d.key == key)
            .cloned()
            .unwrap_or(SecretDecl { key: key.clone(), ..Default::default() }),
        Target::Redis => match by_store("redis") {
            Some(d) => d,
            None => SecretDecl { key: redis_key(project, docs)?, store: Some("redis".into()), ..Default::default() },
        },
        Target::Mongo => match by_store("mongo") {
            Some(d) => d,
            None => SecretDecl { key: mongo_key(project)?, store: Some("mongo".into()), ..Default::default() },
        },
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
        Some("redis") => redis_spec(project, &decl),
        Some("mongo") => mongo_spec(project, docs, &decl),
        Some(_) => StoreSpec::Env,
        None => detect_store(project, docs, &decl),
    };
    Ok((decl, store))
}

fn family_service<'p>(project: &'p Project, family: &str) -> Option<&'p Service> {
    let kind = crate::stores::StoreKind::parse(family);
    project
        .services
        .iter()
        .find(|s| kind.is_some() && s.image.as_deref().and_then(crate::stores::StoreKind::from_image) == kind)
}

/// The key a redis service takes its password from: `[--]requirepass $X` / `${X}` in its command, else the key
/// whose value its command holds, else `REDIS_PASSWORD`.
fn redis_key(project: &Project, docs: &[EnvDocument]) -> Result<String, PlanError> {
    let values = docs.iter().flat_map(|d| d.entries()).filter_map(|e| Some((e.key.as_str(), e.value.as_deref()?)));
    redis_key_among(project, values)
}

/// The key holding the password of the project's `kind` store service (the rule `rotate redis|mongo` uses), with
/// the services' environments standing in for the env files. `None` when the project runs no such store.
pub fn store_key(project: &Project, kind: crate::stores::StoreKind) -> Option<String> {
    match kind {
        crate::stores::StoreKind::Redis => {
            let values = project
                .services
                .iter()
                .flat_map(|s| &s.environment)
                .filter_map(|v| Some((v.key.as_str(), v.value.as_deref()?)));
            redis_key_among(project, values).ok()
        }
        crate::stores::StoreKind::Mongo => mongo_key(project).ok(),
    }
}

/// [`redis_key`] with `values` (key, value) as the place to look for a literal password's key.
fn redis_key_among<'a>(
    project: &Project,
    mut values: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<String, PlanError> {
    let service = family_service(project, "redis").ok_or(PlanError::NoStoreService("redis"))?;
    let words: Vec<&str> = service.command.iter().flatten().flat_map(|w| w.split_whitespace()).collect();
    // `--requirepass X` on the command line, or `requirepass X` in config fed on stdin (`redis-server - <<EOF`).
    if let Some(arg) =
        words.iter().position(|w| *w == "--requirepass" || *w == "requirepass").and_then(|i| words.get(i + 1))
    {
        let arg = arg.trim_matches(|c| c == '"' || c == '\'');
        let name = arg.trim_start_matches('$').trim_start_matches('{').trim_end_matches('}');
        if arg.starts_with('$') && !name.is_empty() {
            return Ok(name.to_string());
        }
        if let Some((key, _)) = values.find(|(_, value)| *value == arg) {
            return Ok(key.to_string());
        }
    }
    Ok("REDIS_PASSWORD".to_string())
}

/// The key feeding `MONGO_INITDB_ROOT_PASSWORD` of the mongo service: itself from an env file, or the variable
/// interpolated into it.
fn mongo_key(project: &Project) -> Result<String, PlanError> {
    let service = family_service(project, "mongo").ok_or(PlanError::NoStoreService("mongo"))?;
    let var = service.env("MONGO_INITDB_ROOT_PASSWORD").ok_or(PlanError::NoStoreService("mongo"))?;
    Ok(match &var.origin {
        Origin::Interpolated { variables, .. } if !variables.is_empty() => variables[0].clone(),
        _ => var.key.clone(),
    })
}

fn redis_spec(project: &Project, decl: &SecretDecl) -> StoreSpec {
    let service = decl.service.clone().or_else(|| family_service(project, "redis").map(|s| s.name.clone()));
    StoreSpec::Redis { service, user: decl.user.clone().unwrap_or_else(|| "default".to_string()) }
}

fn mongo_spec(project: &Project, docs: &[EnvDocument], decl: &SecretDecl) -> StoreSpec {
    let service = decl.service.clone().or_else(|| family_service(project, "mongo").map(|s| s.name.clone()));
    let user_key = decl.user_key.clone().unwrap_or_else(|| "MONGO_INITDB_ROOT_USERNAME".to_string());
    let user = decl
        .user
        .clone()
        .or_else(|| docs.iter().rev().find_map(|d| d.get(&user_key).and_then(|e| e.value.clone())))
        .or_else(|| {
            service
                .as_deref()
                .and_then(|s| project.service(s))
                .and_then(|s| s.env(&user_key))
                .and_then(|v| v.value.clone())
        })
        .unwrap_or_else(|| "root".to_string());
    StoreSpec::Mongo { service, user, auth_db: decl.auth_db.clone().unwrap_or_else(|| "admin".to_string()) }
}

/// A key with no declared store belongs to redis or mongo when that service receives it as its password.
fn detect_store(project: &Project, docs: &[EnvDocument], decl: &SecretDecl) -> StoreSpec {
    if redis_key(project, docs).is_ok_and(|k| k == decl.key) && family_service(project, "redis").is_some() {
        return redis_spec(project, decl);
    }
    if mongo_key(project).is_ok_and(|k| k == decl.key) {
        return mongo_spec(project, docs, decl);
    }
    StoreSpec::Env
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

/// The kind of a new value for `decl`: the declared one, else guessed from the key name and the current value.
pub fn kind_of(decl: &SecretDecl, old: &str) -> SecretKind {
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
