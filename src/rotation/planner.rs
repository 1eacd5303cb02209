//! Turns a target into a plan: which key, which store, which files and keys carry the value, which services
//! consume it, and in which order they are recreated.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::{EditKind, FileEdit, RotationPlan, Target};
use crate::envfile::EnvDocument;
use crate::inventory::embeds;
use crate::project::{
    ComposeSecret, EnvVar, Origin, Project, SecretDecl, SecretFile, SecretSource, Service, StatefulImage,
};
use crate::secret::{Secret, SecretKind};
use crate::state_dir::StateDir;
use crate::stores::{StoreKind, StoreSpec};

/// Why no plan could be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("no {0} service found in the project (declare it in x-secops: `store: {0}`, `service: NAME`)")]
    NoStoreService(&'static str),
    #[error("{key} is not defined in any env file of the project ({files}){hint}")]
    KeyNotFound { key: String, files: String, hint: String },
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
    #[error("cannot read secret {secret} from {}: {source}", .path.display())]
    SecretFile { secret: String, path: PathBuf, source: std::io::Error },
    #[error(
        "secret {secret} ({}) holds {lines} lines (a key or a certificate?): docker-secops rotates one-line \
         secrets only",
        .path.display()
    )]
    SecretNotOneLine { secret: String, path: PathBuf, lines: usize },
    #[error("secret {secret} cannot be rotated here: {why}")]
    SecretNotRotatable { secret: String, why: &'static str },
    #[error("--keep-previous needs an env file; secret {0} is a file that holds one value")]
    KeepPreviousInSecretFile(String),
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
    let value = value_in(&docs, &file, key)?;
    let sources = Sources { docs: &docs, secret_files: &[] };
    let primary = Primary { file: file.clone(), secret: None, value, targets: Vec::new() };
    build(&sources, primary, &decl, StoreSpec::env(), Vec::new(), None, state_dir_of(&file), None, options)
}

