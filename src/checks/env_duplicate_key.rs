//! `env-duplicate-key`: a key set twice in one env file.

use super::{Check, CheckName, Context, Finding, Severity};

/// Keys assigned more than once: the last wins, and the first is a trap for whoever edits it.
pub struct EnvDuplicateKey;

impl Check for EnvDuplicateKey {
    fn name(&self) -> CheckName {
        CheckName::EnvDuplicateKey
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "A key is assigned twice in one env file. Compose uses the last value, so editing the first one changes \
         nothing. Remove the earlier line."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for file in cx.env_files.iter().chain(cx.templates.iter().map(|(t, _)| t)) {
            let Some(doc) = &file.doc else { continue };
            let mut first: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
            for entry in doc.entries() {
                match first.get(entry.key.as_str()) {
                    Some(&line) => findings.push(
                        self.finding(format!(
                            "{} is set on line {line} and again on line {}; the last one wins",
                            entry.key, entry.line
                        ))
                        .at(&file.path, Some(entry.line))
                        .key(&entry.key),
                    ),
                    None => {
                        first.insert(&entry.key, entry.line);
                    }
                }
            }
        }
    }
}
