//! The command line, as clap derive types. Nothing below this module sees clap: `commands` turn these into options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};

use crate::checks::CheckName;

/// Audit, rotate and recreate the credentials of a Docker Compose deployment, safely.
#[derive(Debug, Parser)]
#[command(name = "docker secops", bin_name = "docker secops", version)]
#[command(after_help = "Examples:\n  docker secops check\n  docker secops status\n  docker secops rotate redis\n  \
docker secops help rotate\n\nExit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or runtime error.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print strong new credentials (a 32-char DB password and a 64-char JWT secret by default).
    #[command(after_help = "Examples:\n  docker secops generate\n  docker secops generate --list\n\n\
                            Exit codes: 0 printed, 2 error.")]
    Generate(GenerateArgs),
    /// List the secret-bearing keys each service receives, and where each comes from.
    #[command(visible_alias = "ls")]
    #[command(after_help = "Examples:\n  docker secops inventory\n  docker secops inventory --format mermaid\n  \
                            docker secops ls -f compose.prod.yaml\n\nExit codes: 0 listed, 2 error.")]
    Inventory(InventoryArgs),
    /// Show each service's container, whether it carries the env files' current values, and whether the stores
    /// accept them.
    #[command(after_help = "Examples:\n  docker secops status\n  docker secops status --no-probe --format json\n  \
                            docker secops status -p shop    (from any directory: the containers name the files)\n\n\
                            Exit codes: 0 all in sync, running and every probe ok, 1 something stale, missing, \
                            rejected, down or unreachable, 2 error.")]
    Status(StatusArgs),
    /// Recreate services the safe way (a new container, never restart), wait until healthy, verify the new containers.
    #[command(after_help = "Examples:\n  docker secops recreate api worker\n  \
                            docker secops recreate redis --with-dependents\n\n\
                            Exit codes: 0 every service recreated, healthy and verified, 2 otherwise, 130/143 stopped \
                            by SIGINT/SIGTERM after the service in progress came up.")]
    Recreate(RecreateArgs),
    /// Audit the project offline: env files, templates, weak or reused secrets, secrets in git, data volumes.
    #[command(
        after_help = "Examples:\n  docker secops check\n  docker secops check --fail-on warning --format sarif\n  \
                            docker secops check --format github    (annotations in GitHub Actions)\n  \
                            docker secops check --swarm -f stack.yml   (also as a `docker stack deploy` file)\n\n\
                            Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 error."
    )]
    Check(CheckArgs),
    /// Rotate a credential end to end: generate, change it in the store, write the env files, recreate consumers.
    #[command(after_help = ROTATE_AFTER_HELP)]
    Rotate(RotateArgs),
    /// Create the project's missing env files from their `.example` templates, with strong generated secrets.
    #[command(after_help = "Examples:\n  docker secops init --dry-run\n  docker secops init\n\n\
                            Never overwrites: an env file that exists is refused by path.\n\
                            Exit codes: 0 created (or nothing to do with --dry-run), 2 error.")]
    Init(InitArgs),
    /// Print a shell completion script for `docker-secops` (docker itself completes `docker secops`).
    #[command(after_help = "Examples:\n  docker secops completion bash > ~/.local/share/bash-completion/completions/\
                            docker-secops\n\nExit codes: 0 printed, 2 error.")]
    Completion(CompletionArgs),
    /// Write the man pages of the plugin and each sub-command into a directory (used by install.sh).
    #[command(hide = true)]
    Man(ManArgs),
    /// Print the version.
    Version,
}

/// The end of `rotate --help`: examples, where the state goes, exit codes.
const ROTATE_AFTER_HELP: &str = "\
Examples:
  docker secops rotate redis --dry-run          show the plan, change nothing
  docker secops rotate redis                    rotate, recreate its consumers
  docker secops rotate --all --yes              every secret, no prompt (CI)
  docker secops rotate --resume                 finish an interrupted rotation
  docker secops rotate --rollback               undo it
  docker secops rotate JWT_SECRET --env-file envs/.env.prod
                                                offline: edit one env file only

State and backups go to the project's state directory, <project dir>/.secops/ (offline: .secops/
beside the env file), created 0700 with a .gitignore of `*`:
  backups/               each env file as it was before the rotation, timestamped
  rotation.journal.json  the rotation in progress, with its lock (what --resume/--rollback read)
  audit.jsonl            who rotated what, when (fingerprints only)
  archive/               revoked values, encrypted, with --archive-recipient

Exit codes:
  0    rotated (or a dry run, or the prompt answered no: nothing changed)
  2    usage error, or the rotation failed (rolled back unless --no-rollback)
  130  stopped cleanly by SIGINT (143: SIGTERM); --resume or --rollback finishes it";

/// `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Create only the env file of this environment (`local`, `prod`, ...), from its `.example` template.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// List what would be written (fingerprints only) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Who initialises, for the audit log (default: $SUDO_USER or $USER, and git user.name).
    #[arg(long)]
    pub operator: Option<String>,
}

/// `completion`.
#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell to print the script for.
    #[arg(value_enum)]
    pub shell: ShellArg,
}

