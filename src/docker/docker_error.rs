//! Failures talking to the Docker engine, each with a message that says what we were doing and for which service.
//! The engine's own error is the `source`, printed as the cause.

/// A failed Docker engine call.
#[derive(Debug, thiserror::Error)]
pub enum DockerError {
    /// The endpoint's scheme is not one we can speak.
    #[error("cannot talk to the Docker engine at {host}: unsupported address scheme (use unix://, tcp:// or ssh://)")]
    UnsupportedHost { host: String },
    /// The client could not be set up (bad TLS material, unreadable socket path, ...).
    #[error("cannot connect to the Docker engine at {host} (context {context})")]
    Connect { host: String, context: String, source: bollard::errors::Error },
    /// The engine did not answer the version handshake: usually not running, or no permission on the socket.
    #[error("the Docker engine at {host} (context {context}) does not answer: is it running, and may you use it?")]
    Unreachable { host: String, context: String, source: bollard::errors::Error },
    /// Listing a project's containers failed.
    #[error("cannot list the containers of compose project {project:?}")]
    List { project: String, source: bollard::errors::Error },
    /// Inspecting a service's container failed.
    #[error("cannot inspect container {container} of service {service}")]
    Inspect { service: String, container: String, source: bollard::errors::Error },
    /// Reading a service container's logs failed.
    #[error("cannot read the logs of container {container} of service {service}")]
    Logs { service: String, container: String, source: bollard::errors::Error },
    /// Reading a file out of a container (the archive endpoint) failed.
    #[error("cannot read {path} in container {container} of service {service}")]
    ReadFile { service: String, container: String, path: String, source: std::io::Error },
    /// Listing a Swarm stack's services or tasks failed (not a Swarm manager, or no such stack).
    #[error("cannot list the services of stack {stack:?} (is this engine a Swarm manager?)")]
    Stack { stack: String, source: bollard::errors::Error },
    /// Inspecting or updating a Swarm service failed.
    #[error("cannot update Swarm service {service}")]
    ServiceUpdate { service: String, source: bollard::errors::Error },
    /// Creating, inspecting, listing or removing a Swarm secret object failed.
    #[error("cannot {action} Swarm secret object {name}")]
    SecretObject { action: &'static str, name: String, source: bollard::errors::Error },
    /// A docker CLI call about a Swarm service failed (see `service_healthcheck`).
    #[error("cannot read Swarm service {service}: {message}")]
    ServiceCli { service: String, message: String },
    /// Stopping a container failed (tests and later rotation steps).
    #[error("cannot stop container {container} of service {service}")]
    Stop { service: String, container: String, source: bollard::errors::Error },
}
