//! Printing what `init` created (or would create): files, generated keys by fingerprint, kept keys.

use super::{Console, display_path};
use crate::init::InitPlan;

/// Prints `plan`, as done or (`dry_run`) as what would be done.
pub fn init(plan: &InitPlan, dry_run: bool) -> std::io::Result<()> {
    let console = Console::stdout();
    let mut text = String::new();
    for file in &plan.files {
        let verb = if dry_run { "would create" } else { "created" };
        text.push_str(&format!(
            "{} {} (0600) from {}\n",
            console.bold(verb),
            display_path(&file.path),
            display_path(&file.template)
        ));
        let width = file.filled.generated.iter().map(|g| g.key.len()).max().unwrap_or(0);
        for g in &file.filled.generated {
            let fp = console.paint("36", &g.secret.fingerprint());
            text.push_str(&format!(
                "  {:width$}  {fp}  generated {} ({} chars)\n",
                g.key,
                g.kind.name(),
                g.secret.len()
            ));
        }
        if !file.filled.kept.is_empty() {
            text.push_str(&console.dim(&format!("  kept from the template: {}\n", file.filled.kept.join(", "))));
        }
        if let Some((gitignore, line)) = &file.gitignore {
            let verb = if dry_run { "would add" } else { "added" };
            text.push_str(&format!("  {verb} {line} to {}\n", display_path(gitignore)));
        }
    }
    for existing in &plan.existing {
        text.push_str(&console.dim(&format!("kept {} (exists; init never overwrites)\n", display_path(existing))));
    }
    let secrets: usize = plan.files.iter().map(|f| f.filled.generated.len()).sum();
    let files = plan.files.len();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if dry_run {
        text.push_str(&format!("dry run: {} with {} not written\n", plural(files, "file"), plural(secrets, "secret")));
    } else {
        text.push_str(&format!(
            "{} with {} (values never shown: fingerprints; audit: initialised)\n",
            plural(files, "file"),
            plural(secrets, "new secret")
        ));
    }
    console.write(&text)
}
