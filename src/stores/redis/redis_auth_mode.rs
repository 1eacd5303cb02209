//! How a Redis server checks passwords, which decides whether a rotation can keep two passwords valid at once.

/// The authentication a Redis server offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedisAuthMode {
    /// Redis 6+: ACL users with several passwords each. `aclfile` when the server keeps them in an ACL file
    /// (changes must be saved there with `ACL SAVE`, or a restart would revert them).
    Acl { aclfile: bool },
    /// Redis < 6: one `requirepass`; a change replaces it at once, with no overlap.
    RequirePass,
}

impl RedisAuthMode {
    /// The mode for a server reporting `redis_version` (`7.0.15`) and an `aclfile` setting (empty: none).
    pub fn detect(version: &str, aclfile: Option<&str>) -> Self {
        let major: u32 = version.split('.').next().and_then(|m| m.trim().parse().ok()).unwrap_or(0);
        if major >= 6 {
            RedisAuthMode::Acl { aclfile: aclfile.is_some_and(|f| !f.trim().is_empty()) }
        } else {
            RedisAuthMode::RequirePass
        }
    }

    /// True when old and new passwords can both be valid during the switch.
    pub fn dual_window(self) -> bool {
        matches!(self, RedisAuthMode::Acl { .. })
    }
}

/// `redis_version` from the text of `INFO server`.
pub fn version_from_info(info: &str) -> Option<&str> {
    info.lines().find_map(|line| line.strip_prefix("redis_version:")).map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acl_from_redis_6_on() {
        assert_eq!(RedisAuthMode::detect("7.0.15", Some("")), RedisAuthMode::Acl { aclfile: false });
        assert_eq!(RedisAuthMode::detect("6.2.0", Some("/etc/redis/users.acl")), RedisAuthMode::Acl { aclfile: true });
        assert_eq!(RedisAuthMode::detect("5.0.14", None), RedisAuthMode::RequirePass);
        assert!(!RedisAuthMode::RequirePass.dual_window());
        assert!(RedisAuthMode::Acl { aclfile: false }.dual_window());
    }

    #[test]
    fn version_line_of_info() {
        let info = "# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n";
        assert_eq!(version_from_info(info), Some("7.0.15"));
        assert_eq!(version_from_info("# Server\r\n"), None);
    }
}
