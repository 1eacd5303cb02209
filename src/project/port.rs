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
    /// The compose file (and line) that wrote the mapping: an override file's port is reported there.
    pub declared_in: Option<std::path::PathBuf>,
    pub line: Option<usize>,
}

impl Port {
    /// True when `other` publishes the same mapping (wherever it was written).
    pub fn same_mapping(&self, other: &Port) -> bool {
        (&self.host_ip, &self.published, self.target, &self.protocol)
            == (&other.host_ip, &other.published, other.target, &other.protocol)
    }
}
