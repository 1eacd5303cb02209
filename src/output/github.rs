//! GitHub Actions workflow commands: one `::error file=F,line=N,title=T::message` line per finding, which the
//! runner turns into annotations on the pull request, for repositories without code scanning (SARIF).
//!
//! Syntax (docs.github.com, "Workflow commands for GitHub Actions"): `::LEVEL k=v,k=v::message`, LEVEL one of
//! `error`, `warning`, `notice`; in the message `%`, CR and LF are escaped as `%25`, `%0D`, `%0A`, and in property
//! values `:` and `,` too (`%3A`, `%2C`).

use super::Console;
use crate::checks::{Report, Severity};

/// Prints `report` as workflow commands, then the summary as a plain log line.
pub fn check_github(report: &Report) -> std::io::Result<()> {
    Console::stdout().write(&github_lines(report))
}

/// The workflow-command text of `report`.
pub fn github_lines(report: &Report) -> String {
    let mut text = String::new();
    for f in &report.findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = Vec::new();
        if let Some(file) = &f.file {
            properties.push(format!("file={}", property(&file.display().to_string())));
            if let Some(line) = f.line {
                properties.push(format!("line={line}"));
            }
        }
        properties.push(format!("title={}", property(&format!("docker-secops {}", f.check.as_str()))));
        let fingerprint = f.fingerprint.as_deref().map(|fp| format!(" [{fp}]")).unwrap_or_default();
        text.push_str(&format!(
            "::{level} {}::{}\n",
            properties.join(","),
            data(&format!("{}{fingerprint}", f.message))
        ));
    }
    text.push_str(&format!("docker-secops check: {}\n", super::check::summary_line(&report.summary)));
    text
}

/// A message, escaped (control characters other than line breaks become `?`, as everywhere we print).
fn data(text: &str) -> String {
    let text = text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    super::sanitize(&text)
}

/// A property value, escaped.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{CheckName, Finding};

    #[test]
    fn lines_match_the_documented_workflow_command_syntax() {
        let findings = vec![
            Finding::new(CheckName::WeakSecret, Severity::Error, "REDIS_PASSWORD is weak: 8 characters, 100%\nreally")
                .at(std::path::Path::new("envs/a,b:c.env"), Some(3)),
            Finding::new(CheckName::ExampleDrift, Severity::Warning, "X is missing")
                .at(std::path::Path::new("e"), None),
            Finding::new(CheckName::SecretAge, Severity::Info, "no recorded rotation"),
        ];
        let text = github_lines(&Report::new(findings));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "::error file=envs/a%2Cb%3Ac.env,line=3,title=docker-secops weak-secret::REDIS_PASSWORD is weak: 8 \
             characters, 100%25%0Areally"
        );
        assert_eq!(lines[1], "::warning file=e,title=docker-secops example-drift::X is missing");
        assert_eq!(lines[2], "::notice title=docker-secops secret-age::no recorded rotation");
        // Every command line: `::` level, space, comma-separated k=v properties, `::`, a message with no raw break.
        let syntax = |l: &str| {
            let Some(rest) = l.strip_prefix("::") else { return false };
            let Some((head, message)) = rest.split_once("::") else { return false };
            let Some((level, props)) = head.split_once(' ') else { return false };
            ["error", "warning", "notice"].contains(&level)
                && props
                    .split(',')
                    .all(|p| p.split_once('=').is_some_and(|(k, _)| ["file", "line", "title"].contains(&k)))
                && !message.contains('\r')
        };
        assert!(lines[..3].iter().all(|l| syntax(l)), "{text}");
        assert_eq!(lines[3], "docker-secops check: 1 error, 1 warning, 1 info in 2 files");
    }
}
