//! `.env` documents in compose's env-file syntax: parsing with positions, format-preserving edits, atomic writes
//! and backups.
//!
//! The syntax is compose-go's `dotenv` package (what `docker compose` uses for `env_file` and `--env-file`):
//! `export ` prefixes, `#` comment lines, ` #` inline comments after unquoted values, `'literal'` and
//! `"escaped"` values (both may span lines), `KEY: value`, bare `KEY` lines, CRLF, a UTF-8 BOM. Values are
//! not interpolated here: compose interpolates unquoted and double-quoted values, never single-quoted ones;
//! the project model does that, see [`Entry::literal`] for values that need no lookup.

mod atomic;
mod backup;
mod bounded_read;
mod create_new;
mod docker_env_line;
mod document;
mod entry;
mod env_error;
mod escapes;
mod line_index;
mod parser;
mod private_mode;
mod quote;
mod value_slot;

#[cfg(test)]
mod compose_diff_tests;
#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod set_tests;

pub use atomic::write_atomic;
pub use backup::backup;
pub use bounded_read::{MAX_INPUT_FILE_SIZE, read_bounded, read_bounded_to_string};
pub use create_new::create_new_atomic;
pub use docker_env_line::DockerEnvLine;
pub use document::{EnvDocument, MAX_LISTED_ERRORS};
pub use entry::Entry;
pub use env_error::EnvError;
pub use private_mode::{Tightened, make_private, restore_mode};
pub use quote::Quote;
