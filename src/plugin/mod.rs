//! The Docker CLI plugin protocol: the metadata handshake, docker's global flags before `secops`, and the
//! Docker endpoint they select (resolved the way the docker CLI resolves it).

mod endpoint;
mod global_flags;
mod invocation;
mod metadata;

pub use endpoint::{DockerEndpoint, EndpointError, TlsMaterial};
pub use global_flags::GlobalFlags;
pub use invocation::{Invocation, InvocationError};
pub use metadata::Metadata;

use std::ffi::OsString;

/// The sub-command the docker CLI sends to discover a plugin.
pub const METADATA_COMMAND: &str = "docker-cli-plugin-metadata";

/// The name under which docker runs us (`docker secops ...`).
pub const PLUGIN_NAME: &str = "secops";

/// True when the docker CLI is asking for our metadata (`docker-secops docker-cli-plugin-metadata`).
pub fn is_metadata_call(args: &[OsString]) -> bool {
    args.len() == 2 && args[1] == METADATA_COMMAND
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_call_is_exactly_one_argument() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(is_metadata_call(&args(&["docker-secops", METADATA_COMMAND])));
        assert!(!is_metadata_call(&args(&["docker-secops", "generate"])));
        assert!(!is_metadata_call(&args(&["docker-secops", METADATA_COMMAND, "x"])));
    }
}
