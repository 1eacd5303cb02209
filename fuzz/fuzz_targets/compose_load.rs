//! The compose loader on arbitrary bytes as `compose.yaml`: an error or a project, never a panic, a hang or an
//! allocation blow-up (the alias budget and nesting limit must hold).

#![no_main]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use docker_secops::project::{Project, ProjectOptions};
use libfuzzer_sys::fuzz_target;

/// One directory for the whole run: a fresh one per input would make the target disk-bound.
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("tempdir").keep())
}

fuzz_target!(|data: &[u8]| {
    let dir = dir();
    let file = dir.join("compose.yaml");
    std::fs::write(&file, data).expect("write compose.yaml");
    let options = ProjectOptions {
        files: vec![file],
        working_dir: dir.clone(),
        environ: BTreeMap::from([("HOME".to_string(), "/home/fuzz".to_string())]),
        ..ProjectOptions::default()
    };
    let _ = Project::load(&options);
});
