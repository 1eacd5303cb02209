//! Redis (and Valkey) as a store kind: the password is `requirepass` in the server's command or config (or the
//! ACL user's), rotated with an ACL dual-password window where the server has ACLs.

mod connection;
mod redis_auth_mode;
mod redis_store;

pub use redis_auth_mode::RedisAuthMode;
pub use redis_store::{DEFAULT_USER, RedisStore};

use futures_util::future::LocalBoxFuture;

use super::{AnyStore, Kind, KindInfo, OpenRequest, Probe, StoreAddress, StoreError, StoreSpec};
use crate::envfile::EnvDocument;
use crate::project::{Project, SecretDecl, Service};
use crate::secret::Secret;

/// The Redis store kind.
pub struct Redis;

/// Redis's names, images and port.
const INFO: KindInfo = KindInfo {
    name: "redis",
    aliases: &["valkey"],
    families: &["redis", "valkey"],
    schemes: &["redis", "rediss", "valkey", "valkeys"],
    default_port: 6379,
    user_keys: &["REDIS_USER", "REDIS_USERNAME"],
    ..KindInfo::NONE
};

impl Kind for Redis {
    fn info(&self) -> &'static KindInfo {
        &INFO
    }

    /// `[--]requirepass $X` / `${X}` in the command, else the key whose value the command holds, else
    /// `REDIS_PASSWORD`.
    fn password_key<'v>(
        &self,
        service: &Service,
        values: &mut dyn Iterator<Item = (&'v str, &'v str)>,
    ) -> Option<String> {
        let words: Vec<&str> = service.command.iter().flatten().flat_map(|w| w.split_whitespace()).collect();
        // `--requirepass X` on the command line, or `requirepass X` in config fed on stdin (`redis-server - <<EOF`).
        if let Some(arg) =
            words.iter().position(|w| *w == "--requirepass" || *w == "requirepass").and_then(|i| words.get(i + 1))
        {
            let arg = arg.trim_matches(|c| c == '"' || c == '\'');
            let name = arg.trim_start_matches('$').trim_start_matches('{').trim_end_matches('}');
            // A variable's name, not a command substitution (`"$(cat /data/pw)"`) or other shell.
            if arg.starts_with('$') && crate::project::is_variable_name(name) {
                return Some(name.to_string());
            }
            for (key, value) in values {
                if value == arg {
                    return Some(key.to_string());
                }
            }
        }
        Some("REDIS_PASSWORD".to_string())
    }

    fn spec(&self, _project: &Project, _docs: &[EnvDocument], decl: &SecretDecl, service: Option<String>) -> StoreSpec {
        StoreSpec {
            kind: INFO.name.to_string(),
            service,
            user: Some(decl.user.clone().unwrap_or_else(|| DEFAULT_USER.to_string())),
            database: None,
        }
    }

    fn reads_password_at_start(&self) -> bool {
        // `--requirepass ${X}` is read from the command every time the server starts.
        true
    }

    fn summary(&self, spec: &StoreSpec) -> String {
        format!(
            "redis (service {}, ACL user {}: dual-password window)",
            spec.service().unwrap_or("?"),
            spec.user.as_deref().unwrap_or(DEFAULT_USER)
        )
    }

    fn probe<'a>(
        &'a self,
        address: &'a StoreAddress,
        spec: &'a StoreSpec,
        secret: &'a Secret,
    ) -> LocalBoxFuture<'a, Probe> {
        Box::pin(connection::probe(address, spec.user.as_deref(), secret))
    }

    fn open<'a>(&'a self, request: OpenRequest) -> LocalBoxFuture<'a, Result<AnyStore, StoreError>> {
        Box::pin(async move {
            let OpenRequest { spec, address, locator, login, .. } = request;
            let service = spec.service().unwrap_or("redis");
            let store = RedisStore::open(address, service, spec.user.as_deref(), &login).await?;
            Ok(AnyStore::new(match locator {
                Some(locator) => store.with_locator(locator),
                None => store,
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(command: &str, values: &[(&str, &str)]) -> Option<String> {
        let mut service = Service::for_test("redis", &[]);
        service.command = Some(vec!["sh".into(), "-c".into(), command.into()]);
        Redis.password_key(&service, &mut values.iter().copied())
    }

    #[test]
    fn the_password_variable_is_named_after_requirepass_and_a_command_substitution_is_none() {
        assert_eq!(key_of("exec redis-server --requirepass \"$REDIS_PW\"", &[]).as_deref(), Some("REDIS_PW"));
        assert_eq!(
            key_of("redis-server - <<EOF\nrequirepass \"${CACHE_PASS}\"\nEOF", &[]).as_deref(),
            Some("CACHE_PASS")
        );
        // `$(cat /data/pw)` reads a file at start: no variable of that name; the default stands.
        let substitution = "redis-server - <<EOF\nrequirepass \"$(cat /data/first-password)\"\nEOF";
        assert_eq!(key_of(substitution, &[]).as_deref(), Some("REDIS_PASSWORD"));
        assert_eq!(
            key_of("redis-server --requirepass s3cr3t-value", &[("MY_KEY", "s3cr3t-value")]).as_deref(),
            Some("MY_KEY")
        );
    }
}
