//! Benchmark driver for `GitRepo::scan_history`: scans a repository's whole history for the needles in a file.
//!
//! Usage: `cargo run --release --example scan_history -- REPO NEEDLES_FILE`
//! NEEDLES_FILE holds one needle per line (`bench/gen_history_repo.py` writes `.git/bench-needles`). Prints the
//! scan counters and, per hit, the needle's index, commit and path; never a needle's value.
#![allow(clippy::print_stderr)]

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use docker_secops::git::GitRepo;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [repo, needles_file] = args.as_slice() else {
        eprintln!("usage: scan_history REPO NEEDLES_FILE");
        return ExitCode::from(2);
    };
    match run(repo, needles_file) {
        Ok(()) => ExitCode::SUCCESS,
        // `| head` closing the pipe early is not a failure of the scan.
        Err(err) if err.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) => {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("scan_history: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(repo: &Path, needles_file: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(needles_file)?;
    let needles: Vec<&[u8]> = text.lines().filter(|line| !line.is_empty()).map(str::as_bytes).collect();
    let started = Instant::now();
    let repo = GitRepo::discover(repo)?.ok_or_else(|| anyhow::anyhow!("no git repository at {}", repo.display()))?;
    let scan = repo.scan_history_with_stats(&needles)?;
    let elapsed = started.elapsed();
    let stats = scan.stats;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{} needles: {} commits, {} trees, {} blobs ({:.1} MiB) read, {} large skipped, {} missing; {} hits in {:.3} s",
        needles.len(),
        stats.commits,
        stats.trees,
        stats.blobs_read,
        stats.bytes_read as f64 / (1024.0 * 1024.0),
        stats.blobs_skipped_large,
        stats.objects_missing,
        scan.hits.len(),
        elapsed.as_secs_f64(),
    )?;
    for hit in &scan.hits {
        writeln!(out, "needle {:>2}  {}  {}", hit.needle, &hit.commit[..12], hit.path.display())?;
    }
    writeln!(out, "needles found: {:?}", scan.needles_found())?;
    Ok(())
}
