//! A published port.

/// A port mapping: `host_ip` is `None` when it binds all interfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    pub host_ip: Option<String>,
    pub published: Option<String>,
    pub target: u16,
    pub protocol: String,
}
