//! `secret-file-permissions`: a compose secret's file is readable by other users of the host.

use super::{Check, CheckName, Context, Finding, Severity};

/// Secret files with any permission bit for others.
///
/// Group bits are left alone: compose ignores `uid`/`gid`/`mode` for file secrets (the container sees the host
/// file's owner and mode through the bind mount), so `0640` with the group of the container's user is how a
/// non-root database process reads its secret without making it world-readable.
pub struct SecretFilePermissions;

impl Check for SecretFilePermissions {
    fn name(&self) -> CheckName {
        CheckName::SecretFilePermissions
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "A compose secret's file can be read by every user of the host. Compose bind-mounts it and ignores the \
         secret's uid/gid/mode, so the container sees the host file's owner and mode: make it readable by the \
         container's user only, e.g. `chown 999 FILE && chmod 600 FILE` (postgres runs as 999), or `chmod 640` \
         with that user's group."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for info in &cx.secret_files {
            let (Some(file), Some(mode)) = (info.file(), info.mode.filter(|m| m & 0o007 != 0)) else { continue };
            findings.push(
                self.finding(format!(
                    "secret {}: mode {:04o}, readable by every user of the host (the container sees this mode)",
                    info.secret.key,
                    mode & 0o7777
                ))
                .at(file, None)
                .key(&info.secret.key),
            );
        }
    }
}
