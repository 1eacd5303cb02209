//! `example-drift`: an env file and its `.example` template disagree on keys.

use std::collections::BTreeSet;

use super::{Check, CheckName, Context, Finding, Severity};

/// Keys in the template missing from the real file (a deploy will miss them) and keys in the real file missing from
/// the template (the next person will not know they exist).
pub struct ExampleDrift;

impl Check for ExampleDrift {
    fn name(&self) -> CheckName {
        CheckName::ExampleDrift
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "An env file and its .example template list different keys. A key only in the template is missing from \
         the deployment (the app may fail or fall back to a default); a key only in the real file is undocumented \
         for the next environment. Add the missing keys."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for (template, real_path) in &cx.templates {
            let (Some(tdoc), Some(rdoc)) = (&template.doc, cx.env_file(real_path).and_then(|f| f.doc.as_ref())) else {
                continue;
            };
            let real_keys: BTreeSet<&str> = rdoc.entries().iter().map(|e| e.key.as_str()).collect();
            let template_keys: BTreeSet<&str> = tdoc.entries().iter().map(|e| e.key.as_str()).collect();
            let real_name = real_path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
            for entry in tdoc.entries().iter().filter(|e| !real_keys.contains(e.key.as_str())) {
                findings.push(
                    self.finding(format!("{} is in the template but missing from {real_name}", entry.key))
                        .at(real_path, None)
                        .key(&entry.key),
                );
            }
            for entry in rdoc.entries().iter().filter(|e| !template_keys.contains(e.key.as_str())) {
                findings.push(
                    self.finding(format!("{} is in {real_name} but missing from its template", entry.key))
                        .at(&template.path, None)
                        .key(&entry.key),
                );
            }
        }
    }
}
