//! Shell completion in cobra's `__complete` protocol, the one the docker CLI (>= 24) drives plugins with: docker
//! runs `docker-secops __complete secops ARGS... CURRENT` and prints what we answer (one candidate a line, an
//! optional `\tdescription`, then `:DIRECTIVE`). Static scripts for `docker-secops` itself come from clap_complete.

mod candidate;
mod completer;
mod completion;
mod request;
mod rotate_targets;
mod value_source;

pub use candidate::Candidate;
pub use completer::complete;
pub use completion::{Completion, Directive};
pub use request::Request;
pub use rotate_targets::rotate_targets;
