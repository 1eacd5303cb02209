//! `redis-no-auth`: a Redis that accepts anyone.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::StatefulImage;

/// A redis service started with neither `--requirepass`, an ACL file, a config file, nor the image's password
/// variable (`REDIS_PASSWORD` for bitnami).
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
            let family = service.image.as_deref().and_then(StatefulImage::of).map(|i| i.family);
            if !matches!(family, Some("redis" | "valkey")) {
                continue;
            }
            let words = service.command.as_deref().unwrap_or_default();
            let configured = words.iter().any(|w| {
                w.contains("requirepass") || w.contains("--aclfile") || w.contains("--user") || w.ends_with(".conf")
            });
            let by_env = service.env("REDIS_PASSWORD").and_then(|v| v.value.as_deref()).is_some_and(|v| !v.is_empty());
            if !configured && !by_env {
                findings.push(
                    self.finding(format!("redis service {} starts without a password or ACL", service.name))
                        .at(&service.declared_in, None)
                        .service(&service.name),
                );
            }
        }
    }
}