/// `completion SHELL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
}

/// `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory to write the `.1` pages into (created when missing).
    #[arg(value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub dir: PathBuf,
}

/// `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What to generate; without it, the runbook's pair: a DB password and a JWT secret.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Length in characters (password 32, jwt 64, hex 64 by default).
    #[arg(long, requires = "kind")]
    pub length: Option<usize>,
    /// How many to generate.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: u32,
    /// Print JSON instead of labelled lines.
    #[arg(long)]
    pub json: bool,
}

/// `--kind`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Password,
    Jwt,
    Hex,
}

/// `inventory`.
#[derive(Debug, Args)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output format: a table, JSON, or a graph of files -> keys -> services (Mermaid, Graphviz dot).
    #[arg(long, value_enum, default_value_t = InventoryFormatArg::Human)]
    pub format: InventoryFormatArg,
}

/// `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Do not log in to Redis and MongoDB; only compare env files with containers.
    #[arg(long)]
    pub no_probe: bool,
    /// Reach the store whose URI scheme this is (redis://, mongodb://, ...) here instead of at its published port
    /// or container address (repeatable, one per store; `--redis-uri`/`--mongo-uri` are aliases).
    #[arg(long = "store-uri", value_name = "URI", visible_aliases = ["redis-uri", "mongo-uri"])]
    pub store_uri: Vec<String>,
    /// The deployment is Swarm stack NAME (`docker stack deploy -c FILE NAME`), read with the same `-f` files:
    /// per service its tasks, rolling-update state and the secret versions it runs, against the files.
    #[arg(long, value_name = "NAME")]
    pub stack: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
}

/// `recreate`.
#[derive(Debug, Args)]
pub struct RecreateArgs {
    /// Services to recreate (default: all), in dependency order.
    #[arg(value_name = "SERVICE")]
    pub services: Vec<String>,
    /// Also recreate the services that depend on these, directly or not.
    #[arg(long)]
    pub with_dependents: bool,
    /// Recreate even when a store rejects the value a service would get (it would fail to log in).
    #[arg(long)]
    pub force: bool,
    /// Seconds to wait for each service to become healthy (running, without a healthcheck).
    #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// The deployment is Swarm stack NAME, deployed from the same `-f` files: each service gets the files' env
    /// values and a forced rolling update (its `update_config` order), done when the update completed.
    #[arg(long, value_name = "NAME")]
    pub stack: Option<String>,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// The environment this stack is for (`prod`, `staging`, `dev`), for env-mismatch.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormatArg::Human)]
    pub format: CheckFormatArg,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOnArg::Error)]
    pub fail_on: FailOnArg,
    /// Skip a check (repeatable).
    #[arg(long, value_name = "CHECK")]
    pub skip: Vec<CheckName>,
    /// Run only this check (repeatable).
    #[arg(long, value_name = "CHECK")]
    pub only: Vec<CheckName>,
    /// Judge the files as a Swarm stack too (`docker stack deploy -c FILE`): adds stack-unsupported and
    /// stack-secret-unversioned.
    #[arg(long)]
    pub swarm: bool,
    /// Suppress the findings already in this earlier JSON report.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub baseline: Option<PathBuf>,
    /// Do not scan git history (faster; secret-in-git-history is skipped).
    #[arg(long)]
    pub no_history: bool,
    /// Rotation policy for secret-age, in days.
    #[arg(long, value_name = "DAYS", default_value_t = 90)]
    pub max_age: u32,
    /// List the checks and exit.
    #[arg(long)]
    pub list: bool,
}

