//! Why a store's address could not be worked out.

/// No way to reach a store from here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// The engine could not list the service's containers.
    #[error("cannot find the container of service {service}: {reason}")]
    Engine { service: String, reason: String },
    /// The service has no container (never created, or removed).
    #[error("service {service} has no container; start it, or pass {flag}")]
    NoContainer { service: String, flag: &'static str },
    /// The container exists but is not running.
    #[error("the container of service {service} is {state}")]
    NotRunning { service: String, state: String },
    /// Neither a published port nor a container address we can use.
    #[error(
        "port {port} of service {service} is not published on the host and its container address is not reachable \
         from here; publish the port or pass {flag}"
    )]
    NoRoute { service: String, port: u16, flag: &'static str },
    /// `--store-uri` is not a URI of the store it is used for.
    #[error("{flag} {uri:?} is not a {scheme}:// URI")]
    BadUri { flag: &'static str, uri: String, scheme: &'static str },
    /// `--store-uri` with a scheme no store kind serves.
    #[error("--store-uri {uri:?}: no store serves this scheme (known: {schemes})")]
    UnknownScheme { uri: String, schemes: String },
}
