//! Secret values: generation from the OS CSPRNG, fingerprints, strength estimates and which keys hold secrets.

mod fingerprint;
mod fingerprint_key;
mod generator;
mod key_class;
mod kind;
mod project_key;
mod secret;
mod strength;
mod strong_generator;

pub use fingerprint::{current_key, fingerprint, install_key, install_project_key, key_in_use};
pub use fingerprint_key::{BadKeyFile, FingerprintKey};
pub use generator::{GenerateError, generate};
pub use key_class::{is_non_secret_value, is_secret_key};
pub use kind::SecretKind;
pub use project_key::{KEY_FILE_NAME, KeyError, ProjectKey};
pub use secret::Secret;
pub use strength::{Strength, Weakness, placeholder_word};
pub use strong_generator::generate_strong;
