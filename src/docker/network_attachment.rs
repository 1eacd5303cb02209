//! One network a container is attached to, with its address there.

use std::net::IpAddr;

/// A container's endpoint on one network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkAttachment {
    /// The network name (compose names them `<project>_<network>`).
    pub network: String,
    /// The container's IPv4 (or IPv6) address on it, when it has one (a stopped container has none).
    pub ip: Option<IpAddr>,
}

impl NetworkAttachment {
    /// Builds an attachment, dropping an empty or unparsable address.
    pub fn new(network: impl Into<String>, ip: Option<&str>) -> Self {
        let ip = ip.filter(|s| !s.is_empty()).and_then(|s| s.parse().ok());
        NetworkAttachment { network: network.into(), ip }
    }

    /// True when the network belongs to compose project `project` (`<project>_...`).
    pub fn belongs_to(&self, project: &str) -> bool {
        self.network.strip_prefix(project).is_some_and(|rest| rest.starts_with('_'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_address_is_none_and_project_prefix_needs_underscore() {
        let a = NetworkAttachment::new("shop_default", Some(""));
        assert_eq!(a.ip, None);
        assert!(a.belongs_to("shop"));
        assert!(!a.belongs_to("sho"));
        let b = NetworkAttachment::new("bridge", Some("172.17.0.2"));
        assert_eq!(b.ip.map(|ip| ip.to_string()).as_deref(), Some("172.17.0.2"));
        assert!(!b.belongs_to("shop"));
    }
}