/// Plans the rotation of `target` in `project`: an env key, a store, `jwt`, or a compose secret (its key in
/// `secrets:`, or a `*_FILE` variable pointing at it).
pub fn plan_project(project: &Project, target: &Target, options: &PlanOptions) -> Result<Planned, PlanError> {
    let decls = SecretDecl::all(project);
    let docs = read_env_files(project)?;
    let values = secret_values(project);
    let secret_files = secret_files(project);
    let secret = bound_secret(project, &docs, target);
    let (decl, mut store, primary, file_old) = match secret.map(|s| (s, &s.source)) {
        Some((secret, SecretSource::File(path))) => {
            if options.keep_previous.is_some() {
                return Err(PlanError::KeepPreviousInSecretFile(secret.key.clone()));
            }
            let decl = declared(&decls, &secret.key);
            let store = match decl.store.as_deref() {
                Some(name) => spec_of(project, &docs, &decl, StoreKind::parse(name).unwrap_or_else(StoreKind::env)),
                None => StoreSpec::env(),
            };
            let file_old = secret_file_value(secret, path)?;
            (decl, store, path.clone(), file_old)
        }
        // An `environment:` secret is its variable: the env file defining it is edited.
        Some((secret, SecretSource::Environment { variable, .. })) => {
            let (decl, store) = resolve(project, &decls, &docs, &Target::Key(variable.clone()))?;
            let primary = primary_file(project, &docs, &decl.key).map_err(|err| match err {
                PlanError::KeyNotFound { .. } => PlanError::SecretNotRotatable {
                    secret: secret.key.clone(),
                    why: "its variable is defined in no env file of the project (only in the process environment?)",
                },
                err => err,
            })?;
            let file_old = value_in(&docs, &primary, &decl.key)?;
            (decl, store, primary, file_old)
        }
        Some((secret, SecretSource::External)) => {
            return Err(PlanError::SecretNotRotatable {
                secret: secret.key.clone(),
                why: "it is external (a Swarm secret, made outside the project)",
            });
        }
        Some((secret, SecretSource::Undefined)) => {
            return Err(PlanError::SecretNotRotatable {
                secret: secret.key.clone(),
                why: "it has no `file:` nor `environment:`",
            });
        }
        None => {
            let (decl, store) = resolve(project, &decls, &docs, target)?;
            let primary = primary_file(project, &docs, &decl.key)?;
            let file_old = value_in(&docs, &primary, &decl.key)?;
            (decl, store, primary, file_old)
        }
    };
    if !store.external() && !options.env_only {
        store = guard_init_only(project, &docs, &values, &decl, &file_old)?.unwrap_or(store);
    }
    let value = file_old.expose();
    let store_service = store.service().and_then(|s| project.service(s));
    let mut consumers: Vec<&Service> = match &decl.consumers {
        Some(names) => names.iter().filter_map(|n| project.service(n)).collect(),
        None => project.services.iter().filter(|s| carries(s, value, &values)).collect(),
    };
    // The store service itself is recreated last, and only when it reads the value at start (redis
    // --requirepass from env) or gets it as a compose secret (a container sees a renamed-over secret file only
    // once recreated). MongoDB reads MONGO_INITDB_* only on an empty volume: it is not recreated for them.
    consumers.retain(|s| Some(s.name.as_str()) != store.service());
    let store_restart = match store_service {
        Some(svc)
            if (store.store_kind().reads_password_at_start() && carries(svc, value, &values))
                || mounts(svc, value, &values) =>
        {
            Some(svc.name.clone())
        }
        _ => None,
    };
    let consumers = if options.no_recreate { Vec::new() } else { dependency_order(project, consumers) };
    let store_restart = if options.no_recreate { None } else { store_restart };
    for name in consumers.iter().chain(store_restart.iter()) {
        guard_data(project, name)?;
    }
    let state_dir = StateDir::of_project(&project.directory).path().to_path_buf();
    let name = Some(project.name.clone());
    let sources = Sources { docs: &docs, secret_files: &secret_files };
    let primary_secret = secret.filter(|s| s.file().is_some()).map(|s| s.key.clone());
    let targets = secret_targets(project, file_old.expose(), &values);
    let primary = Primary { file: primary, secret: primary_secret, value: file_old, targets };
    build(&sources, primary, &decl, store, consumers, store_restart, state_dir, name, options)
}

/// Where the value rotated is defined: a key of an env file, or (`secret` set) a compose secret's whole file.
struct Primary {
    file: PathBuf,
    /// The compose secret whose file `file` is.
    secret: Option<String>,
    /// What it holds now.
    value: Secret,
    /// Container paths where services read the value as a compose secret.
    targets: Vec<String>,
}

/// Every file that may carry the value: the env files, and the readable one-line `file:` secrets as
/// (secret key, path, content).
struct Sources<'a> {
    docs: &'a [EnvDocument],
    secret_files: &'a [(String, PathBuf, SecretFile)],
}

/// The declaration of `key` in x-secops, or a bare one.
fn declared(decls: &[SecretDecl], key: &str) -> SecretDecl {
    decls.iter().find(|d| d.key == key).cloned().unwrap_or(SecretDecl { key: key.to_string(), ..Default::default() })
}

/// The compose secret `target` names: its key in `secrets:`, a `*_FILE` variable of a service pointing at it, or,
/// for a store whose service takes its password only from a `*_FILE` variable (`POSTGRES_PASSWORD_FILE`), that
/// variable's secret.
fn bound_secret<'p>(project: &'p Project, docs: &[EnvDocument], target: &Target) -> Option<&'p ComposeSecret> {
    let mount_of =
        |service: &'p Service, var: &'p EnvVar| service.file_var_secret(var).and_then(|m| project.secret(&m.source));
    // A secret the project declares under the very word typed wins over a built-in target (`secrets: jwt:`).
    if let Some(secret) = project.secret(&target.to_string()) {
        return Some(secret);
    }
    match target {
        Target::Key(key) => project.services.iter().find_map(|s| s.env(key).and_then(|var| mount_of(s, var))),
        Target::Store(kind) => {
            if let Ok(key) = password_key(project, docs, *kind) {
                // A store whose password key is a compose secret's (MariaDB's `_FILE` forms).
                return project.secret(&key);
            }
            let service = kind.service_in(project)?;
            let image = service.image.as_deref().and_then(StatefulImage::of)?;
            service.environment.iter().filter(|v| image.init_only(&v.key)).find_map(|var| mount_of(service, var))
        }
        _ => None,
    }
}

