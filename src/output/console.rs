//! Writing to stdout: colour only on a terminal (and never with `NO_COLOR`), a closed pipe is not an error.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// A handle on stdout that knows whether to colour.
pub struct Console {
    color: bool,
}

impl Console {
    /// A console without colours, for tests of the text.
    #[cfg(test)]
    pub(crate) fn plain() -> Self {
        Console { color: false }
    }

    /// The console for this process.
    pub fn stdout() -> Self {
        let color = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Console { color }
    }

    /// Writes `text` as is. A reader that went away (`| head`) ends output quietly, like ripgrep does.
    pub fn write(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }

    /// Writes pretty JSON and a newline.
    pub fn json(&self, value: &impl serde::Serialize) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        self.write(&(text + "\n"))
    }

    /// `text` in bold on a terminal.
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// `text` dimmed on a terminal.
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// `text` in an ANSI colour (`31` red, `32` green, `33` yellow, `36` cyan) on a terminal.
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
}

/// A path as the user would type it: relative to the current directory when it is below it.
pub fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf));
    super::sanitize(&relative.unwrap_or_else(|| path.to_path_buf()).display().to_string())
}
