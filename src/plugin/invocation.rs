//! Splits the argument vector into docker's global flags and our own command line.
//!
//! The docker CLI runs a plugin as `docker-secops [docker global flags] secops <args>`; run directly it is
//! `docker-secops [docker global flags] <args>`. Both forms are accepted.

use std::ffi::OsString;
use std::path::PathBuf;

use super::{GlobalFlags, PLUGIN_NAME};

/// A parsed invocation: docker's global flags, and the arguments for our own parser (program name first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub global: GlobalFlags,
    pub command_args: Vec<String>,
}

/// An argument vector that cannot be split.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InvocationError {
    #[error("argument {index} is not valid UTF-8")]
    NotUtf8 { index: usize },
    #[error("docker flag {flag} needs a value")]
    MissingValue { flag: String },
    #[error("docker flag {flag} takes true or false, not {value:?}")]
    BadBool { flag: String, value: String },
}

impl Invocation {
    /// Splits `args` (program name first).
    pub fn split(args: Vec<OsString>) -> Result<Self, InvocationError> {
        let args = args
            .into_iter()
            .enumerate()
            .map(|(index, arg)| arg.into_string().map_err(|_| InvocationError::NotUtf8 { index }))
            .collect::<Result<Vec<_>, _>>()?;
        let program = args.first().cloned().unwrap_or_else(|| "docker-secops".to_string());
        let mut global = GlobalFlags::default();
        let mut rest = args.into_iter().skip(1).peekable();
        while let Some(arg) = rest.peek().cloned() {
            if arg == PLUGIN_NAME {
                rest.next();
                continue;
            }
            if !arg.starts_with('-') || !take_global(&mut global, &arg, &mut rest)? {
                break;
            }
        }
        let mut command_args = vec![program];
        command_args.extend(rest);
        Ok(Invocation { global, command_args })
    }
}

/// Consumes `arg` (and its value) when it is a docker global flag; false leaves it to our own parser.
fn take_global(
    global: &mut GlobalFlags,
    arg: &str,
    rest: &mut std::iter::Peekable<impl Iterator<Item = String>>,
) -> Result<bool, InvocationError> {
    let (flag, inline) = match arg.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") || flag.len() == 2 => (flag.to_string(), Some(value.to_string())),
        _ => (arg.to_string(), None),
    };
    let is_value_flag = matches!(
        flag.as_str(),
        "--config"
            | "-c"
            | "--context"
            | "-H"
            | "--host"
            | "-l"
            | "--log-level"
            | "--tlscacert"
            | "--tlscert"
            | "--tlskey"
    );
    let is_bool_flag = matches!(flag.as_str(), "-D" | "--debug" | "--tls" | "--tlsverify");
    if !is_value_flag && !is_bool_flag {
        return Ok(false);
    }
    rest.next();
    if is_bool_flag {
        let on = match inline.as_deref() {
            None | Some("true") | Some("1") => true,
            Some("false") | Some("0") => false,
            Some(other) => return Err(InvocationError::BadBool { flag, value: other.to_string() }),
        };
        match flag.as_str() {
            "-D" | "--debug" => global.debug = on,
            "--tls" => global.tls = on,
            _ => global.tls_verify = on,
        }
        return Ok(true);
    }
    let value = match inline {
        Some(value) => value,
        None => rest.next().ok_or_else(|| InvocationError::MissingValue { flag: flag.clone() })?,
    };
    match flag.as_str() {
        "--config" => global.config = Some(PathBuf::from(value)),
        "-c" | "--context" => global.context = Some(value),
        "-H" | "--host" => global.hosts.push(value),
        "-l" | "--log-level" => global.log_level = Some(value),
        "--tlscacert" => global.tls_ca_cert = Some(PathBuf::from(value)),
        "--tlscert" => global.tls_cert = Some(PathBuf::from(value)),
        _ => global.tls_key = Some(PathBuf::from(value)),
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(args: &[&str]) -> Invocation {
        Invocation::split(args.iter().map(OsString::from).collect()).expect("splits")
    }

    #[test]
    fn plugin_form_keeps_docker_flags_and_drops_secops() {
        let inv = split(&["docker-secops", "--context", "prod", "-D", "secops", "generate", "--json"]);
        assert_eq!(inv.global.context.as_deref(), Some("prod"));
        assert!(inv.global.debug);
        assert_eq!(inv.command_args, ["docker-secops", "generate", "--json"]);
    }

    #[test]
    fn direct_form_and_inline_values() {
        let inv = split(&["docker-secops", "-H=tcp://h:2376", "--tlsverify", "--config=/tmp/c", "status"]);
        assert_eq!(inv.global.hosts, ["tcp://h:2376"]);
        assert!(inv.global.tls_verify);
        assert_eq!(inv.global.config, Some(PathBuf::from("/tmp/c")));
        assert_eq!(inv.command_args, ["docker-secops", "status"]);
    }

    #[test]
    fn our_own_flags_after_the_command_are_untouched() {
        let inv = split(&["docker-secops", "secops", "check", "-c", "x"]);
        assert_eq!(inv.global, GlobalFlags::default());
        assert_eq!(inv.command_args, ["docker-secops", "check", "-c", "x"]);
    }

    #[test]
    fn round_trips_through_to_args() {
        let inv = split(&["d", "--context", "a", "-H", "unix:///x", "--tlscert", "/c", "secops", "version"]);
        let again = split(
            &std::iter::once("d".to_string())
                .chain(inv.global.to_args())
                .chain(["version".to_string()])
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
        assert_eq!(again.global, inv.global);
    }

    #[test]
    fn missing_value_is_an_error() {
        let err = Invocation::split(vec!["d".into(), "--context".into()]).unwrap_err();
        assert_eq!(err, InvocationError::MissingValue { flag: "--context".into() });
    }
}