/// The one-line value of a `file:` secret.
fn secret_file_value(secret: &ComposeSecret, path: &Path) -> Result<Secret, PlanError> {
    let (name, file_path) = (secret.key.clone(), path.to_path_buf());
    let file = SecretFile::read(path).map_err(|source| PlanError::SecretFile {
        secret: name.clone(),
        path: file_path.clone(),
        source,
    })?;
    if file.value().is_empty() {
        return Err(PlanError::NoValue { key: name, file: file_path });
    }
    if file.lines() > 1 {
        return Err(PlanError::SecretNotOneLine { secret: name, path: file_path, lines: file.lines() });
    }
    Ok(Secret::new(file.value()))
}

/// The container paths where services get a compose secret holding `value`.
fn secret_targets(project: &Project, value: &str, values: &HashMap<String, String>) -> Vec<String> {
    let mut targets: Vec<String> = Vec::new();
    for mount in project.services.iter().flat_map(|s| &s.secrets) {
        if values.get(&mount.source).is_some_and(|v| v == value) && !targets.contains(&mount.target) {
            targets.push(mount.target.clone());
        }
    }
    targets
}

/// The value of every compose secret that has one (file content or variable), by key.
fn secret_values(project: &Project) -> HashMap<String, String> {
    project.secrets.iter().filter_map(|s| Some((s.key.clone(), s.value()?))).collect()
}

/// The readable one-line `file:` secrets of the project.
fn secret_files(project: &Project) -> Vec<(String, PathBuf, SecretFile)> {
    let mut files: Vec<(String, PathBuf, SecretFile)> = Vec::new();
    for secret in &project.secrets {
        let Some(path) = secret.file() else { continue };
        // Two secrets may name one file: it is one edit.
        if files.iter().any(|(_, p, _)| p == path) {
            continue;
        }
        if let Ok(file) = SecretFile::read(path)
            && file.lines() == 1
        {
            files.push((secret.key.clone(), path.to_path_buf(), file));
        }
    }
    files
}

