//! Printing generated credentials: the one place values are printed by design (the user asked for them).

use serde::Serialize;

use super::Console;
use crate::secret::{Secret, SecretKind};

/// One generated credential.
pub struct Generated {
    pub kind: SecretKind,
    pub secret: Secret,
}

#[derive(Serialize)]
struct GeneratedJson<'a> {
    kind: SecretKind,
    length: usize,
    value: &'a str,
    fingerprint: String,
}

/// Prints `items`: JSON, the runbook's labelled pair (`labelled`), or bare values one per line (for scripts).
pub fn generated(items: &[Generated], json: bool, labelled: bool) -> std::io::Result<()> {
    let console = Console::stdout();
    if json {
        let list: Vec<GeneratedJson> = items
            .iter()
            .map(|g| GeneratedJson {
                kind: g.kind,
                length: g.secret.len(),
                value: g.secret.expose(),
                fingerprint: g.secret.fingerprint(),
            })
            .collect();
        return console.json(&serde_json::json!({ "secrets": list }));
    }
    let mut text = String::new();
    if labelled {
        text.push_str(&console.bold("Secure Credential Generator"));
        text.push('\n');
        for (i, g) in items.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&format!("{} ({} chars):\n{}\n", g.kind.label(), g.secret.len(), g.secret.expose()));
        }
    } else {
        for g in items {
            text.push_str(g.secret.expose());
            text.push('\n');
        }
    }
    console.write(&text)
}
