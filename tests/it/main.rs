//! The integration test binary: the built `docker-secops` driven as a user would, through its own CLI and through
//! the real `docker` CLI. Modules mirror the commands.

mod bench_report;
mod check;
mod check_swarm;
mod cli;
mod completion;
mod compose_oracle;
mod ecosystem;
mod hostile;
mod init;
mod live;
mod rotate_lockout;
mod rotate_new_value;
mod rotate_offline;
mod rotate_secret;
mod snapshots;
mod stack_oracle;
mod state_dir;
mod support;
