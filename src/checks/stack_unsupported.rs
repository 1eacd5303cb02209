//! `stack-unsupported`: a compose feature `docker stack deploy` rejects, or reads otherwise than `docker compose`
//! in a way that changes a credential.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use super::{Check, CheckName, Context, EnvFileInfo, Finding, Severity};
use crate::envfile::{DockerEnvLine, Entry, Quote};
use crate::project::{StackFeature, StackFeatureKind, VariablePlace};

/// (file, variable, key, place in words) of a credential's `${VAR}` that compose takes from an env file.
type ShellUse = (PathBuf, String, String, String);
/// The first line of those uses, their services, and whether one is required (`${VAR:?err}`).
type ShellUses = (Option<usize>, Vec<String>, bool);

/// `docker stack deploy` reads compose files with docker/cli's v3 loader: another schema, another env file format,
/// and interpolation from its own environment only.
pub struct StackUnsupported;

impl Check for StackUnsupported {
    fn name(&self) -> CheckName {
        CheckName::StackUnsupported
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn swarm(&self) -> bool {
        true
    }
    fn help(&self) -> &'static str {
        "The files use a compose feature `docker stack deploy` refuses, or reads otherwise than compose so that a \
         credential changes. Refused: `secrets.*.environment`, the long `env_file` form (`path:`/`required:`), \
         `include`, `extends`, `${VAR:+alt}`, an env file line with `export` or a blank in its name. Read \
         otherwise: an env file value is taken as written after `=` (quotes, inline comments, trailing blanks \
         kept, no `${...}`), and `${VAR}` in the compose file or a `KEY` without a value comes from the deploying \
         shell only, never from `.env` (warning). Rewrite those parts (`docker compose config` output is no way \
         out: its top-level `name:` is refused too). Runs with `check --swarm`."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        // Uses of one variable for one key are one finding (a key many services share through an anchor, or list
        // each, would otherwise give one per service).
        let mut shell: BTreeMap<ShellUse, ShellUses> = BTreeMap::new();
        for file in &cx.project.compose_files {
            // The project loaded, so the file reads and parses; a file that changed since is skipped.
            for feature in StackFeature::scan(file).unwrap_or_default() {
                if let StackFeatureKind::Variable { variable, place, required } = &feature.kind {
                    let Some((key, what, service)) = shell_variable(cx, variable, place) else { continue };
                    let id = (feature.file.clone(), variable.clone(), key, what);
                    let uses = shell.entry(id).or_insert((feature.line, Vec::new(), false));
                    uses.1.extend(service.filter(|s| !uses.1.contains(s)));
                    uses.2 |= *required;
                } else if let Some(finding) = self.judge(&feature.kind) {
                    findings.push(finding.at(&feature.file, feature.line));
                }
            }
        }
        for ((file, variable, key, what), (line, services, required)) in shell {
            findings.push(self.shell_finding(cx, &variable, &key, &what, &services, required).at(&file, line));
        }
        for info in cx.env_files.iter().filter(|i| !i.services.is_empty()) {
            self.env_file(cx, info, findings);
        }
    }
}

impl StackUnsupported {
    /// The finding for one use of a feature docker refuses (variables are judged by their uses together).
    fn judge(&self, kind: &StackFeatureKind) -> Option<Finding> {
        let refused = "docker stack deploy refuses the file";
        Some(match kind {
            StackFeatureKind::SecretEnvironment { secret } => self
                .finding(format!(
                    "secret {secret}: `environment:` secrets are not in the stack file format (\"Additional \
                     property environment is not allowed\"), {refused}; use `file:` (0600, git-ignored) or an \
                     `external:` secret made with `docker secret create`"
                ))
                .key(secret),
            StackFeatureKind::EnvFileLongForm { service, index } => self
                .finding(format!(
                    "service {service}: env_file entry {} is in the long form (`path:`, `required:`): \"env_file.{index} \
                     must be a string\", {refused}; write the path as a string (a stack has no optional env file)",
                    index + 1
                ))
                .service(service),
            StackFeatureKind::Include => self.finding(format!(
                "`include:` is not in the stack file format, {refused}: the included services, secrets and env files \
                 would not deploy; pass the files with several `-c` instead"
            )),
            StackFeatureKind::Extends { service } => self
                .finding(format!(
                    "service {service}: `extends` is a forbidden property for stacks, {refused}: the env_file, \
                     environment and secrets it brings would not deploy; write them into the service"
                ))
                .service(service),
            StackFeatureKind::Alternative { variable } => self.finding(format!(
                "`${{{variable}:+...}}`: {refused} (\"invalid interpolation format\"): it knows `${{VAR}}`, \
                 `${{VAR:-default}}`, `${{VAR-default}}`, `${{VAR:?error}}` and `${{VAR?error}}` only"
            )),
            StackFeatureKind::Variable { .. } => return None,
        })
    }

