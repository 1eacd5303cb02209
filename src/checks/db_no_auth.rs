//! `db-no-auth`: a database or broker (other than Redis, see `redis-no-auth`) that lets anyone in.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::{Service, StatefulImage};

/// PostgreSQL with `POSTGRES_HOST_AUTH_METHOD=trust`, a MongoDB created with no root user (it then runs without
/// access control), a RabbitMQ left with (or set to) the `guest`/`guest` account, which the official image lets
/// connect from other hosts.
pub struct DbNoAuth;

impl Check for DbNoAuth {
    fn name(&self) -> CheckName {
        CheckName::DbNoAuth
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A database or broker accepts connections without a real password: any container on its network (or \
         anyone, if its port is published) can read and write it. Give PostgreSQL a POSTGRES_PASSWORD and drop \
         POSTGRES_HOST_AUTH_METHOD=trust; create MongoDB's root user (MONGO_INITDB_ROOT_USERNAME and \
         MONGO_INITDB_ROOT_PASSWORD, or their _FILE variants); set RABBITMQ_DEFAULT_USER and RABBITMQ_DEFAULT_PASS \
         to a generated value, all from an env file or a compose secret."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for service in &cx.project.services {
            let Some(family) = StatefulImage::of_service(service).map(|i| i.family) else {
                continue;
            };
            // A required env file that is missing or unreadable may hold the credentials: compose refuses to start
            // the service anyway (env-file-missing says so), and judging its auth from what is left is a guess.
            if service.env_files.iter().any(|b| b.required && !b.exists) {
                continue;
            }
            if let Some((message, key)) = problem(family, service) {
                let finding = self.finding(message).at(&service.declared_in, None).service(&service.name);
                findings.push(match key {
                    Some(key) => finding.key(key),
                    None => finding,
                });
            }
        }
    }
}

/// What is open about `service` of `family`, and the variable responsible when one is.
fn problem(family: &str, service: &Service) -> Option<(String, Option<&'static str>)> {
    let name = &service.name;
    match family {
        "postgres" => {
            value(service, "POSTGRES_HOST_AUTH_METHOD").filter(|v| v.eq_ignore_ascii_case("trust")).map(|_| {
                (
                    format!("postgres service {name} trusts every connection (POSTGRES_HOST_AUTH_METHOD=trust)"),
                    Some("POSTGRES_HOST_AUTH_METHOD"),
                )
            })
        }
        "mongo" => {
            let words = service.command.as_deref().unwrap_or_default();
            let configured =
                words.iter().any(|w| w == "--auth" || w.starts_with("--keyFile") || w.starts_with("--config"))
                    || words.iter().any(|w| w == "-f");
            let root = ["MONGO_INITDB_ROOT_PASSWORD", "MONGO_INITDB_ROOT_PASSWORD_FILE", "MONGODB_ROOT_PASSWORD"]
                .iter()
                .any(|k| value(service, k).is_some());
            (!configured && !root)
                .then(|| (format!("mongo service {name} has no root user, so it runs without access control"), None))
        }
        "rabbitmq" => {
            if value(service, "RABBITMQ_DEFAULT_PASS_FILE").is_some() || value(service, "RABBITMQ_PASSWORD").is_some() {
                return None;
            }
            let user = value(service, "RABBITMQ_DEFAULT_USER").unwrap_or("guest");
            let pass = value(service, "RABBITMQ_DEFAULT_PASS").unwrap_or("guest");
            (user == "guest" && pass == "guest").then(|| {
                (
                    format!("rabbitmq service {name} keeps the default guest/guest account"),
                    Some("RABBITMQ_DEFAULT_PASS"),
                )
            })
        }
        _ => None,
    }
}

/// The non-empty value the container gets for `key`.
fn value<'s>(service: &'s Service, key: &str) -> Option<&'s str> {
    service.env(key).and_then(|v| v.value.as_deref()).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{EnvVar, Origin, Service};

    fn service(image: &str, env: &[(&str, &str)], command: &[&str]) -> Service {
        let mut s = Service::for_test("db", &[]);
        s.image = Some(image.to_string());
        s.environment = env
            .iter()
            .map(|(k, v)| EnvVar {
                key: k.to_string(),
                value: Some(v.to_string()),
                origin: Origin::Inline { file: "compose.yaml".into(), line: None },
            })
            .collect();
        s.command = (!command.is_empty()).then(|| command.iter().map(|w| w.to_string()).collect());
        s
    }

    #[test]
    fn postgres_trust_is_open_and_a_password_is_not() {
        assert!(problem("postgres", &service("postgres:16", &[("POSTGRES_HOST_AUTH_METHOD", "trust")], &[])).is_some());
        assert!(problem("postgres", &service("postgres:16", &[("POSTGRES_PASSWORD", "x")], &[])).is_none());
    }

    #[test]
    fn mongo_needs_a_root_user_or_auth() {
        assert!(problem("mongo", &service("mongo:7", &[], &[])).is_some());
        assert!(problem("mongo", &service("mongo:7", &[("MONGO_INITDB_ROOT_PASSWORD", "x")], &[])).is_none());
        assert!(problem("mongo", &service("mongo:7", &[], &["mongod", "--auth"])).is_none());
    }

    #[test]
    fn rabbitmq_guest_is_open_unless_changed() {
        assert!(problem("rabbitmq", &service("rabbitmq:3", &[], &[])).is_some());
        let guest = [("RABBITMQ_DEFAULT_USER", "guest"), ("RABBITMQ_DEFAULT_PASS", "guest")];
        assert!(problem("rabbitmq", &service("rabbitmq:3", &guest, &[])).is_some());
        let set = [("RABBITMQ_DEFAULT_USER", "app"), ("RABBITMQ_DEFAULT_PASS", "s3cr3t")];
        assert!(problem("rabbitmq", &service("rabbitmq:3", &set, &[])).is_none());
    }
}
