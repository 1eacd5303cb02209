//! Installing the fingerprint key of the project a command works on, before it prints or logs a fingerprint.

use anyhow::Result;

use crate::cli::ProjectArgs;
use crate::output;
use crate::secret::{ProjectKey, install_key, install_project_key};
use crate::state_dir::StateDir;

/// Makes the project's key (or `--fingerprint-key-file`) the one this run's fingerprints use. A project without
/// one gets it at the first fingerprint made (a run that makes none writes nothing); one where no key can be kept
/// gets a one-time key and a note.
pub fn install(state: &StateDir, args: &ProjectArgs) -> Result<()> {
    let installed = match ProjectKey::existing(state, args.fingerprint_key_file.as_deref())? {
        Some(chosen) => {
            if let Some(note) = &chosen.note {
                output::note(note);
            }
            install_key(chosen.key)
        }
        None => install_project_key(state.clone(), output::note),
    };
    if !installed {
        anyhow::bail!("internal error: a fingerprint was made before the project's key was installed");
    }
    Ok(())
}
