//! `docker secops generate`: new credentials from the OS CSPRNG, printed because the user asked for them.

use anyhow::Result;

use crate::cli::{GenerateArgs, KindArg};
use crate::exit::Exit;
use crate::output::{self, Generated};
use crate::secret::{SecretKind, generate};

/// Generates and prints. Without `--kind`, the runbook's pair: a DB password and a JWT secret.
pub fn run(args: GenerateArgs) -> Result<Exit> {
    let kinds: Vec<SecretKind> = match args.kind {
        Some(KindArg::Password) => vec![SecretKind::Password],
        Some(KindArg::Jwt) => vec![SecretKind::Jwt],
        Some(KindArg::Hex) => vec![SecretKind::Hex],
        None => vec![SecretKind::Password, SecretKind::Jwt],
    };
    let mut generated = Vec::new();
    for _ in 0..args.count {
        for &kind in &kinds {
            generated.push(Generated { kind, secret: generate(kind, args.length)? });
        }
    }
    output::generated(&generated, args.json, args.kind.is_none())?;
    Ok(Exit::Ok)
}
