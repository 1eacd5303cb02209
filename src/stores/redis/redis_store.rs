//! Redis as a `CredentialStore`, with the dual-password window of ACLs.
//!
//! `CONFIG SET requirepass` replaces the default user's password at once: every consumer still on the old one is
//! locked out until it is recreated. `ACL SETUSER <user> #<sha256(new)>` adds the new password beside the old
//! one, consumers are recreated onto it, and `!<sha256(old)>` removes the old one at the end. Passwords are sent
//! as their SHA-256 (the form ACLs store anyway), and Redis echoes the modifier in its errors, so reasons are
//! scrubbed of hashes before they reach a message. Redis < 6 has no ACL: the store falls back to `requirepass`
//! and says so through `dual_window() == false`.

use redis::aio::MultiplexedConnection;
use sha2::{Digest, Sha256};

use super::RedisAuthMode;
use super::connection::{connect, describe};
use crate::secret::Secret;
use crate::stores::{CredentialStore, LocatedAddress, Probe, StoreAddress, StoreError, StoreLocator};

/// The name of Redis's default user.
pub const DEFAULT_USER: &str = "default";

/// A Redis server and the user whose password rotates.
#[derive(Debug)]
pub struct RedisStore {
    /// Replaced by [`CredentialStore::relocate`] once the rotation recreated the Redis container.
    address: LocatedAddress,
    service: String,
    user: String,
    mode: RedisAuthMode,
}

impl RedisStore {
    /// Logs in with `current` and finds how the server authenticates (`INFO server`, `CONFIG GET aclfile`).
    pub async fn open(
        address: StoreAddress,
        service: &str,
        user: Option<&str>,
        current: &Secret,
    ) -> Result<Self, StoreError> {
        let user = user.filter(|u| !u.is_empty()).unwrap_or(DEFAULT_USER).to_string();
        let mut store = RedisStore {
            address: LocatedAddress::new(address, None),
            service: service.to_string(),
            user,
            mode: RedisAuthMode::RequirePass,
        };
        let mut con = store.connect(current, "open").await?;
        let info: String = redis::cmd("INFO").arg("server").query_async(&mut con).await.map_err(store.err("open"))?;
        let version = super::redis_auth_mode::version_from_info(&info).unwrap_or("0").to_string();
        // CONFIG may be renamed away on hardened servers: then assume no aclfile.
        let aclfile: Option<Vec<String>> =
            redis::cmd("CONFIG").arg("GET").arg("aclfile").query_async(&mut con).await.ok();
        let aclfile = aclfile.and_then(|pair| pair.get(1).cloned());
        store.mode = RedisAuthMode::detect(&version, aclfile.as_deref());
        if store.mode == RedisAuthMode::RequirePass && store.user != DEFAULT_USER {
            return Err(StoreError {
                store: store.describe(),
                action: "open",
                reason: format!("Redis {version} has no ACL users; only the default user's requirepass can rotate"),
            });
        }
        Ok(store)
    }

    /// Overrides the detected mode (tests exercise the requirepass fallback on a Redis 7).
    pub fn with_mode(mut self, mode: RedisAuthMode) -> Self {
        self.mode = mode;
        self
    }

    /// Lets [`CredentialStore::relocate`] find the server again through the engine.
    pub fn with_locator(mut self, locator: StoreLocator) -> Self {
        self.address = LocatedAddress::new(self.address.current(), Some(locator));
        self
    }

    /// Where the server answers now.
    fn address(&self) -> StoreAddress {
        self.address.current()
    }

    /// How the server authenticates.
    pub fn mode(&self) -> RedisAuthMode {
        self.mode
    }

    fn login_user(&self) -> Option<&str> {
        (self.user != DEFAULT_USER).then_some(self.user.as_str())
    }

    async fn connect(&self, secret: &Secret, action: &'static str) -> Result<MultiplexedConnection, StoreError> {
        connect(&self.address(), self.login_user(), secret).await.map_err(self.err(action))
    }

    /// A connection with whichever of `first`, `second` still logs in.
    async fn connect_either(
        &self,
        first: &Secret,
        second: &Secret,
        action: &'static str,
    ) -> Result<MultiplexedConnection, StoreError> {
        match connect(&self.address(), self.login_user(), first).await {
            Ok(con) => Ok(con),
            Err(_) => self.connect(second, action).await,
        }
    }

