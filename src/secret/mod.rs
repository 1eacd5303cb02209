//! Secret values: generation from the OS CSPRNG, fingerprints, strength estimates and which keys hold secrets.

mod fingerprint;
mod generator;
mod key_class;
mod kind;
mod secret;
mod strength;
mod strong_generator;

pub use fingerprint::fingerprint;
pub use generator::{GenerateError, generate};
pub use key_class::{is_non_secret_value, is_secret_key};
pub use kind::SecretKind;
pub use secret::Secret;
pub use strength::{Strength, Weakness, placeholder_word};
pub use strong_generator::generate_strong;
