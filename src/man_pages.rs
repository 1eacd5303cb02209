//! Man pages of the plugin and of each sub-command, rendered by clap_mangen from the same clap definitions as
//! `--help`, so the two never disagree.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::Cli;

/// Writes `docker-secops.1` and `docker-secops-SUB.1` for each visible sub-command into `dir` (created when
/// missing); returns the paths written.
pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut root = Cli::command().name("docker-secops").bin_name("docker-secops");
    root.build();
    let mut written = vec![write_page(dir, "docker-secops", root.clone())?];
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("docker-secops-{}", sub.get_name());
        let page = sub
            .clone()
            .name(name.clone())
            .bin_name(format!("docker-secops {}", sub.get_name()))
            .version(env!("CARGO_PKG_VERSION"));
        written.push(write_page(dir, &name, page)?);
    }
    Ok(written)
}

fn write_page(dir: &Path, name: &str, command: clap::Command) -> Result<PathBuf> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(command).render(&mut roff).with_context(|| format!("cannot render the man page {name}"))?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, roff).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_a_roff_title_header_and_a_synopsis() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pages = write_all(dir.path()).expect("writes");
        let names: Vec<String> =
            pages.iter().map(|p| p.file_name().expect("name").to_string_lossy().into_owned()).collect();
        for expected in ["docker-secops.1", "docker-secops-check.1", "docker-secops-rotate.1", "docker-secops-init.1"] {
            assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
        }
        assert!(!names.iter().any(|n| n == "docker-secops-man.1"), "hidden sub-commands get no page");
        for page in &pages {
            let text = std::fs::read_to_string(page).expect("read");
            let stem = page.file_stem().expect("stem").to_string_lossy().into_owned();
            assert!(
                text.lines().any(|l| l.starts_with(&format!(".TH {stem} 1 "))),
                "{}: no title header",
                page.display()
            );
            assert!(text.contains(".SH SYNOPSIS") && text.contains(".SH DESCRIPTION"), "{}", page.display());
        }
    }
}
