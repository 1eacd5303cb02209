//! A container port published on the host.

/// A port binding: container port `container_port/protocol` reachable at `host_ip:host_port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedPort {
    pub container_port: u16,
    pub protocol: String,
    /// The host address it is bound to as the engine reports it (`0.0.0.0`, `::`, `127.0.0.1`, ...).
    pub host_ip: String,
    pub host_port: u16,
}

impl PublishedPort {
    /// Parses one entry of the engine's port map: key `6379/tcp`, binding `HostIp`/`HostPort`.
    pub fn parse(key: &str, host_ip: Option<&str>, host_port: Option<&str>) -> Option<Self> {
        let (port, protocol) = key.split_once('/').unwrap_or((key, "tcp"));
        Some(PublishedPort {
            container_port: port.parse().ok()?,
            protocol: protocol.to_string(),
            host_ip: host_ip.unwrap_or_default().to_string(),
            host_port: host_port?.parse().ok()?,
        })
    }

    /// The address to connect to from this host: a wildcard binding is reached on the loopback address.
    pub fn connect_host(&self) -> String {
        match self.host_ip.as_str() {
            "" | "0.0.0.0" => "127.0.0.1".to_string(),
            "::" => "::1".to_string(),
            ip => ip.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_bindings_are_reached_on_loopback() {
        let p = PublishedPort::parse("6379/tcp", Some("0.0.0.0"), Some("49153")).expect("parses");
        assert_eq!((p.container_port, p.host_port, p.connect_host().as_str()), (6379, 49153, "127.0.0.1"));
        let p = PublishedPort::parse("6379/tcp", Some("::"), Some("49153")).expect("parses");
        assert_eq!(p.connect_host(), "::1");
        let p = PublishedPort::parse("27017/tcp", Some("127.0.0.2"), Some("1")).expect("parses");
        assert_eq!(p.connect_host(), "127.0.0.2");
    }

    #[test]
    fn unpublished_or_garbage_is_none() {
        assert!(PublishedPort::parse("6379/tcp", None, None).is_none());
        assert!(PublishedPort::parse("x/tcp", Some(""), Some("1")).is_none());
    }
}
