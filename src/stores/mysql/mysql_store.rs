//! MySQL 8.0.14+ as a `CredentialStore`, with its own dual window: `ALTER USER ... IDENTIFIED BY 'new' RETAIN
//! CURRENT PASSWORD` keeps the old password as the account's secondary one until `finish` runs `DISCARD OLD
//! PASSWORD`. Both passwords use the account's plugin. The own account needs `APPLICATION_PASSWORD_ADMIN`.
//!
//! Unlike MariaDB's rules, the statement carries the password itself: MySQL rewrites it out of the general,
//! slow and binary logs (unless the server runs with `--log-raw`), but it travels as written to the server, so
//! use a `--store-uri` with TLS when the server is not on the container network.

use mysql_async::Conn;
use mysql_async::prelude::Queryable;

use crate::secret::Secret;
use crate::stores::mariadb::connection::{connect, describe, write_and_read};
use crate::stores::{Admin, CredentialStore, Probe, StoreAddress, StoreError};

/// A MySQL server and the account whose password rotates.
#[derive(Debug)]
pub struct MySqlStore {
    address: StoreAddress,
    service: String,
    user: String,
    database: Option<String>,
    admin: Option<Admin>,
}

impl MySqlStore {
    /// The store for account `user` on the server at `address`.
    pub fn new(address: StoreAddress, service: &str, user: &str, database: Option<&str>) -> Self {
        MySqlStore {
            address,
            service: service.to_string(),
            user: user.to_string(),
            database: database.map(str::to_string),
            admin: None,
        }
    }

    /// Changes the password as `admin` instead of as the user itself.
    pub fn with_admin(mut self, admin: Admin) -> Self {
        self.admin = Some(admin);
        self
    }

    fn fail(&self, action: &'static str) -> impl Fn(String) -> StoreError + '_ {
        move |reason| StoreError { store: self.describe(), action, reason }
    }

    /// The admin's connection, else the user's with `first`, falling back to `second`.
    async fn changer(&self, first: &Secret, second: Option<&Secret>, action: &'static str) -> Result<Conn, StoreError> {
        if let Some(admin) = &self.admin {
            return connect(&self.address, &admin.user, &admin.password).await.map_err(self.fail(action));
        }
        let password = match second {
            Some(second) if self.probe(first).await == Probe::Rejected => second,
            _ => first,
        };
        connect(&self.address, &self.user, password).await.map_err(self.fail(action))
    }

    /// Runs `clause` (`IDENTIFIED BY ... RETAIN CURRENT PASSWORD`, `DISCARD OLD PASSWORD`) on every account row.
    async fn alter_all(&self, conn: &mut Conn, clauses: &[String], action: &'static str) -> Result<(), StoreError> {
        let hosts: Vec<String> = conn
            .exec("SELECT Host FROM mysql.user WHERE User = ?", (self.user.as_str(),))
            .await
            .map_err(|e| describe(&e))
            .map_err(|reason| {
                self.fail(action)(format!(
                    "cannot list the account's hosts ({reason}): rotate as an account with CREATE USER and SELECT on \
                     mysql (--admin-user root, its password on stdin)"
                ))
            })?;
        if hosts.is_empty() {
            return Err(self.fail(action)(format!("no account {}", self.user)));
        }
        for host in hosts {
            for clause in clauses {
                let statement = format!("ALTER USER {}@{} {clause}", literal(&self.user), literal(&host));
                conn.query_drop(statement).await.map_err(|e| self.fail(action)(describe(&e)))?;
            }
        }
        Ok(())
    }
}

/// A single-quoted SQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

impl CredentialStore for MySqlStore {
    fn describe(&self) -> String {
        format!("mysql (service {}, {}, account {})", self.service, self.address, self.user)
    }

    fn dual_window(&self) -> bool {
        true
    }

    async fn probe(&self, secret: &Secret) -> Probe {
        crate::stores::mariadb::connection::probe(&self.address, &self.user, secret).await
    }

    async fn set(&self, current: &Secret, new: &Secret) -> Result<(), StoreError> {
        let mut conn = self.changer(current, None, "set").await?;
        let clause = format!("IDENTIFIED BY {} RETAIN CURRENT PASSWORD", literal(new.expose()));
        let result = self.alter_all(&mut conn, &[clause], "set").await;
        let _ = conn.disconnect().await;
        result
    }

    async fn test(&self, new: &Secret) -> Result<(), StoreError> {
        let mut conn = connect(&self.address, &self.user, new).await.map_err(self.fail("test (login)"))?;
        let result = write_and_read(&mut conn, self.database.as_deref()).await;
        let _ = conn.disconnect().await;
        result.map_err(|(action, reason)| StoreError { store: self.describe(), action, reason })
    }

    async fn finish(&self, _old: &Secret, new: &Secret) -> Result<(), StoreError> {
        let mut conn = self.changer(new, None, "finish").await?;
        let result = self.alter_all(&mut conn, &["DISCARD OLD PASSWORD".to_string()], "finish").await;
        let _ = conn.disconnect().await;
        result
    }

    async fn rollback(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        let mut conn = self.changer(new, Some(old), "rollback").await?;
        // The old password primary again, the new one (now secondary) discarded.
        let clauses = [format!("IDENTIFIED BY {}", literal(old.expose())), "DISCARD OLD PASSWORD".to_string()];
        let result = self.alter_all(&mut conn, &clauses, "rollback").await;
        let _ = conn.disconnect().await;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn nothing_listening_fails_set_with_a_store_error_without_values() {
        let address = StoreAddress::Tcp { host: "127.0.0.1".into(), port: 1, via: "test".into() };
        let store = MySqlStore::new(address, "db", "app", Some("app"));
        let err = store.set(&Secret::new("old-value-123"), &Secret::new("new-value-456")).await.expect_err("fails");
        assert!(err.to_string().starts_with("mysql (service db"), "{err}");
        assert!(!err.to_string().contains("value-"), "{err}");
    }

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(literal(r"a'b\c"), r"'a\'b\\c'");
    }
}
