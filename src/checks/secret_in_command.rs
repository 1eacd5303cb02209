//! `secret-in-command`: a secret's value interpolated into a command line, a healthcheck or a build argument.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::Service;

/// Compose substitutes `${VAR}` in `command`, `entrypoint`, `healthcheck.test` and `build.args` before the
/// container exists, so the secret lands in `docker inspect`, in `ps` on the host, or in the image history.
/// `$$VAR` is left for the container's shell and is not flagged.
pub struct SecretInCommand;

impl Check for SecretInCommand {
    fn name(&self) -> CheckName {
        CheckName::SecretInCommand
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A secret is interpolated by compose into a command, entrypoint, healthcheck or build argument: its value \
         shows in `docker inspect`, in `ps` on the host, or in the image history. Pass it in the environment and \
         let the container expand it (`$$VAR` inside `sh -c`), or use the client's password variable or file \
         (REDISCLI_AUTH, MYSQL_PWD, PGPASSWORD, a `*_FILE` variable); for builds use a build secret."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for service in &cx.project.services {
            for (field, variable, file, line) in secret_arguments(cx, service) {
                findings.push(
                    self.finding(format!(
                        "{variable} is interpolated into {field} of service {}: its value is visible outside the \
                         container",
                        service.name
                    ))
                    .at(file, line)
                    .service(&service.name)
                    .key(variable),
                );
            }
        }
    }
}

type Argument<'s> = (&'s str, &'s str, &'s std::path::Path, Option<usize>);

/// The secret variables of `service`'s arguments, each (field, variable) once.
fn secret_arguments<'s>(cx: &Context, service: &'s Service) -> Vec<Argument<'s>> {
    let mut out: Vec<Argument<'s>> = Vec::new();
    for arg in &service.argument_variables {
        if !cx.rule.is_secret_name(&arg.variable) {
            continue;
        }
        if !out.iter().any(|(f, v, ..)| *f == arg.field && *v == arg.variable) {
            out.push((&arg.field, &arg.variable, &arg.file, arg.line));
        }
    }
    out
}
