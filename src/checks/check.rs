//! The trait every check implements (one check per file, like dotenv-linter's).

use super::{CheckName, Context, Finding, Severity};

/// One audit rule. `Sync`: [`super::run`] may run a check on a thread of its own.
pub trait Check: Sync {
    /// The stable name.
    fn name(&self) -> CheckName;
    /// The severity of its findings unless the check says otherwise for one finding.
    fn severity(&self) -> Severity;
    /// One paragraph for SARIF rule help and `check --list`: what it finds, why it matters, how to fix it.
    fn help(&self) -> &'static str;
    /// True for a check that judges the files as a Swarm stack (`docker stack deploy`): it runs with `check
    /// --swarm` or when `--only` names it, since an offline audit cannot tell whether a file is deployed as one.
    fn swarm(&self) -> bool {
        false
    }
    /// Appends its findings for the project in `cx`.
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>);
    /// True for a check whose work is long and its own (the history scan): it runs on a thread of its own beside
    /// the other checks, so that both cores work. Its findings are the same either way.
    fn runs_apart(&self) -> bool {
        false
    }

    /// A finding of this check at its default severity.
    fn finding(&self, message: String) -> Finding {
        Finding::new(self.name(), self.severity(), message)
    }
}