#[allow(clippy::too_many_arguments)]
fn build(
    sources: &Sources,
    primary: Primary,
    decl: &SecretDecl,
    store: StoreSpec,
    consumers: Vec<String>,
    store_restart: Option<String>,
    state_dir: PathBuf,
    project: Option<String>,
    options: &PlanOptions,
) -> Result<Planned, PlanError> {
    let Primary { file: primary, secret, value: file_old, targets: primary_targets } = primary;
    let first = match &secret {
        Some(secret) => FileEdit { file: primary.clone(), key: secret.clone(), kind: EditKind::SecretFile },
        None => FileEdit { file: primary.clone(), key: decl.key.clone(), kind: EditKind::Value },
    };
    let mut edits = vec![first];
    // A template placeholder (`changeme`) shared by several keys is no shared credential: rotate the key alone.
    let shared = crate::secret::placeholder_word(file_old.expose()).is_none();
    let mut partial_matches = Vec::new();
    for doc in sources.docs.iter().filter(|_| shared) {
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
            let kind = if embedded { EditKind::Embedded } else { EditKind::Value };
            let edit = FileEdit { file: doc.path().to_path_buf(), key: entry.key.clone(), kind };
            if (exact || embedded) && !edits.iter().any(|e| e.file == edit.file && e.key == edit.key) {
                edits.push(edit);
            } else if !exact && !embedded && value.contains(file_old.expose()) {
                partial_matches.push((edit.file, edit.key));
            }
        }
    }
    // A secret file holding the same value is the same credential: it changes with the key.
    for (key, path, file) in sources.secret_files.iter().filter(|_| shared) {
        if file.value() == file_old.expose() && !edits.iter().any(|e| e.file == *path) {
            edits.push(FileEdit { file: path.clone(), key: key.clone(), kind: EditKind::SecretFile });
        }
    }
    let files: BTreeSet<&Path> = edits.iter().map(|e| e.file.as_path()).collect();
    let hashes = sources
        .docs
        .iter()
        .map(|d| (d.path(), d.content_hash()))
        .chain(sources.secret_files.iter().map(|(_, path, file)| (path.as_path(), file.content_hash())));
    let mut file_hashes: Vec<(PathBuf, String)> = Vec::new();
    for (path, hash) in hashes.filter(|(p, _)| files.contains(p)) {
        if !file_hashes.iter().any(|(p, _)| p == path) {
            file_hashes.push((path.to_path_buf(), hash));
        }
    }
    let kind = kind_of(decl, file_old.expose());
    let plan = RotationPlan {
        key: secret.unwrap_or_else(|| decl.key.clone()),
        kind,
        length: options.length.or(decl.length),
        store,
        primary_file: primary,
        edits,
        partial_matches,
        file_hashes,
        secret_targets: primary_targets,
        consumers,
        store_restart,
        keep_previous: options.keep_previous.clone(),
        state_dir,
        project,
        archive_recipient: options.archive_recipient.clone(),
        secret_objects: Vec::new(),
        stack: None,
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
        hint: super::target_hint::target_hint(key, docs, &project.secrets),
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

/// True when the service's container receives `value`, alone or inside another value, under any key, or as a
/// compose secret (`values`: each secret's value by key).
fn carries(service: &Service, value: &str, values: &HashMap<String, String>) -> bool {
    service.environment.iter().filter_map(|v| v.value.as_deref()).any(|v| v == value || embeds(v, value))
        || service.command.iter().flatten().any(|w| w.contains(value))
        || mounts(service, value, values)
}

/// True when the service gets a compose secret holding `value`.
fn mounts(service: &Service, value: &str, values: &HashMap<String, String>) -> bool {
    service.secrets.iter().any(|m| values.get(&m.source).is_some_and(|v| v == value))
}

/// The value a variable gives the container: its own, or for a `*_FILE` variable pointing at a compose secret the
/// secret's.
fn stands_for<'v>(service: &Service, var: &'v EnvVar, values: &'v HashMap<String, String>) -> Option<&'v str> {
    match service.file_var_secret(var) {
        Some(mount) => values.get(&mount.source).map(String::as_str),
        None => var.value.as_deref(),
    }
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
    values: &HashMap<String, String>,
    decl: &SecretDecl,
    value: &Secret,
) -> Result<Option<StoreSpec>, PlanError> {
    for service in &project.services {
        let Some(image) = service.image.as_deref().and_then(StatefulImage::of) else { continue };
        // `POSTGRES_PASSWORD_FILE: /run/secrets/db_password` reaches the database like `POSTGRES_PASSWORD` does.
        let reached = service
            .environment
            .iter()
            .find(|v| image.init_only(&v.key) && stands_for(service, v, values) == Some(value.expose()));
        let Some(var) = reached else { continue };
        if let Some(kind) = service.image.as_deref().and_then(StoreKind::from_image) {
            return Ok(Some(kind.spec(project, docs, decl, Some(service.name.clone()))));
        }
        let consumers: Vec<&str> = project
            .services
            .iter()
            .filter(|s| s.name != service.name && carries(s, value.expose(), values))
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
    // The rule `data-not-persisted` uses (PGDATA, --dbpath/--dir/--datadir, mounts below the data root).
    if image.is_persisted(service) {
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

/// The offline form's state directory: the env file's directory stands in for the project directory.
fn state_dir_of(file: &Path) -> PathBuf {
    StateDir::beside(file).path().to_path_buf()
}
