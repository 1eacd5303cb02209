//! `redis-no-auth`: a Redis that accepts anyone.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::StatefulImage;

/// A redis service started with neither `--requirepass`, an ACL file, a config file, a password variable in its
/// command or entrypoint, nor a redis password variable for its image or entrypoint (`REDIS_PASSWORD` for bitnami).
pub struct RedisNoAuth;

impl Check for RedisNoAuth {
    fn name(&self) -> CheckName {
        CheckName::RedisNoAuth
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A redis service starts with no password and no ACL: any container on its network (or anyone, if its \
         port is published) can read and write it. Give it a password that never reaches a command line: keep \
         REDIS_PASSWORD in an env file or secret and feed redis a config on stdin from inside the container, \
         `sh -c 'exec redis-server - <<EOF\\nrequirepass \"$$REDIS_PASSWORD\"\\nEOF'` (`$$` leaves the expansion \
         to the container's shell), or mount a config or ACL file. Not `--requirepass ${REDIS_PASSWORD}`: compose \
         would put the value in `docker inspect` and `ps`."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for service in &cx.project.services {
            let family = StatefulImage::of_service(service).map(|i| i.family);
            if !matches!(family, Some("redis" | "valkey")) {
                continue;
            }
            let words = service.command.as_deref().unwrap_or_default();
            let configured = words.iter().any(|w| {
                w.contains("requirepass") || w.contains("--aclfile") || w.contains("--user") || w.ends_with(".conf")
            });
            if !configured && !password_passed(service) {
                findings.push(
                    self.finding(format!("redis service {} starts without a password or ACL", service.name))
                        .at(&service.declared_in, None)
                        .service(&service.name),
                );
            }
        }
    }
}

/// True when a password reaches the server some other way than its command words: a password variable
/// interpolated into `command` or `entrypoint` (`--requirepass "$REDIS_HOST_PASSWORD"`), or a redis password
/// variable set for a wrapper image or entrypoint script to apply (`REDIS_PASSWORD` for bitnami,
/// `REDIS_HOST_PASSWORD`, `REDISPASS`).
fn password_passed(service: &crate::project::Service) -> bool {
    let is_password = |key: &str| key.to_ascii_uppercase().contains("PASS");
    let in_arguments = service
        .argument_variables
        .iter()
        .any(|a| matches!(a.field.as_str(), "command" | "entrypoint") && is_password(&a.variable));
    let in_env = service.environment.iter().any(|v| {
        let upper = v.key.to_ascii_uppercase();
        (upper.contains("REDIS") || upper.contains("VALKEY"))
            && is_password(&upper)
            // Set, or read from a variable (an unset one is `undefined-variable`'s and `weak-secret`'s finding).
            && (v.value.as_deref().is_some_and(|v| !v.is_empty())
                || matches!(v.origin, crate::project::Origin::Interpolated { .. }))
    });
    in_arguments || in_env
}
