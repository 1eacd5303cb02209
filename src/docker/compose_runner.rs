//! Runs `docker compose` the way the user would: the same docker binary, docker global flags and project flags.
//!
//! One operation exists, and it can neither remove volumes nor restart in place: `up -d --no-deps --force-recreate
//! SERVICE...`. For each named service compose stops the old container, creates a new one from the current compose
//! files and env files (its anonymous volumes carried over, named volumes untouched) and removes the old one; a
//! service without a container just gets one. Never `restart` (it keeps the old environment, the runbook's
//! pitfall), never `down` (in compose 2.26 `down redis` also removes every service that depends on redis, and
//! `down app` when app has no container removes the whole project). Values reach containers through env files,
//! never through arguments, so no secret is ever on a command line.

use std::process::Stdio;

use tokio::process::Command;

use super::{ComposeError, ComposeFlavor, ComposeProjectFlags, Redactor};
use crate::plugin::GlobalFlags;

/// The environment variable the docker CLI sets to the binary that ran the plugin.
pub const ORIGINAL_CLI_ENV: &str = "DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND";

/// What may be asked of compose. Private: callers get `up`, nothing else.
enum Operation<'a> {
    Version,
    Up(&'a [String]),
}

/// A compose CLI bound to one project.
#[derive(Clone)]
pub struct ComposeRunner {
    docker: String,
    global: GlobalFlags,
    flavor: ComposeFlavor,
    project: Vec<String>,
    redactor: Redactor,
}

impl ComposeRunner {
    /// Finds compose: `docker compose version`, else `docker-compose version`.
    pub async fn detect(global: &GlobalFlags, project: &ComposeProjectFlags) -> Result<Self, ComposeError> {
        let docker = std::env::var(ORIGINAL_CLI_ENV).ok().filter(|d| !d.is_empty()).unwrap_or_else(|| "docker".into());
        let mut runner = ComposeRunner {
            docker,
            global: global.clone(),
            flavor: ComposeFlavor::V2,
            project: project.to_args(),
            redactor: Redactor::default(),
        };
        let v2 = match runner.run(&Operation::Version).await {
            Ok(()) => return Ok(runner),
            Err(err) => first_line(&err.to_string()),
        };
        runner.flavor = ComposeFlavor::V1;
        match runner.run(&Operation::Version).await {
            Ok(()) => Ok(runner),
            Err(err) => Err(ComposeError::NotFound { docker: runner.docker, v2, v1: first_line(&err.to_string()) }),
        }
    }

    /// Hides `redactor`'s values in compose's stderr before it becomes an error message.
    pub fn with_redactor(mut self, redactor: Redactor) -> Self {
        self.redactor = redactor;
        self
    }

    /// Which compose was found.
    pub fn flavor(&self) -> ComposeFlavor {
        self.flavor
    }

    /// Replaces the containers of `services` (stop, create from the current compose files and env files, start,
    /// remove the old), without touching their dependencies, dependents, networks or volumes. No-op for an empty
    /// list (compose would take the whole project).
    pub async fn up(&self, services: &[String]) -> Result<(), ComposeError> {
        if services.is_empty() {
            return Ok(());
        }
        self.run(&Operation::Up(services)).await
    }

