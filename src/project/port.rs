//! A published port.

/// A port mapping as compose expands it (a range gives one `Port` per number): `host_ip` is `None` when none is
/// given (all interfaces; an explicit `0.0.0.0` is kept as written), `published` is `None` when Docker picks the host
/// port, and a single target published on a host range keeps the range (`"9090-9091"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    pub host_ip: Option<String>,
    pub published: Option<String>,
    pub target: u16,
    pub protocol: String,
}