    fn err(&self, action: &'static str) -> impl Fn(redis::RedisError) -> StoreError + '_ {
        move |err| StoreError { store: self.describe(), action, reason: scrub(&describe(&err)) }
    }

    /// `ACL SETUSER <user> <modifiers>`; a removal of a password that is already gone is not an error, so a
    /// finish or rollback can run again after a crash.
    async fn setuser(
        &self,
        con: &mut MultiplexedConnection,
        modifier: String,
        action: &'static str,
    ) -> Result<(), StoreError> {
        let result: redis::RedisResult<()> =
            redis::cmd("ACL").arg("SETUSER").arg(&self.user).arg(&modifier).query_async(con).await;
        match result {
            Err(err) if modifier.starts_with('!') && describe(&err).contains("does not exist") => Ok(()),
            other => other.map_err(self.err(action)),
        }
    }

    /// `ACL SAVE` when the server keeps its users in an ACL file, so a restart does not revert the change.
    async fn persist(&self, con: &mut MultiplexedConnection, action: &'static str) -> Result<(), StoreError> {
        if self.mode == (RedisAuthMode::Acl { aclfile: true }) {
            redis::cmd("ACL").arg("SAVE").query_async::<()>(con).await.map_err(self.err(action))?;
        }
        Ok(())
    }

    async fn requirepass(
        &self,
        con: &mut MultiplexedConnection,
        value: &Secret,
        action: &'static str,
    ) -> Result<(), StoreError> {
        redis::cmd("CONFIG")
            .arg("SET")
            .arg("requirepass")
            .arg(value.expose())
            .query_async::<()>(con)
            .await
            .map_err(self.err(action))
    }
}

impl CredentialStore for RedisStore {
    fn describe(&self) -> String {
        format!("redis (service {}, {}, user {})", self.service, self.address(), self.user)
    }

    fn dual_window(&self) -> bool {
        self.mode.dual_window()
    }

    async fn probe(&self, secret: &Secret) -> Probe {
        super::connection::probe(&self.address(), self.login_user(), secret).await
    }

    async fn set(&self, current: &Secret, new: &Secret) -> Result<(), StoreError> {
        let mut con = self.connect(current, "set").await?;
        match self.mode {
            RedisAuthMode::Acl { .. } => {
                self.setuser(&mut con, format!("#{}", sha256_hex(new)), "set").await?;
                self.persist(&mut con, "set").await
            }
            RedisAuthMode::RequirePass => self.requirepass(&mut con, new, "set").await,
        }
    }

    async fn test(&self, new: &Secret) -> Result<(), StoreError> {
        let mut con = self.connect(new, "test").await?;
        let nonce = sha256_hex(&Secret::new(format!("{:?}", std::time::SystemTime::now())));
        let key = format!("secops:rotation-test:{}", &nonce[..16]);
        let write: redis::RedisResult<()> =
            redis::cmd("SET").arg(&key).arg(&nonce).arg("EX").arg(60).query_async(&mut con).await;
        write.map_err(self.err("test (write)"))?;
        let read: Option<String> =
            redis::cmd("GET").arg(&key).query_async(&mut con).await.map_err(self.err("test (read)"))?;
        let _: redis::RedisResult<()> = redis::cmd("DEL").arg(&key).query_async(&mut con).await;
        if read.as_deref() != Some(nonce.as_str()) {
            return Err(StoreError {
                store: self.describe(),
                action: "test (read)",
                reason: "the value written was not read back".to_string(),
            });
        }
        Ok(())
    }

    async fn finish(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        if old == new || !self.mode.dual_window() {
            return Ok(());
        }
        let mut con = self.connect(new, "finish").await?;
        self.setuser(&mut con, format!("!{}", sha256_hex(old)), "finish").await?;
        self.persist(&mut con, "finish").await
    }

    async fn rollback(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        let mut con = self.connect_either(old, new, "rollback").await?;
        match self.mode {
            RedisAuthMode::Acl { .. } => {
                self.setuser(&mut con, format!("#{}", sha256_hex(old)), "rollback").await?;
                if old != new {
                    self.setuser(&mut con, format!("!{}", sha256_hex(new)), "rollback").await?;
                }
                self.persist(&mut con, "rollback").await
            }
            RedisAuthMode::RequirePass => self.requirepass(&mut con, old, "rollback").await,
        }
    }

    async fn relocate(&self) {
        self.address.relocate().await
    }
}

fn sha256_hex(secret: &Secret) -> String {
    hex::encode(Sha256::digest(secret.expose().as_bytes()))
}

/// `text` with every run of 64 hex digits (a password hash echoed by Redis) replaced by `<hash>`.
fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        out.push_str(if run.len() >= 64 { "<hash>" } else { &run });
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_echoed_by_redis_are_scrubbed() {
        let hash = sha256_hex(&Secret::new("hunter2"));
        let text = format!("ERR Error in ACL SETUSER modifier '!{hash}': The password you are trying to remove...");
        assert_eq!(
            scrub(&text),
            "ERR Error in ACL SETUSER modifier '!<hash>': The password you are trying to remove..."
        );
        assert_eq!(scrub("short cafe 12"), "short cafe 12");
    }
}
