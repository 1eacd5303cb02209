//! The integration test binary: the built `docker-secops` driven as a user would, through its own CLI and through
//! the real `docker` CLI. Modules mirror the commands.

mod check;
mod cli;
mod compose_oracle;
mod hostile;
mod live;
mod rotate_lockout;
mod rotate_offline;
mod snapshots;
mod support;