    async fn run(&self, op: &Operation<'_>) -> Result<(), ComposeError> {
        let (program, args) = self.command_line(op);
        let shown = self.shown(op);
        let mut command = Command::new(&program);
        command.args(&args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        // A process group of its own: a Ctrl-C at the terminal reaches docker-secops, which stops at a safe point,
        // and not a compose that is half-way through removing or creating containers.
        command.process_group(0);
        if let (ComposeFlavor::V1, Some(config)) = (self.flavor, &self.global.config) {
            command.env("DOCKER_CONFIG", config);
        }
        let child = command.spawn().map_err(|source| ComposeError::Spawn { command: shown.clone(), source })?;
        // An immediate exit on a second signal passes the signal on to this child's process group.
        let pid = child.id().unwrap_or(0);
        crate::interrupt::child_started(pid);
        if matches!(op, Operation::Up(_)) {
            crate::fault::at("compose-up");
        }
        let output = child.wait_with_output().await;
        crate::interrupt::child_ended(pid);
        let output = output.map_err(|source| ComposeError::Spawn { command: shown.clone(), source })?;
        if output.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = if stderr.trim().is_empty() { String::from_utf8_lossy(&output.stdout) } else { stderr };
        Err(ComposeError::Failed {
            command: shown,
            services: match op {
                Operation::Version => "version".to_string(),
                Operation::Up(s) => s.join(", "),
            },
            status: output.status.to_string(),
            stderr: self.redactor.redact(stderr.trim_end()),
        })
    }

    /// The program and its arguments for `op`.
    fn command_line(&self, op: &Operation<'_>) -> (String, Vec<String>) {
        let (program, mut args) = match self.flavor {
            ComposeFlavor::V2 => {
                let mut args = self.global.to_args();
                args.push("compose".to_string());
                (self.docker.clone(), args)
            }
            ComposeFlavor::V1 => ("docker-compose".to_string(), v1_global_args(&self.global)),
        };
        if !matches!(op, Operation::Version) {
            args.extend(self.project.iter().cloned());
        }
        args.extend(self.operation_args(op));
        (program, args)
    }

    /// The sub-command and its arguments.
    fn operation_args(&self, op: &Operation<'_>) -> Vec<String> {
        let (words, services): (&[&str], &[String]) = match (op, self.flavor) {
            (Operation::Version, _) => (&["version"], &[]),
            (Operation::Up(services), _) => (&["up", "-d", "--no-deps", "--force-recreate"], services),
        };
        words.iter().map(|w| w.to_string()).chain(services.iter().cloned()).collect()
    }

    /// A short form of the command for messages: `docker compose up -d --no-deps --force-recreate api`.
    fn shown(&self, op: &Operation<'_>) -> String {
        let base = match self.flavor {
            ComposeFlavor::V2 => format!("{} compose", self.docker),
            ComposeFlavor::V1 => "docker-compose".to_string(),
        };
        format!("{base} {}", self.operation_args(op).join(" "))
    }
}

/// The docker global flags docker-compose v1 understands (it has no `--config`: that goes through `DOCKER_CONFIG`).
fn v1_global_args(global: &GlobalFlags) -> Vec<String> {
    let reduced = GlobalFlags { config: None, log_level: None, debug: false, ..global.clone() };
    reduced.to_args()
}

fn first_line(text: &str) -> String {
    text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('`')).unwrap_or(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runner(flavor: ComposeFlavor) -> ComposeRunner {
        ComposeRunner {
            docker: "/usr/bin/docker".into(),
            global: GlobalFlags { context: Some("prod".into()), config: Some("/cfg".into()), ..Default::default() },
            flavor,
            project: ComposeProjectFlags {
                files: vec!["compose.yaml".into()],
                env_files: vec!["envs/.env.prod".into()],
                ..Default::default()
            }
            .to_args(),
            redactor: Redactor::default(),
        }
    }

    fn line(r: &ComposeRunner, op: &Operation<'_>) -> String {
        let (program, args) = r.command_line(op);
        format!("{program} {}", args.join(" "))
    }

    #[test]
    fn v2_passes_global_and_project_flags() {
        let r = runner(ComposeFlavor::V2);
        let services = vec!["api".to_string()];
        assert_eq!(
            line(&r, &Operation::Up(&services)),
            "/usr/bin/docker --config /cfg --context prod compose -f compose.yaml --env-file envs/.env.prod \
             up -d --no-deps --force-recreate api"
        );
        assert_eq!(r.shown(&Operation::Up(&services)), "/usr/bin/docker compose up -d --no-deps --force-recreate api");
    }

    #[test]
    fn v1_takes_the_v1_global_flags() {
        let r = runner(ComposeFlavor::V1);
        let services = vec!["api".to_string(), "worker".to_string()];
        let up = line(&r, &Operation::Up(&services));
        assert_eq!(
            up,
            "docker-compose --context prod -f compose.yaml --env-file envs/.env.prod \
             up -d --no-deps --force-recreate api worker"
        );
    }

    #[test]
    fn never_volumes_never_restart() {
        for flavor in [ComposeFlavor::V1, ComposeFlavor::V2] {
            let r = runner(flavor);
            let services = vec!["redis".to_string()];
            for op in [Operation::Version, Operation::Up(&services)] {
                let (_, args) = r.command_line(&op);
                for banned in ["-v", "--volumes", "restart", "--rmi", "down", "rm", "-V", "--renew-anon-volumes"] {
                    assert!(!args.iter().any(|a| a == banned), "{banned} in {args:?}");
                }
            }
        }
    }
}
