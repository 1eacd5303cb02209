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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::CheckOptions;
    use crate::project::{Project, ProjectOptions};

    fn flagged(compose: &str) -> Vec<(String, String)> {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("compose.yaml"), compose).expect("write");
        let options = ProjectOptions { working_dir: dir.path().to_path_buf(), ..ProjectOptions::default() };
        let project = Project::load(&options).expect("loads");
        let options =
            CheckOptions { env: None, history: false, max_age_days: 90, now: time::OffsetDateTime::UNIX_EPOCH };
        let cx = Context::build(project, options).expect("context");
        let mut findings = Vec::new();
        SecretInCommand.run(&cx, &mut findings);
        let found: Vec<(String, String)> = secret_arguments(&cx, &cx.project.services[0])
            .into_iter()
            .map(|(f, v, ..)| (f.to_string(), v.to_string()))
            .collect();
        assert_eq!(findings.len(), found.len(), "one finding per (field, variable)");
        found
    }

    #[test]
    fn only_secret_variables_compose_substitutes_are_flagged_once_per_field() {
        let compose = "services:\n  s:\n    image: x\n    command: [\"srv\", \"--port\", \"${PORT:-1}\", \"--pass\", \
                       \"${DB_PASSWORD}\", \"--again\", \"${DB_PASSWORD}\", \"--file\", \"${DB_PASSWORD_FILE}\", \
                       \"$$API_TOKEN\"]\n";
        assert_eq!(flagged(compose), [("command".to_string(), "DB_PASSWORD".to_string())]);
    }
}
