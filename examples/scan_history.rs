//! Benchmark driver for `GitRepo::scan_history`: scans a repository's whole history for the needles in a file.
//!
//! Usage: `cargo run --release --example scan_history -- REPO NEEDLES_FILE`
//! NEEDLES_FILE holds one needle per line (`bench/gen_history_repo.py` writes `.git/bench-needles`). Prints the
//! scan counters and, per hit, the needle's index, commit and path; never a needle's value.
#![allow(clippy::print_stderr)]

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

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
    let sampler = AnonSampler::start();
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
    writeln!(
        out,
        "peak RSS {} MiB (file-backed pack mappings included), peak anonymous memory {} MiB (sampled every 2 ms)",
        status_kib("VmHWM:") / 1024,
        sampler.peak_kib() / 1024
    )?;
    Ok(())
}

/// A value of /proc/self/status in KiB (0 where there is no such file).
fn status_kib(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|line| line.starts_with(key)).unwrap_or_default();
    line.split_whitespace().nth(1).and_then(|kib| kib.parse().ok()).unwrap_or(0)
}

/// Samples `RssAnon` (heap, seen-sets, buffers, caches: what the scan allocates, as opposed to the mmapped pack
/// files that the kernel counts in RSS and can drop at will) on a background thread.
struct AnonSampler {
    peak: Arc<AtomicU64>,
}

impl AnonSampler {
    fn start() -> Self {
        let peak = Arc::new(AtomicU64::new(0));
        let shared = Arc::clone(&peak);
        std::thread::spawn(move || {
            loop {
                shared.fetch_max(status_kib("RssAnon:"), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        AnonSampler { peak }
    }

    fn peak_kib(&self) -> u64 {
        self.peak.fetch_max(status_kib("RssAnon:"), Ordering::Relaxed).max(status_kib("RssAnon:"))
    }
}
