//! The account a MariaDB or MySQL rotation changes, and the logins it works through: the user's own (with the
//! current or, in a rollback, whichever of old and new works) or an admin's; plus the test's fresh login with a
//! real write and read. Both stores speak the same protocol and differ only in their `ALTER USER` statements.

use mysql_async::Conn;

use super::connection::{connect, probe, write_and_read};
use crate::secret::Secret;
use crate::stores::{Admin, LocatedAddress, OpenRequest, Probe, StoreError};

/// A server, the account whose password rotates, and who changes it.
#[derive(Debug)]
pub struct SqlAccount {
    /// The store kind's name, for messages (`mariadb`, `mysql`).
    kind: &'static str,
    address: LocatedAddress,
    service: String,
    pub user: String,
    /// The database the test's temporary table goes in (the account may have no other).
    database: Option<String>,
    admin: Option<Admin>,
}

impl SqlAccount {
    /// The account of a rotation's `request` (root unless the plan names another).
    pub fn of(kind: &'static str, request: OpenRequest) -> Self {
        let OpenRequest { spec, address, admin, locator, .. } = request;
        SqlAccount {
            kind,
            address: LocatedAddress::new(address, locator),
            service: spec.service().unwrap_or(kind).to_string(),
            user: spec.user.clone().unwrap_or_else(|| "root".to_string()),
            database: spec.database.clone(),
            admin,
        }
    }

    /// `mariadb (service db, 172.18.0.2:3306, account root)`.
    pub fn describe(&self) -> String {
        format!("{} (service {}, {}, account {})", self.kind, self.service, self.address.current(), self.user)
    }

    /// A store error of this account.
    pub fn fail(&self, action: &'static str) -> impl Fn(String) -> StoreError + '_ {
        move |reason| StoreError { store: self.describe(), action, reason }
    }

    /// Tries to log in as the user with `secret`.
    pub async fn probe(&self, secret: &Secret) -> Probe {
        probe(&self.address.current(), &self.user, secret).await
    }

    /// Finds the server again after its container was recreated.
    pub async fn relocate(&self) {
        self.address.relocate().await
    }

    /// A connection allowed to change the account: the admin's, else the user's with `first`, falling back to
    /// `second` (a rollback does not know which of old and new is current).
    pub async fn changer(
        &self,
        first: &Secret,
        second: Option<&Secret>,
        action: &'static str,
    ) -> Result<Conn, StoreError> {
        if let Some(admin) = &self.admin {
            return connect(&self.address.current(), &admin.user, &admin.password).await.map_err(self.fail(action));
        }
        let password = match second {
            Some(second) if self.probe(first).await == Probe::Rejected => second,
            _ => first,
        };
        connect(&self.address.current(), &self.user, password).await.map_err(self.fail(action))
    }

    /// A fresh login as the user with `new`, then a real write and read.
    pub async fn test(&self, new: &Secret) -> Result<(), StoreError> {
        let mut conn = connect(&self.address.current(), &self.user, new).await.map_err(self.fail("test (login)"))?;
        let result = write_and_read(&mut conn, self.database.as_deref()).await;
        let _ = conn.disconnect().await;
        result.map_err(|(action, reason)| StoreError { store: self.describe(), action, reason })
    }
}

/// A single-quoted SQL string literal (quotes and backslashes escaped).
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}
