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
use crate::stores::mariadb::{SqlAccount, describe, literal};
use crate::stores::{CredentialStore, Probe, StoreError};

/// A MySQL server and the account whose password rotates.
#[derive(Debug)]
pub struct MySqlStore(SqlAccount);

impl MySqlStore {
    /// The store for `account`.
    pub fn new(account: SqlAccount) -> Self {
        MySqlStore(account)
    }

    /// Runs `clause` (`IDENTIFIED BY ... RETAIN CURRENT PASSWORD`, `DISCARD OLD PASSWORD`) on every account row.
    async fn alter_all(&self, conn: &mut Conn, clauses: &[String], action: &'static str) -> Result<(), StoreError> {
        let hosts: Vec<String> = conn
            .exec("SELECT Host FROM mysql.user WHERE User = ?", (self.0.user.as_str(),))
            .await
            .map_err(|e| describe(&e))
            .map_err(|reason| {
                self.0.fail(action)(format!(
                    "cannot list the account's hosts ({reason}): rotate as an account with CREATE USER and SELECT on \
                     mysql (--admin-user root, its password on stdin)"
                ))
            })?;
        if hosts.is_empty() {
            return Err(self.0.fail(action)(format!("no account {}", self.0.user)));
        }
        for host in hosts {
            for clause in clauses {
                let statement = format!("ALTER USER {}@{} {clause}", literal(&self.0.user), literal(&host));
                conn.query_drop(statement).await.map_err(|e| self.0.fail(action)(describe(&e)))?;
            }
        }
        Ok(())
    }
}

impl CredentialStore for MySqlStore {
    fn describe(&self) -> String {
        self.0.describe()
    }

    async fn relocate(&self) {
        self.0.relocate().await
    }

    fn dual_window(&self) -> bool {
        true
    }

    async fn probe(&self, secret: &Secret) -> Probe {
        self.0.probe(secret).await
    }

    async fn set(&self, current: &Secret, new: &Secret) -> Result<(), StoreError> {
        let mut conn = self.0.changer(current, None, "set").await?;
        let clause = format!("IDENTIFIED BY {} RETAIN CURRENT PASSWORD", literal(new.expose()));
        let result = self.alter_all(&mut conn, &[clause], "set").await;
        let _ = conn.disconnect().await;
        result
    }

    async fn test(&self, new: &Secret) -> Result<(), StoreError> {
        self.0.test(new).await
    }

    async fn finish(&self, _old: &Secret, new: &Secret) -> Result<(), StoreError> {
        let mut conn = self.0.changer(new, None, "finish").await?;
        let result = self.alter_all(&mut conn, &["DISCARD OLD PASSWORD".to_string()], "finish").await;
        let _ = conn.disconnect().await;
        result
    }

    async fn rollback(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        let mut conn = self.0.changer(new, Some(old), "rollback").await?;
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
        use crate::stores::{OpenRequest, StoreAddress, StoreSpec};
        let address = StoreAddress::Tcp { host: "127.0.0.1".into(), port: 1, via: "test".into() };
        let spec =
            StoreSpec { kind: "mysql".into(), service: Some("db".into()), user: Some("app".into()), database: None };
        let request =
            OpenRequest { spec, address, locator: None, login: Secret::new("x"), admin: None, via_exec: None };
        let store = MySqlStore::new(SqlAccount::of("mysql", request));
        let err = store.set(&Secret::new("old-value-123"), &Secret::new("new-value-456")).await.expect_err("fails");
        assert!(err.to_string().starts_with("mysql (service db"), "{err}");
        assert!(!err.to_string().contains("value-"), "{err}");
    }

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(literal(r"a'b\c"), r"'a\'b\\c'");
    }
}
