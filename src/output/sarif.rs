//! SARIF 2.1.0 output that GitHub code scanning accepts: one rule per check, stable partial fingerprints.

use serde_json::{Value, json};

use super::Console;
use crate::checks::{Check, Report};

/// The SARIF schema URI written into the log.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Builds the SARIF log of `report`.
pub fn sarif_log(report: &Report, checks: &[Box<dyn Check>]) -> Value {
    let rules: Vec<Value> = checks
        .iter()
        .map(|c| {
            json!({
                "id": c.name().as_str(),
                "name": c.name().as_str(),
                "shortDescription": { "text": first_sentence(c.help()) },
                "fullDescription": { "text": c.help() },
                "help": { "text": c.help() },
                "defaultConfiguration": { "level": c.severity().sarif_level() },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.check.as_str(),
                "ruleIndex": checks.iter().position(|c| c.name() == f.check).unwrap_or(0),
                "level": f.severity.sarif_level(),
                "message": { "text": f.message },
                "partialFingerprints": { "secopsFindingId/v1": f.id },
            });
            if let Some(file) = &f.file {
                let mut location =
                    json!({ "artifactLocation": { "uri": file.display().to_string(), "uriBaseId": "%SRCROOT%" } });
                if let Some(line) = f.line {
                    location["region"] = json!({ "startLine": line });
                }
                result["locations"] = json!([{ "physicalLocation": location }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "docker-secops",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/docker-secops/docker-secops",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

/// Prints the SARIF log of `report`.
pub fn check_sarif(report: &Report, checks: &[Box<dyn Check>]) -> std::io::Result<()> {
    Console::stdout().json(&sarif_log(report, checks))
}

fn first_sentence(text: &str) -> &str {
    text.split_once(". ").map(|(first, _)| first).unwrap_or(text)
}
