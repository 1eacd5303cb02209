//! PostgreSQL as a `CredentialStore`: `ALTER ROLE ... PASSWORD` with a SCRAM-SHA-256 verifier computed here.
//!
//! The verifier is what the server stores anyway; sending it instead of the password keeps the plaintext out of the
//! server's statement log (`log_statement=all` logs the statement verbatim). PostgreSQL keeps one password per
//! role, so there is no dual window: from `set` on, new logins with the old password are refused (open sessions
//! stay), which is why the engine recreates the consumers right after `commit`.

use postgres_protocol::escape::{escape_identifier, escape_literal};
use tokio_postgres::{Client, SimpleQueryMessage};

use super::connection::{connect, describe};
use super::via_exec::ViaExec;
use crate::secret::Secret;
use crate::stores::{Admin, CredentialStore, LocatedAddress, Probe, StoreAddress, StoreError, StoreLocator};

/// A PostgreSQL server and the role whose password rotates.
#[derive(Debug)]
pub struct PostgresStore {
    address: LocatedAddress,
    service: String,
    user: String,
    database: String,
    admin: Option<Admin>,
    via_exec: Option<ViaExec>,
}

impl PostgresStore {
    /// The store for role `user` working in `database` on the server at `address`.
    pub fn new(address: StoreAddress, service: &str, user: &str, database: &str) -> Self {
        PostgresStore {
            address: LocatedAddress::new(address, None),
            service: service.to_string(),
            user: user.to_string(),
            database: database.to_string(),
            admin: None,
            via_exec: None,
        }
    }

    /// Lets [`CredentialStore::relocate`] find the server again through the engine.
    pub fn with_locator(mut self, locator: Option<StoreLocator>) -> Self {
        self.address = LocatedAddress::new(self.address.current(), locator);
        self
    }

    /// Changes the password as `admin` (a superuser or a role with CREATEROLE) instead of as the role itself.
    pub fn with_admin(mut self, admin: Admin) -> Self {
        self.admin = Some(admin);
        self
    }

    /// Changes the password through `psql` inside the server's container (local connections trusted), for a
    /// database whose password nobody knows any more.
    pub fn with_via_exec(mut self, via_exec: ViaExec) -> Self {
        self.via_exec = Some(via_exec);
        self
    }

    fn err(&self, action: &'static str) -> impl Fn(tokio_postgres::Error) -> StoreError + '_ {
        move |err| StoreError { store: self.describe(), action, reason: describe(&err) }
    }

    /// A client allowed to change the password: the admin when configured, else the role with `first`, falling
    /// back to `second` (a rollback does not know which of old and new is current).
    async fn changer(
        &self,
        first: &Secret,
        second: Option<&Secret>,
        action: &'static str,
    ) -> Result<Client, StoreError> {
        if let Some(admin) = &self.admin {
            return connect(&self.address.current(), &admin.user, &admin.password, &self.database)
                .await
                .map_err(self.err(action));
        }
        let password = match second {
            Some(second) if self.probe(first).await == Probe::Rejected => second,
            _ => first,
        };
        connect(&self.address.current(), &self.user, password, &self.database).await.map_err(self.err(action))
    }

    /// `ALTER ROLE "user" PASSWORD 'SCRAM-SHA-256$...'`: only the verifier is ever sent or logged.
    fn alter_role(&self, value: &Secret) -> String {
        let verifier = postgres_protocol::password::scram_sha_256(value.expose().as_bytes());
        format!("ALTER ROLE {} PASSWORD {}", escape_identifier(&self.user), escape_literal(&verifier))
    }

    async fn change(
        &self,
        first: &Secret,
        second: Option<&Secret>,
        value: &Secret,
        action: &'static str,
    ) -> Result<(), StoreError> {
        let statement = self.alter_role(value);
        if let Some(via_exec) = &self.via_exec {
            return via_exec.run(&statement).await.map_err(|reason| StoreError {
                store: self.describe(),
                action,
                reason,
            });
        }
        let client = self.changer(first, second, action).await?;
        client.batch_execute(&statement).await.map_err(self.err(action))
    }
}

impl CredentialStore for PostgresStore {
    async fn relocate(&self) {
        self.address.relocate().await
    }

    fn describe(&self) -> String {
        format!(
            "postgres (service {}, {}, role {} in {})",
            self.service,
            self.address.current(),
            self.user,
            self.database
        )
    }

    fn dual_window(&self) -> bool {
        false
    }

    async fn probe(&self, secret: &Secret) -> Probe {
        super::connection::probe(&self.address.current(), &self.user, secret, &self.database).await
    }

    async fn set(&self, current: &Secret, new: &Secret) -> Result<(), StoreError> {
        self.change(current, None, new, "set").await
    }

    async fn test(&self, new: &Secret) -> Result<(), StoreError> {
        let client = connect(&self.address.current(), &self.user, new, &self.database)
            .await
            .map_err(self.err("test (login)"))?;
        let nonce = Secret::new(format!("{:?}{}", std::time::SystemTime::now(), std::process::id())).fingerprint();
        // A temporary table: a real write and read that leave nothing behind and need no privilege on the schema.
        let script = format!(
            "CREATE TEMP TABLE secops_rotation_test (v text); INSERT INTO secops_rotation_test VALUES ({nonce}); \
             SELECT v FROM secops_rotation_test",
            nonce = escape_literal(&nonce)
        );
        let messages = client.simple_query(&script).await.map_err(self.err("test (write)"))?;
        let read =
            messages.iter().any(|m| matches!(m, SimpleQueryMessage::Row(row) if row.get(0) == Some(nonce.as_str())));
        if !read {
            return Err(StoreError {
                store: self.describe(),
                action: "test (read)",
                reason: "the value written was not read back".to_string(),
            });
        }
        Ok(())
    }

    async fn finish(&self, _old: &Secret, _new: &Secret) -> Result<(), StoreError> {
        // One password per role: the old one stopped working at `set`.
        Ok(())
    }

    async fn rollback(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        self.change(new, Some(old), old, "rollback").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> PostgresStore {
        let address = StoreAddress::Tcp { host: "127.0.0.1".into(), port: 1, via: "test".into() };
        PostgresStore::new(address, "db", "app\"user", "app")
    }

    #[test]
    fn the_statement_holds_a_verifier_never_the_password() {
        let statement = store().alter_role(&Secret::new("hunter2-hunter2"));
        assert!(statement.starts_with("ALTER ROLE \"app\"\"user\" PASSWORD 'SCRAM-SHA-256$4096:"), "{statement}");
        assert!(!statement.contains("hunter2"), "{statement}");
    }

    #[tokio::test]
    async fn nothing_listening_fails_set_with_a_store_error_without_values() {
        let err = store().set(&Secret::new("old-value-123"), &Secret::new("new-value-456")).await.expect_err("fails");
        assert!(err.to_string().starts_with("postgres (service db"), "{err}");
        assert!(!err.to_string().contains("value-"), "{err}");
    }
}