/// `rotate`.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// A store (`redis`, `mongo`), `jwt`, or any env key.
    #[arg(value_name = "TARGET", required_unless_present_any = ["all", "resume", "rollback"])]
    pub target: Option<String>,
    /// Rotate every declared or detected secret (stores, jwt and x-secops keys): each changed up to its commit, then
    /// every consumer recreated once, then each old value revoked.
    #[arg(long, conflicts_with_all = ["target", "resume", "rollback"])]
    pub all: bool,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Do it without asking (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print the plan and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Change the files (and the store) but recreate no container.
    #[arg(long)]
    pub no_recreate: bool,
    /// On failure, keep the state (journal, store, files) for inspection instead of rolling back.
    #[arg(long)]
    pub no_rollback: bool,
    /// Finish an interrupted rotation (its journal names it).
    #[arg(long, conflicts_with_all = ["rollback", "target"])]
    pub resume: bool,
    /// Undo an interrupted rotation.
    #[arg(long, conflicts_with = "target")]
    pub rollback: bool,
    /// Read the credential the store really accepts from stdin (no echo), when the env file's has drifted.
    #[arg(long)]
    pub current_from_stdin: bool,
    /// Take the new value from stdin (no echo on a terminal; never printed) instead of generating it.
    #[arg(long, conflicts_with_all = ["all", "resume", "rollback", "length", "current_from_stdin", "admin_user"])]
    pub new_from_stdin: bool,
    /// With --new-from-stdin: accept a value the strength policy calls weak.
    #[arg(long, requires = "new_from_stdin")]
    pub allow_weak: bool,
    /// Also write the old value to this key, for apps that accept both during a grace period.
    #[arg(long, value_name = "KEY")]
    pub keep_previous: Option<String>,
    /// Archive each revoked value encrypted to this age X25519 recipient (age1...), in .secops/archive/.
    #[arg(long, value_name = "AGE_PUBKEY", env = "SECOPS_ARCHIVE_RECIPIENT")]
    pub archive_recipient: Option<String>,
    /// Length of the new value (the kind's default otherwise).
    #[arg(long)]
    pub length: Option<usize>,
    /// Who rotates, for the audit log (default: $SUDO_USER or $USER, and git user.name).
    #[arg(long)]
    pub operator: Option<String>,
    /// Change the store's password as this admin user (its password is read from stdin) instead of as the user.
    #[arg(long, value_name = "USER")]
    pub admin_user: Option<String>,
    /// PostgreSQL: set the password with `psql` inside the database's container (`docker exec -u postgres`, SQL on
    /// stdin), which the official image trusts without a password: the way back in when the env file's value no
    /// longer logs in. Refused for images that ask for a password on local connections (Bitnami).
    #[arg(long)]
    pub via_exec: bool,
    /// Rotate only the env files even when the value reaches a database's init-only password variable
    /// (`RABBITMQ_DEFAULT_PASS`, `ELASTIC_PASSWORD`, ... which the image applies only to an empty data directory):
    /// the database keeps the old password, and every service recreated with the new one is refused until you
    /// change it in the database yourself. Without it such a rotation is refused (exit 2) before anything changes.
    #[arg(long)]
    pub env_only: bool,
    /// Reach the store whose URI scheme this is (redis://, mongodb://, ...) here instead of finding it through
    /// Docker (repeatable, one per store; `--redis-uri`/`--mongo-uri` are aliases).
    #[arg(long = "store-uri", value_name = "URI", visible_aliases = ["redis-uri", "mongo-uri"])]
    pub store_uri: Vec<String>,
    /// Seconds to wait for each recreated service to become healthy.
    #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// The deployment is Swarm stack NAME, deployed from the same `-f` files: the store is reached at its task
    /// container, and each consumer gets the new value through a rolling update of its service spec.
    #[arg(long, value_name = "NAME")]
    pub stack: Option<String>,
    /// Output format of the result.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
}

/// `check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormatArg {
    Human,
    Json,
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...,line=...::`): annotations without code scanning.
    Github,
}

/// `inventory --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormatArg {
    Human,
    Json,
    /// A Mermaid flowchart (renders in GitHub markdown).
    Mermaid,
    /// A Graphviz dot graph.
    Dot,
}

/// `check --fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    Error,
    Warning,
    Info,
    Never,
}

/// `--format` for commands that print human or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Human,
    Json,
}

/// The flags that select a compose project, with exactly `docker compose`'s meaning.
#[derive(Debug, Clone, Args, Default)]
pub struct ProjectArgs {
    /// Compose configuration files (repeatable; default: compose.yaml, docker-compose.yml, ... searched upwards).
    #[arg(short = 'f', long = "file", value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub files: Vec<PathBuf>,
    /// Project name.
    #[arg(short = 'p', long = "project-name", value_name = "NAME")]
    pub project_name: Option<String>,
    /// Alternate working directory (default: the directory of the first compose file).
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub project_directory: Option<PathBuf>,
    /// Interpolation env files, as docker compose's `--env-file`: where `${VAR}` in the compose files is read from
    /// (repeatable; default: .env in the project directory). In the offline form `rotate KEY --env-file F`, with
    /// no compose file, it is instead the env file whose KEY is rotated and rewritten.
    #[arg(long = "env-file", value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub env_files: Vec<PathBuf>,
    /// Profiles to enable (repeatable).
    #[arg(long = "profile", value_name = "PROFILE")]
    pub profiles: Vec<String>,
    /// Key fingerprints with this key file (64 hex characters, `openssl rand -hex 32`) instead of the project's own
    /// `.secops/fingerprint.key`: share one so that fingerprints and finding ids agree across machines (CI).
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub fingerprint_key_file: Option<PathBuf>,
}

/// Parses our own arguments (program name first), after the plugin layer removed docker's global flags.
pub fn parse(args: Vec<String>) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_sub_command_help_has_examples() {
        let cli = Cli::command();
        let commands = cli.get_subcommands().filter(|c| !c.is_hide_set() && c.get_name() != "version");
        for command in commands {
            let after = command.get_after_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(after.contains("Examples:\n  docker secops"), "{} --help has no examples", command.get_name());
            assert!(after.contains("Exit codes:"), "{} --help lists no exit codes", command.get_name());
        }
    }

    #[test]
    fn help_sub_command_shows_a_sub_command_help() {
        let err = parse(vec!["docker-secops".into(), "help".into(), "rotate".into()]).expect_err("help exits");
        assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
        let text = err.to_string();
        assert!(text.contains("Usage: docker secops rotate") && text.contains(".secops/"), "{text}");
    }
}
