//! Printing a check report: grouped by file for humans, the documented JSON, and the list of checks.

use super::{Console, sanitize};
use crate::checks::{Check, Report, Severity, Summary};

/// Prints `report` for a human: findings grouped by file, then one summary line.
pub fn check_human(report: &Report) -> std::io::Result<()> {
    let console = Console::stdout();
    console.write(&human_text(report, &console))
}

/// The human report: per file a heading, then one aligned line per finding, then the summary.
fn human_text(report: &Report, console: &Console) -> String {
    let mut text = String::new();
    let mut current: Option<Option<&std::path::Path>> = None;
    // The message column lines up: the check names are padded to the longest in the report.
    let check_width = report.findings.iter().map(|f| f.check.as_str().len()).max().unwrap_or(0);
    for f in &report.findings {
        let file = f.file.as_deref();
        if current != Some(file) {
            if current.is_some() {
                text.push('\n');
            }
            let heading = file.map(|p| sanitize(&p.display().to_string())).unwrap_or_else(|| "(project)".to_string());
            text.push_str(&console.bold(&heading));
            text.push('\n');
            current = Some(file);
        }
        let severity = match f.severity {
            Severity::Error => console.paint("31", "error  "),
            Severity::Warning => console.paint("33", "warning"),
            Severity::Info => console.paint("36", "info   "),
        };
        let line = f.line.map(|l| format!("{l:>4}")).unwrap_or_else(|| "   -".to_string());
        let fp = f.fingerprint.as_deref().map(|fp| console.dim(&format!("  [{fp}]"))).unwrap_or_default();
        text.push_str(&format!(
            "{line}  {severity}  {}  {}{fp}\n",
            console.dim(&format!("{:<check_width$}", f.check.as_str())),
            sanitize(&f.message)
        ));
    }
    if !report.findings.is_empty() {
        text.push('\n');
    }
    text.push_str(&summary_line(&report.summary));
    text.push('\n');
    text
}

/// `3 errors, 1 warning[, 2 infos] in 1 file`.
pub(super) fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut summary = format!("{}, {}", plural(s.errors, "error"), plural(s.warnings, "warning"));
    if s.infos > 0 {
        summary.push_str(&format!(", {}", plural(s.infos, "info")));
    }
    summary.push_str(&format!(" in {}", plural(s.files, "file")));
    summary
}

/// Prints `report` as the documented JSON document.
pub fn check_json(report: &Report) -> std::io::Result<()> {
    Console::stdout().json(report)
}

/// Prints the checks with their default severity and help.
pub fn check_list(checks: &[Box<dyn Check>]) -> std::io::Result<()> {
    let console = Console::stdout();
    let mut text = String::new();
    for check in checks {
        text.push_str(&format!(
            "{:24} {:8} {}\n",
            console.bold(check.name().as_str()),
            check.severity().as_str(),
            check.help()
        ));
    }
    console.write(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{CheckName, Finding, Severity};

    #[test]
    fn check_messages_line_up_whatever_the_check_name() {
        let findings = vec![
            Finding::new(CheckName::WeakSecret, Severity::Error, "JWT_SECRET_KEY is weak"),
            Finding::new(CheckName::SecretAge, Severity::Info, "REDIS_PASSWORD has no recorded rotation"),
        ];
        let text = human_text(&Report::new(findings), &Console::plain());
        let starts: Vec<usize> =
            text.lines().filter_map(|l| l.find("JWT_SECRET_KEY").or_else(|| l.find("REDIS_PASSWORD"))).collect();
        assert_eq!(starts.len(), 2, "{text}");
        assert_eq!(starts[0], starts[1], "{text}");
    }
}