    /// The warning for the uses of `variable` (for `key`, in `what`) that compose takes from an env file.
    fn shell_finding(
        &self,
        cx: &Context,
        variable: &str,
        key: &str,
        what: &str,
        services: &[String],
        required: bool,
    ) -> Finding {
        let (file, line) = cx.project.variable_sources.get(variable).cloned().unwrap_or_default();
        let place =
            if services.is_empty() { what.to_string() } else { format!("{key} of service {}", services.join(", ")) };
        let outcome = if required {
            "it refuses the file (a required variable)"
        } else {
            "the stack gets the default or an empty value"
        };
        let message = format!(
            "`${{{variable}}}` in {place} comes from {}:{line}, which docker stack deploy does not read (it \
             interpolates from the deploying shell only): {outcome} unless that shell exports {variable}",
            cx.relative(&file)
        );
        Finding::new(self.name(), Severity::Warning, message).key(key)
    }

    /// The lines of a service's env file that docker refuses, and the secrets it reads otherwise than compose.
    fn env_file(&self, cx: &Context, info: &EnvFileInfo, findings: &mut Vec<Finding>) {
        let Ok(bytes) = crate::envfile::read_bounded(&info.path) else { return };
        let lines = DockerEnvLine::parse_all(&bytes);
        let services = info.services.join(", ");
        // docker stops at the first refused line: that one is reported, the others counted (a file of garbage
        // would otherwise give a finding per line).
        let mut refused = lines.iter().filter_map(|l| l.refused.map(|why| (l.line, why)));
        if let Some((line, why)) = refused.next() {
            let more = match refused.count() {
                0 => String::new(),
                n => format!("; {n} more line{} after it", if n == 1 { "" } else { "s" }),
            };
            findings.push(
                self.finding(format!(
                    "env file of service {services}: docker stack deploy refuses it at line {line}: {why} (\"invalid \
                     env file\"){more}"
                ))
                .at(&info.path, Some(line)),
            );
        }
        let Some(doc) = &info.doc else { return };
        let secret_lines: HashSet<usize> = info.secrets().iter().map(|(e, _)| e.line).collect();
        for entry in doc.entries() {
            if !secret_lines.contains(&entry.line) && !cx.rule.is_secret_name(&entry.key) {
                continue;
            }
            // Both lists are in line order.
            let Ok(at) = lines.binary_search_by_key(&entry.line, |l| l.line) else { continue };
            let docker = &lines[at];
            if docker.refused.is_some() {
                continue;
            }
            if entry.value.is_none() {
                findings.extend(self.bare_key(cx, info, entry));
                continue;
            }
            let (Some(raw), Some(_)) = (&docker.value, &entry.value) else { continue };
            if docker.key != entry.key || entry.literal().as_deref() == Some(raw.as_str()) {
                continue;
            }
            findings.push(
                self.finding(format!(
                    "{}: docker stack deploy takes the value as written after `=` ({}), so service {services} gets \
                     another value than docker compose gives it",
                    entry.key,
                    difference(entry, raw)
                ))
                .at(&info.path, Some(entry.line))
                .key(&entry.key),
            );
        }
    }

    /// A `KEY` line without `=`: compose takes the value from the interpolation variables (`.env` included), docker
    /// from its own environment only. A finding when only an env file defines it.
    fn bare_key(&self, cx: &Context, info: &EnvFileInfo, entry: &Entry) -> Option<Finding> {
        let (file, line) = cx.project.variable_sources.get(&entry.key)?;
        let message = format!(
            "{key} has no value here: compose takes it from {}:{line}, docker stack deploy only from the deploying \
             shell, so service {} gets no {key} unless that shell exports it",
            cx.relative(file),
            info.services.join(", "),
            key = entry.key,
        );
        Some(Finding::new(self.name(), Severity::Warning, message).at(&info.path, Some(entry.line)).key(&entry.key))
    }
}

/// For a `${VAR}` that compose takes from `.env` or `--env-file` where it carries a credential: the key that gets
/// another value (the secret, the environment key, else the variable), the place in words, and the service.
fn shell_variable(cx: &Context, variable: &str, place: &VariablePlace) -> Option<(String, String, Option<String>)> {
    cx.project.variable_sources.get(variable)?;
    Some(match place {
        VariablePlace::SecretName { secret } => (secret.clone(), format!("the `name:` of secret {secret}"), None),
        VariablePlace::SecretFile { secret } => (secret.clone(), format!("the `file:` of secret {secret}"), None),
        VariablePlace::Environment { service, key }
            if cx.rule.is_secret_name(key) || cx.rule.is_secret_name(variable) =>
        {
            (key.clone(), key.clone(), Some(service.clone()))
        }
        VariablePlace::Environment { .. } | VariablePlace::Other if cx.rule.is_secret_name(variable) => {
            (variable.to_string(), "the compose file".to_string(), None)
        }
        _ => return None,
    })
}

/// What docker keeps that compose removes or resolves, for a value written as `raw`.
fn difference(entry: &Entry, raw: &str) -> &'static str {
    match entry.quote {
        Quote::Double | Quote::Single if !raw.trim_start().starts_with(['"', '\'']) => "the quoted value is cut",
        Quote::Double | Quote::Single => "its quotes are kept",
        Quote::None if raw.contains("$$") => "`$$` stays two dollars",
        Quote::None if raw.contains('$') => "`${...}` is not interpolated",
        Quote::None if raw.contains(" #") || raw.contains("\t#") => "the inline comment is kept",
        Quote::None => "the blanks around it are kept",
    }
}
