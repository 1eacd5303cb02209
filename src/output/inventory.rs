//! Printing the inventory: a table per service of its secret keys and their origins, or the JSON document.

use super::{Console, display_path};
use crate::inventory::{Inventory, SecretEntry, SecretOrigin, Source};

/// Prints `inv` as JSON or as human tables.
pub fn inventory(inv: &Inventory, json: bool) -> std::io::Result<()> {
    let console = Console::stdout();
    if json {
        return console.json(inv);
    }
    let mut text = format!("{} {}\n", console.bold("project"), inv.project);
    for service in &inv.services {
        text.push('\n');
        let image = service.image.as_deref().unwrap_or("(no image)");
        text.push_str(&format!("{}  {}\n", console.bold(&service.name), console.dim(image)));
        for file in &service.env_files {
            let state = match (file.exists, file.readable, file.required) {
                (true, true, _) => console.paint("32", "exists"),
                (true, false, _) => console.paint("31", "UNREADABLE"),
                (false, _, true) => console.paint("31", "MISSING"),
                (false, _, false) => console.dim("absent, optional"),
            };
            text.push_str(&format!("  env_file {} ({state})\n", display_path(&file.path)));
        }
        for secret in &service.secrets {
            text.push_str(&format!("  secret   {}\n", secret_line(secret, &console)));
        }
        let secrets: Vec<_> = service.environment.iter().filter(|k| k.secret).collect();
        let others = service.environment.len() - secrets.len();
        if secrets.is_empty() {
            text.push_str(&format!("  no secret keys ({others} other keys)\n"));
            continue;
        }
        let width = secrets.iter().map(|k| k.key.len()).max().unwrap_or(0).max(3);
        for key in secrets {
            let source = match key.source {
                Source::EnvFile => "env_file",
                Source::Inline => "inline",
                Source::Interpolated => "interpolated",
            };
            let from = match (&key.file, key.line) {
                (Some(f), Some(l)) => format!("{}:{l}", display_path(f)),
                (Some(f), None) => display_path(f),
                _ => "environment".to_string(),
            };
            let via = key.variable.as_deref().map(|v| format!(" via ${{{v}}}")).unwrap_or_default();
            let fp = key.fingerprint.as_deref().unwrap_or("unset");
            text.push_str(&format!("  {:width$}  {}  {:12} {from}{via}\n", key.key, console.paint("36", fp), source));
        }
        if others > 0 {
            text.push_str(&console.dim(&format!("  ({others} other keys)\n")));
        }
    }
    text.push_str(&format!(
        "\n{} services, {} secret keys, {} compose secrets (values never shown: fingerprints are the first 8 hex of \
         HMAC-SHA256 under the project's key)\n",
        inv.services.len(),
        inv.secret_count(),
        inv.compose_secret_count()
    ));
    console.write(&text)
}

/// `db_password  3fa9c2d1  file secrets/db.txt (1 line) -> /run/secrets/db_password  via POSTGRES_PASSWORD_FILE`.
fn secret_line(secret: &SecretEntry, console: &Console) -> String {
    let fp = match (&secret.fingerprint, secret.exists) {
        (Some(fp), _) => console.paint("36", fp),
        (None, true) => console.paint("31", "UNREADABLE"),
        (None, false) if secret.source == SecretOrigin::Environment => console.paint("31", "UNSET"),
        (None, false) if secret.source == SecretOrigin::File => console.paint("31", "MISSING"),
        (None, false) => console.dim("-"),
    };
    let from = match secret.source {
        SecretOrigin::File => {
            let lines = secret.lines.map(|n| format!(" ({n} line{})", if n == 1 { "" } else { "s" }));
            format!(
                "file {}{}",
                secret.file.as_deref().map(display_path).unwrap_or_default(),
                lines.unwrap_or_default()
            )
        }
        SecretOrigin::Environment => {
            let at = secret.defined_at.as_ref().map(|(f, l)| format!(" ({}:{l})", display_path(f)));
            format!("environment ${}{}", secret.variable.as_deref().unwrap_or("?"), at.unwrap_or_default())
        }
        SecretOrigin::External => "external".to_string(),
        SecretOrigin::Undefined => console.paint("31", "not defined in the compose file"),
    };
    let via =
        if secret.file_keys.is_empty() { String::new() } else { format!("  via {}", secret.file_keys.join(", ")) };
    format!("{}  {fp}  {from} -> {}{via}", secret.name, secret.target)
}
