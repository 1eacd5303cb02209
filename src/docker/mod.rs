//! The Docker side of a deployment: the engine (through bollard, behind one wrapper whose every failure names the
//! service it was about) and the `docker compose` CLI (which alone knows how to recreate a service).

mod compose_error;
mod compose_flavor;
mod compose_project_flags;
mod compose_runner;
mod container_info;
mod docker_client;
mod docker_error;
mod health;
mod network_attachment;
mod published_port;
mod readiness;
mod redactor;
mod secret_rebind;
mod service_healthcheck;
mod stack_client;
mod stack_service;

pub use compose_error::ComposeError;
pub use compose_flavor::ComposeFlavor;
pub use compose_project_flags::ComposeProjectFlags;
pub use compose_runner::{ComposeRunner, ORIGINAL_CLI_ENV};
pub use container_info::ContainerInfo;
pub use docker_client::{DockerClient, RUNNING_GRACE};
pub use docker_error::DockerError;
pub use health::Health;
pub use network_attachment::NetworkAttachment;
pub use published_port::PublishedPort;
pub use readiness::Readiness;
pub use redactor::Redactor;
pub use secret_rebind::SecretRebind;
pub use service_healthcheck::service_healthcheck;
pub use stack_client::{LABEL_FINGERPRINT, LABEL_STACK, LABEL_VERSION};
pub use stack_service::{StackSecretRef, StackService, StackTask};

/// Label compose puts on every container with its project name.
pub const LABEL_PROJECT: &str = "com.docker.compose.project";
/// Label with the service name.
pub const LABEL_SERVICE: &str = "com.docker.compose.service";
/// Label that marks `docker compose run` containers (`True`) apart from service containers (`False`).
pub const LABEL_ONEOFF: &str = "com.docker.compose.oneoff";
/// Label with the hash of the service configuration the container was created from.
pub const LABEL_CONFIG_HASH: &str = "com.docker.compose.config-hash";
/// Label with the directory compose ran in (the project directory).
pub const LABEL_WORKING_DIR: &str = "com.docker.compose.project.working_dir";
/// Label with the compose files the container was created from, comma-separated absolute paths.
pub const LABEL_CONFIG_FILES: &str = "com.docker.compose.project.config_files";
