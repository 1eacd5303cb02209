//! Where to reach a store from this machine: a URI given by hand, else its published port, else its container's
//! address on the project network (only when the engine runs here), else an error that names the flag to use.

use std::fmt;

use super::{AddressError, StoreKind};
use crate::docker::ContainerInfo;

/// The flag that gives a store's address by hand.
pub const URI_FLAG: &str = "--store-uri";

/// The address a probe connects to. `Debug` and `Display` never show a user or password of a URI.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreAddress {
    /// `--store-uri` (or its aliases `--redis-uri`, `--mongo-uri`). Credentials in it are ignored: the probe tests the env files' credential.
    Uri(String),
    /// A host and port found from the container; `via` says how, for output.
    Tcp { host: String, port: u16, via: String },
}

impl StoreAddress {
    /// Resolves the address of `kind` service `service` of compose project `project`, whose container (if any)
    /// is `container`, on the engine at `engine_host` (the resolved Docker endpoint).
    pub fn resolve(
        kind: StoreKind,
        service: &str,
        container: Option<&ContainerInfo>,
        project: &str,
        engine_host: &str,
        uri: Option<&str>,
    ) -> Result<Self, AddressError> {
        if let Some(uri) = uri {
            return Self::from_uri(kind, uri);
        }
        let flag = URI_FLAG;
        let Some(container) = container else {
            return Err(AddressError::NoContainer { service: service.to_string(), flag });
        };
        if !container.is_running() {
            return Err(AddressError::NotRunning { service: service.to_string(), state: container.state.clone() });
        }
        let port = kind.info().default_port;
        let remote = remote_host(engine_host);
        if let Some(published) = container.published_tcp(port) {
            let host = match &remote {
                None => Some(published.connect_host()),
                // A port bound to the remote machine's loopback is out of our reach.
                Some(_) if published.host_ip.starts_with("127.") || published.host_ip == "::1" => None,
                Some(remote) => Some(remote.clone()),
            };
            if let Some(host) = host {
                let via = format!("published port {host}:{}", published.host_port);
                return Ok(StoreAddress::Tcp { host, port: published.host_port, via });
            }
        }
        if remote.is_none() {
            let on_project = container.networks.iter().filter(|n| n.belongs_to(project));
            let attachment = on_project.chain(container.networks.iter()).find(|n| n.ip.is_some());
            if let Some((network, Some(ip))) = attachment.map(|n| (&n.network, n.ip)) {
                let via = format!("container address on network {network}");
                return Ok(StoreAddress::Tcp { host: ip.to_string(), port, via });
            }
        }
        Err(AddressError::NoRoute { service: service.to_string(), port, flag })
    }

    /// Checks a hand-given URI's scheme.
    pub fn from_uri(kind: StoreKind, uri: &str) -> Result<Self, AddressError> {
        let schemes = kind.info().schemes;
        let ok = uri.split_once("://").is_some_and(|(scheme, rest)| schemes.contains(&scheme) && !rest.is_empty());
        if ok {
            Ok(StoreAddress::Uri(uri.to_string()))
        } else {
            Err(AddressError::BadUri {
                flag: URI_FLAG,
                uri: without_userinfo(uri),
                scheme: schemes.first().copied().unwrap_or("?"),
            })
        }
    }
}

impl fmt::Display for StoreAddress {
    /// The address without any user or password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreAddress::Uri(uri) => f.write_str(&without_userinfo(uri)),
            StoreAddress::Tcp { host, port, .. } if host.contains(':') => write!(f, "[{host}]:{port}"),
            StoreAddress::Tcp { host, port, .. } => write!(f, "{host}:{port}"),
        }
    }
}

impl fmt::Debug for StoreAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreAddress::Uri(_) => write!(f, "Uri({self})"),
            StoreAddress::Tcp { via, .. } => write!(f, "Tcp({self} via {via})"),
        }
    }
}

/// The host of a remote engine (`tcp://h:2376`, `ssh://me@h`): published ports are reached there. `None` for a
/// local socket, where published ports are on the loopback and container addresses are routable.
fn remote_host(engine_host: &str) -> Option<String> {
    let (scheme, rest) = engine_host.split_once("://")?;
    if !matches!(scheme, "tcp" | "http" | "https" | "ssh") {
        return None;
    }
    let authority = rest.split('/').next().unwrap_or(rest);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => host_port.split(':').next().unwrap_or(host_port),
    };
    let local = matches!(host, "" | "localhost" | "::1") || host.starts_with("127.");
    (!local).then(|| host.to_string())
}

/// `scheme://user:pass@host/...` without `user:pass@`.
pub(crate) fn without_userinfo(uri: &str) -> String {
    let Some((scheme, rest)) = uri.split_once("://") else { return uri.to_string() };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => uri.to_string(),
    }
}

#[cfg(test)]
#[path = "store_address_tests.rs"]
mod tests;
