//! Printing a check report: grouped by file for humans, the documented JSON, and the list of checks.

use super::{Console, sanitize};
use crate::checks::{Check, CheckName, Finding, Report, Severity, Summary};

/// Prints `report` for a human: findings grouped by file, then one summary line.
pub fn check_human(report: &Report) -> std::io::Result<()> {
    let console = Console::stdout();
    console.write(&human_text(report, &console))
}

/// The human report: per file a heading, then one aligned line per finding, then one line for the secrets of
/// unknown age (one info each would bury the rest; JSON keeps them all), then the summary.
fn human_text(report: &Report, console: &Console) -> String {
    let mut text = String::new();
    let mut current: Option<Option<&std::path::Path>> = None;
    let unknown_age = |f: &&Finding| f.check == CheckName::SecretAge && f.severity == Severity::Info;
    let (unknown, shown): (Vec<&Finding>, Vec<&Finding>) = report.findings.iter().partition(unknown_age);
    // The message column lines up: the check names are padded to the longest in the report.
    let check_width = shown.iter().map(|f| f.check.as_str().len()).max().unwrap_or(0);
    for f in shown {
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
    if !unknown.is_empty() {
        if current.is_some() {
            text.push('\n');
        }
        let mut keys: Vec<&str> = unknown.iter().filter_map(|f| f.key.as_deref()).collect();
        keys.sort_unstable();
        keys.dedup();
        let noun = if keys.len() == 1 { "secret has" } else { "secrets have" };
        text.push_str(&format!(
            "{}  {} {noun} no recorded rotation, age unknown: {} (one info each in --format json)\n",
            console.paint("36", "info"),
            keys.len(),
            sanitize(&keys.join(", "))
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
    fn secrets_of_unknown_age_are_one_line() {
        let unknown = |key: &str| {
            let mut f = Finding::new(CheckName::SecretAge, Severity::Info, format!("{key} has no recorded rotation"));
            f.key = Some(key.to_string());
            f
        };
        let findings = vec![
            Finding::new(CheckName::WeakSecret, Severity::Error, "JWT_SECRET_KEY is weak"),
            unknown("REDIS_PASSWORD"),
            unknown("JWT_SECRET_KEY"),
        ];
        let text = human_text(&Report::new(findings), &Console::plain());
        assert!(!text.contains("has no recorded rotation"), "{text}");
        assert!(
            text.contains("2 secrets have no recorded rotation, age unknown: JWT_SECRET_KEY, REDIS_PASSWORD"),
            "{text}"
        );
        assert!(text.contains("1 error, 0 warnings, 2 infos"), "{text}");
    }

    #[test]
    fn check_messages_line_up_whatever_the_check_name() {
        let findings = vec![
            Finding::new(CheckName::WeakSecret, Severity::Error, "JWT_SECRET_KEY is weak"),
            Finding::new(CheckName::SecretAge, Severity::Warning, "REDIS_PASSWORD was last rotated 120 days ago"),
        ];
        let text = human_text(&Report::new(findings), &Console::plain());
        let starts: Vec<usize> =
            text.lines().filter_map(|l| l.find("JWT_SECRET_KEY").or_else(|| l.find("REDIS_PASSWORD"))).collect();
        assert_eq!(starts.len(), 2, "{text}");
        assert_eq!(starts[0], starts[1], "{text}");
    }
}
