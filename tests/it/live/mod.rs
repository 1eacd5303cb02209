//! Live tests against the real Docker engine: a throwaway compose project per test (redis + app sharing an env
//! file), driven through the built binary. They run only with `SECOPS_CONTAINER_TESTS=1` (scripts/test.sh sets it
//! when `docker info` works) and need the local test images (tests/images/build.sh; no registry is used).

mod recreate;
mod stack;
mod status;
