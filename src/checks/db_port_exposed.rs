//! `db-port-exposed`: a database port published on all interfaces.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::StatefulImage;

/// Database ports reachable from every network the host is on.
pub struct DbPortExposed;

impl Check for DbPortExposed {
    fn name(&self) -> CheckName {
        CheckName::DbPortExposed
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "A database port is published on all interfaces (`27017:27017`), so anyone who can reach the host can try \
         its credentials, and Docker's iptables rules bypass ufw. Publish on 127.0.0.1 (`127.0.0.1:27017:27017`) \
         or not at all: services on the compose network reach it by name."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for service in &cx.project.services {
            let Some(image) = StatefulImage::of_service(service) else { continue };
            for port in &service.ports {
                let all_interfaces = matches!(port.host_ip.as_deref(), None | Some("0.0.0.0") | Some("::") | Some(""));
                if port.published.is_some() && all_interfaces {
                    findings.push(
                        self.finding(format!(
                            "{} port {} of service {} is published on all interfaces",
                            image.family,
                            port.published.as_deref().unwrap_or_default(),
                            service.name
                        ))
                        .at(port.declared_in.as_deref().unwrap_or(&service.declared_in), port.line)
                        .service(&service.name),
                    );
                }
            }
        }
    }
}
