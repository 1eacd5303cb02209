//! Which env files `init` creates and with what, then writing them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{FilledTemplate, InitError, InitFile};
use crate::audit::{AuditEntry, AuditLog, INITIALISED};
use crate::checks::{canonical_env, env_of};
use crate::envfile::{EnvDocument, create_new_atomic, write_atomic};
use crate::git::GitRepo;
use crate::inventory::SecretRule;
use crate::project::{Project, SecretDecl};
use crate::rotation::{hostname, now_rfc3339};

const TEMPLATE_SUFFIX: &str = ".example";

/// The files to create, in path order.
pub struct InitPlan {
    pub files: Vec<InitFile>,
    /// Env files with a template that already exist: left alone.
    pub existing: Vec<PathBuf>,
}

impl InitPlan {
    /// Plans `init` for `project`: every bound env file that is missing and has `X.example` beside it, or with
    /// `env` only the env file of that environment (bound or not: `.env.prod` from `.env.prod.example` beside the
    /// project's env files). Generates the values; writes nothing.
    pub fn plan(project: &Project, env: Option<&str>) -> Result<InitPlan, InitError> {
        let bound = bound_files(project);
        let pairs: Vec<(PathBuf, PathBuf)> = match env {
            None => bound.keys().filter_map(|p| template_of(p).map(|t| (p.clone(), t))).collect(),
            Some(env) => {
                let dirs = search_dirs(project, &bound);
                let pairs = templates_for_env(&dirs, env);
                if pairs.is_empty() {
                    return Err(InitError::NoTemplateForEnv { env: env.to_string(), dirs });
                }
                if let Some((existing, _)) = pairs.iter().find(|(real, _)| !is_absent(real)) {
                    return Err(InitError::Exists(existing.clone()));
                }
                pairs
            }
        };
        if pairs.is_empty() {
            return Err(InitError::NoTemplate(bound.into_keys().collect()));
        }
        let (missing, existing): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(real, _)| is_absent(real));
        let existing: Vec<PathBuf> = existing.into_iter().map(|(real, _)| real).collect();
        if missing.is_empty() {
            return Err(InitError::AllExist(existing));
        }
        let rule = SecretRule::for_project(project);
        let decls = SecretDecl::all(project);
        let git = GitRepo::discover(&project.directory).ok().flatten();
        let mut files = Vec::new();
        for (path, template) in missing {
            let doc = EnvDocument::read(&template)?;
            let filled = FilledTemplate::fill(&doc, &path, &rule, &decls)?;
            let gitignore =
                if filled.generated.is_empty() { None } else { git.as_ref().and_then(|g| ignore_line(g, &path)) };
            let services = bound.get(&path).cloned().unwrap_or_default();
            files.push(InitFile { path, template, services, filled, gitignore });
        }
        Ok(InitPlan { files, existing })
    }

    /// Writes the plan: the `.gitignore` line first (so the file is never there unignored), then each env file
    /// (new, 0600, atomic, refused if it appeared meanwhile), then one audit entry per generated secret.
    pub fn apply(&self, operator: &str) -> Result<(), InitError> {
        for file in &self.files {
            if let Some((gitignore, line)) = &file.gitignore {
                add_ignore_line(gitignore, line).map_err(|source| InitError::Gitignore {
                    file: file.path.clone(),
                    gitignore: gitignore.clone(),
                    source,
                })?;
            }
            create_new_atomic(&file.path, &file.filled.document.to_bytes()).map_err(|err| match &err {
                crate::envfile::EnvError::Write { source, .. }
                    if source.kind() == std::io::ErrorKind::AlreadyExists =>
                {
                    InitError::Exists(file.path.clone())
                }
                _ => InitError::EnvFile(err),
            })?;
            let (time, host) = (now_rfc3339(), hostname());
            for generated in &file.filled.generated {
                let entry = AuditEntry {
                    time: time.clone(),
                    operator: operator.to_string(),
                    host: host.clone(),
                    file: file.path.display().to_string(),
                    key: generated.key.clone(),
                    store: "env".to_string(),
                    old_fingerprint: None,
                    new_fingerprint: generated.secret.fingerprint(),
                    services: file.services.clone(),
                    duration_ms: 0,
                    result: INITIALISED.to_string(),
                };
                AuditLog::append(&file.path, &entry).map_err(|source| InitError::Audit {
                    file: file.path.clone(),
                    key: generated.key.clone(),
                    source,
                })?;
            }
        }
        Ok(())
    }
}

