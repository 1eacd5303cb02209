//! Service port syntax: short strings (`127.0.0.1:8080:80/tcp`, ranges) as Docker's `nat.ParsePortSpec` reads
//! them, and the long mapping form.

use super::Port;
use super::node::Node;

/// Reads one `ports:` item into the ports it publishes (a range gives one port per number, as compose expands it).
/// `Err` carries what is wrong.
pub(crate) fn parse_port(node: &Node) -> Result<Vec<Port>, String> {
    if let Some(map) = node.as_map() {
        let text = |key: &str| map.get(key).and_then(Node::as_str).map(str::to_string);
        let target = text("target").ok_or("a long-syntax port needs `target`")?;
        let target = target.parse::<u16>().map_err(|_| format!("invalid target port {target:?}"))?;
        return Ok(vec![Port {
            host_ip: text("host_ip").filter(|s| !s.is_empty()),
            published: text("published").filter(|s| !s.is_empty()),
            target,
            protocol: text("protocol").unwrap_or_else(|| "tcp".to_string()),
            declared_in: None,
            line: None,
        }]);
    }
    let spec = node.as_str().ok_or("a port must be a string, a number or a mapping")?;
    parse_short_port(spec)
}

/// Parses `[[ip:]published:]target[/protocol]` where `published` and `target` may be ranges (`8000-8001`).
pub(crate) fn parse_short_port(spec: &str) -> Result<Vec<Port>, String> {
    let (raw, protocol) = match spec.rsplit_once('/') {
        Some((raw, protocol)) => (raw, protocol.to_string()),
        None => (spec, "tcp".to_string()),
    };
    let parts: Vec<&str> = raw.split(':').collect();
    let n = parts.len();
    let container = parts[n - 1];
    let (ip, host) = match n {
        1 => (String::new(), ""),
        2 => (String::new(), parts[0]),
        3 => (parts[0].to_string(), parts[1]),
        _ => (parts[..n - 2].join(":"), parts[n - 2]),
    };
    let ip = ip.strip_prefix('[').and_then(|s| s.strip_suffix(']')).map(str::to_string).unwrap_or(ip);
    let (start, end) = range(container).ok_or_else(|| format!("invalid container port {container:?} in {spec:?}"))?;
    let host_range = if host.is_empty() {
        None
    } else {
        Some(range(host).ok_or_else(|| format!("invalid host port {host:?} in {spec:?}"))?)
    };
    if let Some((host_start, host_end)) = host_range
        && end - start != host_end - host_start
        && end != start
    {
        return Err(format!("invalid ranges for container and host ports in {spec:?}"));
    }
    let mut ports = Vec::new();
    for offset in 0..=(end - start) {
        let published = host_range.map(|(host_start, host_end)| {
            if end == start && host_start != host_end {
                format!("{host_start}-{host_end}")
            } else {
                (host_start + offset).to_string()
            }
        });
        let target = u16::try_from(start + offset).map_err(|_| format!("port out of range in {spec:?}"))?;
        let host_ip = (!ip.is_empty()).then(|| ip.clone());
        ports.push(Port { host_ip, published, target, protocol: protocol.clone(), declared_in: None, line: None });
    }
    Ok(ports)
}

/// `80` -> (80, 80); `8000-8005` -> (8000, 8005).
fn range(text: &str) -> Option<(u32, u32)> {
    let (start, end) = text.split_once('-').unwrap_or((text, text));
    let (start, end) = (start.parse::<u32>().ok()?, end.parse::<u32>().ok()?);
    (start <= end && end <= u32::from(u16::MAX)).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(ip: Option<&str>, published: Option<&str>, target: u16, protocol: &str) -> Port {
        Port {
            host_ip: ip.map(Into::into),
            published: published.map(Into::into),
            target,
            protocol: protocol.into(),
            declared_in: None,
            line: None,
        }
    }

    #[test]
    fn short_forms_match_compose() {
        assert_eq!(
            parse_short_port("127.0.0.1:8080:80/tcp"),
            Ok(vec![port(Some("127.0.0.1"), Some("8080"), 80, "tcp")])
        );
        assert_eq!(parse_short_port("53:53/udp"), Ok(vec![port(None, Some("53"), 53, "udp")]));
        assert_eq!(parse_short_port("5000"), Ok(vec![port(None, None, 5000, "tcp")]));
        assert_eq!(parse_short_port("127.0.0.1::5001"), Ok(vec![port(Some("127.0.0.1"), None, 5001, "tcp")]));
        assert_eq!(parse_short_port("[::1]:6000:6000"), Ok(vec![port(Some("::1"), Some("6000"), 6000, "tcp")]));
    }

    #[test]
    fn ranges_expand() {
        let targets: Vec<u16> = parse_short_port("3000-3002").expect("ok").iter().map(|p| p.target).collect();
        assert_eq!(targets, [3000, 3001, 3002]);
        assert_eq!(
            parse_short_port("8000-8001:9000-9001"),
            Ok(vec![port(None, Some("8000"), 9000, "tcp"), port(None, Some("8001"), 9001, "tcp")])
        );
        assert_eq!(parse_short_port("9090-9091:8080"), Ok(vec![port(None, Some("9090-9091"), 8080, "tcp")]));
        assert!(parse_short_port("9999:9999-10000").is_err());
        assert!(parse_short_port("http").is_err());
    }
}
