//! Everything the checks look at, gathered once: the project, its env files and templates, git, the audit log.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use time::OffsetDateTime;

use super::{EnvFileInfo, SecretFileInfo};
use crate::audit::AuditLog;
use crate::git::GitRepo;
use crate::inventory::SecretRule;
use crate::project::Project;

/// Options that change what the checks judge.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The environment this stack is for (`--env prod`), for `env-mismatch`.
    pub env: Option<String>,
    /// Scan git history (`--no-history` turns it off).
    pub history: bool,
    /// Rotation policy for `secret-age`, in days.
    pub max_age_days: u32,
    /// "Now", injected so that ages are testable.
    pub now: OffsetDateTime,
}

/// The audit's view of one project.
pub struct Context {
    pub project: Project,
    pub rule: SecretRule,
    /// Env files bound by services or used for interpolation, sorted by path, each once.
    pub env_files: Vec<EnvFileInfo>,
    /// `.example` templates next to those env files, with the real file each one describes.
    pub templates: Vec<(EnvFileInfo, PathBuf)>,
    /// Env files of other environments beside a bound one (`.env.local` beside a bound `.env.prod`) that the loaded
    /// project does not bind: what `secret-reused` compares across environments.
    pub sibling_env_files: Vec<EnvFileInfo>,
    /// Compose secrets mounted by enabled services, sorted by key.
    pub secret_files: Vec<SecretFileInfo>,
    pub git: Option<GitRepo>,
    pub audit: AuditLog,
    pub options: CheckOptions,
}

impl Context {
    /// Gathers the context of `project`. Git and audit-log problems degrade to "no data" rather than failing.
    pub fn build(mut project: Project, options: CheckOptions) -> anyhow::Result<Self> {
        let rule = SecretRule::for_project(&project);
        let mut bindings: BTreeMap<PathBuf, (Vec<String>, bool)> = BTreeMap::new();
        for service in &project.services {
            for binding in &service.env_files {
                let entry = bindings.entry(binding.path.clone()).or_default();
                if !entry.0.contains(&service.name) {
                    entry.0.push(service.name.clone());
                }
            }
        }
        for path in &project.interpolation_files {
            bindings.entry(path.clone()).or_default().1 = true;
        }
        // The loader parsed every bound file that exists and every interpolation source: take its documents.
        let mut parsed = std::mem::take(&mut project.env_documents);
        let bound: Vec<_> = bindings
            .into_iter()
            .map(|(path, (services, interp))| {
                let doc = parsed.take(&path);
                (path, services, interp, doc)
            })
            .collect();
        // Each file's secrets judged (and any file the loader did not read, read) on every core, order kept.
        let env_files: Vec<EnvFileInfo> = bound
            .into_par_iter()
            .map(|(path, services, interp, doc)| EnvFileInfo::with_parsed(&path, services, interp, &rule, doc))
            .collect();
        let listings = listings(&env_files);
        let templates = env_files
            .iter()
            .filter_map(|f| {
                template_of(&f.path, &listings)
                    .map(|t| (EnvFileInfo::load(&t, Vec::new(), false, &rule), f.path.clone()))
            })
            .collect();
        let sibling_env_files =
            siblings(&env_files, &listings).iter().map(|p| EnvFileInfo::load(p, Vec::new(), false, &rule)).collect();
        let secret_files = SecretFileInfo::all(&project);
        let git = GitRepo::discover(&project.directory).ok().flatten();
        // The project's state directory, and the ones beside env files where older versions kept the log.
        let dirs: Vec<&Path> =
            [project.directory.as_path()].into_iter().chain(env_files.iter().filter_map(|f| f.path.parent())).collect();
        let audit = AuditLog::read_dirs(&dirs);
        Ok(Context { project, rule, env_files, templates, sibling_env_files, secret_files, git, audit, options })
    }

    /// The directory finding paths are relative to: the git work tree when the project is in one (what SARIF
    /// consumers expect), else the project directory.
    pub fn base_dir(&self) -> &Path {
        self.git.as_ref().map(|g| g.workdir()).unwrap_or(&self.project.directory)
    }

    /// `path` relative to [`Context::base_dir`] for messages (as finding paths are), else as it is.
    pub fn relative(&self, path: &Path) -> String {
        super::finding::relative_to(path, self.base_dir()).as_deref().unwrap_or(path).display().to_string()
    }

    /// The env file at `path`, when the audit knows it.
    pub fn env_file(&self, path: &Path) -> Option<&EnvFileInfo> {
        self.env_files.iter().find(|f| f.path == path)
    }
}

/// The names in each directory that holds a bound env file, each directory read once (`None` when it cannot be
/// listed): where templates and other environments' files are looked for, without a `stat` per bound file.
fn listings(bound: &[EnvFileInfo]) -> HashMap<&Path, Option<HashSet<OsString>>> {
    let mut listings: HashMap<&Path, Option<HashSet<OsString>>> = HashMap::new();
    for dir in bound.iter().filter_map(|file| file.path.parent()) {
        listings.entry(dir).or_insert_with(|| {
            std::fs::read_dir(dir).ok().map(|entries| entries.flatten().map(|entry| entry.file_name()).collect())
        });
    }
    listings
}

/// Env files for another named environment in the directory of a bound env file (`.env.local`, `prod.env`), not
/// bound themselves and not templates (`.example`, `.sample`, `.template`, `.dist`), sorted.
///
/// A file is another environment when some bound file of its directory is for a different one.
fn siblings(bound: &[EnvFileInfo], listings: &HashMap<&Path, Option<HashSet<OsString>>>) -> Vec<PathBuf> {
    // The environments the bound files of each directory are for (`None`: a file that names none).
    let mut dirs: BTreeMap<&Path, BTreeSet<Option<&'static str>>> = BTreeMap::new();
    for file in bound {
        let Some(dir) = file.path.parent() else { continue };
        dirs.entry(dir).or_default().insert(super::env_of(&file.path));
    }
    let bound_paths: HashSet<&Path> = bound.iter().map(|b| b.path.as_path()).collect();
    let mut found = BTreeSet::new();
    for (dir, owns) in dirs {
        for name in listings.get(dir).into_iter().flatten().flatten() {
            let Some(name) = name.to_str() else { continue };
            let env_like = name.starts_with(".env.") || name.ends_with(".env");
            let template = [".example", ".sample", ".template", ".dist", ".tpl"].iter().any(|t| name.ends_with(t));
            if !env_like || template {
                continue;
            }
            let path = dir.join(name);
            if bound_paths.contains(path.as_path()) {
                continue;
            }
            let other_env = super::env_of(&path).is_some_and(|env| owns.iter().any(|own| *own != Some(env)));
            if other_env && path.is_file() {
                found.insert(path);
            }
        }
    }
    found.into_iter().collect()
}

/// `X.example` next to `X`, when it exists.
fn template_of(path: &Path, listings: &HashMap<&Path, Option<HashSet<OsString>>>) -> Option<PathBuf> {
    let mut name = path.file_name()?.to_os_string();
    name.push(".example");
    // A directory that cannot be listed may still let its files be opened: then the file is asked for itself.
    let listed = match listings.get(path.parent()?) {
        Some(Some(names)) => names.contains(&name),
        _ => true,
    };
    let template = path.with_file_name(name);
    (listed && template.is_file()).then_some(template)
}
