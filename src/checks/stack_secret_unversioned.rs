//! `stack-secret-unversioned`: a `file:` secret whose Swarm object name is fixed, so the next `docker stack
//! deploy` after its file changes fails.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::SecretSource;

/// Swarm secret objects are immutable; a stack only takes a new secret file under a new object name.
pub struct StackSecretUnversioned;

impl Check for StackSecretUnversioned {
    fn name(&self) -> CheckName {
        CheckName::StackSecretUnversioned
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn swarm(&self) -> bool {
        true
    }
    fn help(&self) -> &'static str {
        "A `file:` compose secret deployed as a Swarm stack has a fixed object name (no `name:`, or one without a \
         `${VARIABLE}`). Swarm secret objects are immutable, so after the file changes `docker stack deploy` fails \
         with \"only updates to Labels are allowed\". Version the name, `name: <stack>_<key>_${<KEY>_VERSION:-1}` \
         (a `name:` is used as is, without the stack prefix), or rotate with `docker secops rotate KEY --stack \
         NAME`: it swaps a new versioned object into each service and removes the old one once no service uses \
         it, so the next deploy recreates it from the file. Runs with `check --swarm`."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for info in &cx.secret_files {
            let secret = &info.secret;
            if !matches!(secret.source, SecretSource::File(_)) || !secret.name_variables().is_empty() {
                continue;
            }
            let fixed = match &secret.name {
                Some(name) => format!("its Swarm object name is fixed (`name: {name}`)"),
                None => format!("it has no `name:`, so its Swarm object is always `<stack>_{}`", secret.key),
            };
            let variable = format!("{}_VERSION", secret.key.to_ascii_uppercase().replace(['-', '.'], "_"));
            findings.push(
                self.finding(format!(
                    "secret {key}: {fixed}; Swarm secret objects are immutable, so a `docker stack deploy` after the \
                     file changes fails with \"only updates to Labels are allowed\". Version it, `name: \
                     {stack}_{key}_${{{variable}:-1}}` with the stack's name for `{stack}` (a `name:` gets no stack \
                     prefix), or change the file only with `docker secops rotate {key} --stack NAME`, which swaps a \
                     new versioned object into the services and removes the old one once no service uses it, so the \
                     next deploy recreates it from the file",
                    key = secret.key,
                    stack = cx.project.name,
                ))
                .at(&secret.declared_in, secret.line)
                .key(&secret.key),
            );
        }
    }
}
