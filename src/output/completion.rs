//! Printing completions: cobra's `__complete` answer for the docker CLI, and clap_complete's shell scripts.

use std::process::ExitCode;

use super::{Console, sanitize};
use crate::completion::Completion;

/// Prints `completion` in cobra's protocol: `value[\tdescription]` lines, then `:DIRECTIVE`. Always exit 0: a
/// failed completion would print docker's error into the user's prompt.
pub fn completion(completion: &Completion) -> ExitCode {
    let mut text = String::new();
    for c in &completion.candidates {
        // Tabs and line breaks are the protocol's framing: none may come from a value or a description.
        text.push_str(&sanitize(&c.value).replace(['\t', '\n'], " "));
        if let Some(description) = c.description.as_deref().filter(|_| completion.descriptions) {
            text.push('\t');
            text.push_str(&sanitize(description).replace(['\t', '\n'], " "));
        }
        text.push('\n');
    }
    text.push_str(&format!(":{}\n", completion.directive.code()));
    let _ = Console::stdout().write(&text);
    ExitCode::SUCCESS
}

/// Prints the completion script of `shell` for the `docker-secops` binary.
pub fn completion_script(shell: clap_complete::Shell, command: &mut clap::Command) -> std::io::Result<()> {
    let mut script = Vec::new();
    // The function and file names follow the command's name: `docker secops` would make `_docker__secops`.
    let mut command = command.clone().name("docker-secops").bin_name("docker-secops");
    clap_complete::generate(shell, &mut command, "docker-secops", &mut script);
    Console::stdout().write(&String::from_utf8_lossy(&script))
}

/// Prints the man pages written by `docker-secops man DIR`.
pub fn man_pages(paths: &[std::path::PathBuf]) -> std::io::Result<()> {
    let text: String = paths.iter().map(|p| format!("wrote {}\n", super::display_path(p))).collect();
    Console::stdout().write(&text)
}