/// The env files the project's services bind, with the services binding each, and a missing `.env` of the
/// project directory (compose reads it for interpolation when it is there).
fn bound_files(project: &Project) -> BTreeMap<PathBuf, Vec<String>> {
    let mut bound: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for service in &project.services {
        for binding in &service.env_files {
            let services = bound.entry(binding.path.clone()).or_default();
            if !services.contains(&service.name) {
                services.push(service.name.clone());
            }
        }
    }
    bound.entry(project.directory.join(".env")).or_default();
    bound
}

/// `X.example` beside `X`, when it is a file.
fn template_of(path: &Path) -> Option<PathBuf> {
    let mut name = path.file_name()?.to_os_string();
    name.push(TEMPLATE_SUFFIX);
    let template = path.with_file_name(name);
    template.is_file().then_some(template)
}

/// True when nothing at all is at `path` (a dangling symlink or a directory is not absent).
fn is_absent(path: &Path) -> bool {
    matches!(std::fs::symlink_metadata(path), Err(err) if err.kind() == std::io::ErrorKind::NotFound)
}

/// Where templates of other environments live: the directories of the bound env files, and the project's.
fn search_dirs(project: &Project, bound: &BTreeMap<PathBuf, Vec<String>>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = bound.keys().filter_map(|p| p.parent().map(Path::to_path_buf)).collect();
    dirs.push(project.directory.clone());
    dirs.sort();
    dirs.dedup();
    dirs
}

/// `(X, X.example)` for every template in `dirs` whose name is for environment `env` (`prod` finds
/// `.env.prod.example` and `.env.production.example`; a name we do not know is matched as a word of the name).
fn templates_for_env(dirs: &[PathBuf], env: &str) -> Vec<(PathBuf, PathBuf)> {
    let wanted = canonical_env(env);
    let mut pairs = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut names: Vec<String> = entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
        names.sort();
        for name in names {
            let Some(real) = name.strip_suffix(TEMPLATE_SUFFIX) else { continue };
            let real = dir.join(real);
            let by_alias = wanted.is_some() && env_of(&real) == wanted;
            let by_word = real
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.split(['.', '-', '_']).any(|w| w.eq_ignore_ascii_case(env)));
            if (by_alias || by_word) && dir.join(&name).is_file() {
                pairs.push((real, dir.join(&name)));
            }
        }
    }
    pairs
}

/// The `.gitignore` and line that make git ignore `path`, when `git add .` would commit it now.
fn ignore_line(git: &GitRepo, path: &Path) -> Option<(PathBuf, String)> {
    // The work tree is canonical: compare with the canonical parent (the file itself does not exist yet).
    let parent = std::fs::canonicalize(path.parent()?).ok()?;
    let path = parent.join(path.file_name()?);
    let relative = path.strip_prefix(git.workdir()).ok()?;
    let tracked = git.is_tracked(&path).unwrap_or(false);
    if tracked || git.is_ignored(&path).unwrap_or(true) {
        return None;
    }
    Some((git.workdir().join(".gitignore"), format!("/{}", relative.display())))
}

/// Appends `line` to `gitignore` (kept or created 0644), atomically.
fn add_ignore_line(gitignore: &Path, line: &str) -> std::io::Result<()> {
    let existed = gitignore.exists();
    let mut text = if existed { std::fs::read_to_string(gitignore)? } else { String::new() };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("# an env file with secrets, created by `docker secops init`\n{line}\n"));
    write_atomic(gitignore, text.as_bytes()).map_err(std::io::Error::other)?;
    if !existed {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(gitignore, std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}
