//! One entry of a service's `secrets:` list: which compose secret the container gets, and where.

/// Where compose puts a secret whose target is not an absolute path.
pub const SECRETS_DIR: &str = "/run/secrets";

/// A secret granted to a service (short syntax `- name`, or long syntax `{source, target, uid, gid, mode}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMount {
    /// The key of the top-level secret.
    pub source: String,
    /// The path in the container: `/run/secrets/<target>` for a relative target, `/run/secrets/<source>` when
    /// none is given.
    pub target: String,
    /// Long syntax `uid`, `gid`, `mode` as written (compose ignores them for `file:` secrets).
    pub uid: Option<String>,
    pub gid: Option<String>,
    pub mode: Option<u32>,
    /// The line of the entry in the compose file.
    pub line: Option<usize>,
}

impl SecretMount {
    /// The container path of a secret mounted with `target` (possibly empty) from `source`.
    pub fn container_path(source: &str, target: Option<&str>) -> String {
        match target.filter(|t| !t.is_empty()) {
            Some(t) if t.starts_with('/') => t.to_string(),
            Some(t) => format!("{SECRETS_DIR}/{t}"),
            None => format!("{SECRETS_DIR}/{source}"),
        }
    }

    /// The file name Swarm gives the secret (relative to `/run/secrets/`: `db_pw` for `/run/secrets/db_pw`); an
    /// absolute target elsewhere as it is.
    pub fn swarm_file_name(&self) -> &str {
        self.target.strip_prefix(SECRETS_DIR).and_then(|rest| rest.strip_prefix('/')).unwrap_or(&self.target)
    }
}

#[cfg(test)]
mod tests {
    use super::SecretMount;

    #[test]
    fn targets_resolve_like_compose() {
        assert_eq!(SecretMount::container_path("db", None), "/run/secrets/db");
        assert_eq!(SecretMount::container_path("db", Some("")), "/run/secrets/db");
        assert_eq!(SecretMount::container_path("db", Some("pw")), "/run/secrets/pw");
        assert_eq!(SecretMount::container_path("db", Some("/etc/app/pw")), "/etc/app/pw");
    }

    #[test]
    fn swarm_names_the_file_relative_to_the_secrets_dir() {
        let mount = |target: &str| SecretMount {
            source: "db".into(),
            target: target.into(),
            uid: None,
            gid: None,
            mode: None,
            line: None,
        };
        assert_eq!(mount("/run/secrets/db_pw").swarm_file_name(), "db_pw");
        assert_eq!(mount("/etc/app/pw").swarm_file_name(), "/etc/app/pw");
        assert_eq!(mount("/run/secretsx").swarm_file_name(), "/run/secretsx");
    }
}
