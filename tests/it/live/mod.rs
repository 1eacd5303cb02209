//! Live tests against the real Docker engine: a throwaway compose project per test (redis + app sharing an env
//! file), driven through the built binary. They run only with `SECOPS_CONTAINER_TESTS=1` (scripts/test.sh sets it
//! when `docker info` works) and need the local test images (tests/images/build.sh; no registry is used).
//! `usage` holds the errors that need no engine; those always run.

mod engine_mode;
#[cfg(feature = "fault-injection")]
mod engine_proxy;
mod exposure;
mod faults;
mod mariadb;
mod mongo;
mod mysql;
mod postgres;
mod recreate;
mod redis_store;
mod rotate;
mod rotate_all;
mod secret_rotate;
mod secrets;
mod stack;
mod status;
mod swarm;
mod swarm_secrets;
mod usage;
