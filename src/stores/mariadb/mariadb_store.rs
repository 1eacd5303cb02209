//! MariaDB as a `CredentialStore`, with a dual window: from 10.4 an account may hold several authentication
//! rules at once, so `set` restates the account's rules with a `mysql_native_password` rule of the new password
//! beside the old one (both log in), and `finish` restates them without the old one.
//!
//! Every rule is written as the hash the server stores (`USING '*HASH'`): `IDENTIFIED BY` and `PASSWORD('...')`
//! reach the general log in plain text. Rules the rotation does not replace (`unix_socket` on root) are read from
//! `mysql.global_priv` first and kept, and every account row of the user (`root@localhost` and `root@'%'`) changes.

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, OptsBuilder};

use super::auth_rule::NATIVE;
use super::auth_rule::{AuthRule, with_rule, without_rule};
use super::connection::describe;
use crate::secret::Secret;
use crate::stores::{Admin, CONNECT_TIMEOUT, CredentialStore, Probe, StoreAddress, StoreError};

/// A MariaDB server and the account whose password rotates.
#[derive(Debug)]
pub struct MariaDbStore {
    address: StoreAddress,
    service: String,
    user: String,
    /// The database the test's temporary table goes in (the account may have no other).
    database: Option<String>,
    admin: Option<Admin>,
}

impl MariaDbStore {
    /// The store for account `user` on the server at `address`.
    pub fn new(address: StoreAddress, service: &str, user: &str, database: Option<&str>) -> Self {
        MariaDbStore {
            address,
            service: service.to_string(),
            user: user.to_string(),
            database: database.map(str::to_string),
            admin: None,
        }
    }

    /// Changes the password as `admin` (an account with `CREATE USER`) instead of as the user itself.
    pub fn with_admin(mut self, admin: Admin) -> Self {
        self.admin = Some(admin);
        self
    }

    fn err(&self, action: &'static str) -> impl Fn(mysql_async::Error) -> StoreError + '_ {
        move |err| StoreError { store: self.describe(), action, reason: describe(&err) }
    }

    async fn connect(&self, user: &str, password: &Secret, action: &'static str) -> Result<Conn, StoreError> {
        let base = match &self.address {
            StoreAddress::Uri(uri) => OptsBuilder::from_opts(Opts::from_url(uri).map_err(|e| StoreError {
                store: self.describe(),
                action,
                reason: format!("bad URI: {e}"),
            })?),
            StoreAddress::Tcp { host, port, .. } => OptsBuilder::default().ip_or_hostname(host.clone()).tcp_port(*port),
        };
        let opts = base.user(Some(user)).pass(Some(password.expose())).prefer_socket(false);
        match tokio::time::timeout(CONNECT_TIMEOUT * 5, Conn::new(opts)).await {
            Ok(conn) => conn.map_err(self.err(action)),
            Err(_) => Err(StoreError { store: self.describe(), action, reason: "no answer".to_string() }),
        }
    }

    /// A connection allowed to change the account: the admin's, else the user's with `first`, falling back to
    /// `second` (a rollback does not know which of old and new is current).
    async fn changer(&self, first: &Secret, second: Option<&Secret>, action: &'static str) -> Result<Conn, StoreError> {
        if let Some(admin) = &self.admin {
            return self.connect(&admin.user, &admin.password, action).await;
        }
        let password = match second {
            Some(second) if self.probe(first).await == Probe::Rejected => second,
            _ => first,
        };
        self.connect(&self.user, password, action).await
    }

    /// Every account row of the user, with its rules.
    async fn accounts(
        &self,
        conn: &mut Conn,
        action: &'static str,
    ) -> Result<Vec<(String, Vec<AuthRule>)>, StoreError> {
        let rows: Vec<(String, String)> = conn
            .exec("SELECT Host, Priv FROM mysql.global_priv WHERE User = ?", (self.user.as_str(),))
            .await
            .map_err(|err| StoreError {
                store: self.describe(),
                action,
                reason: format!(
                    "cannot read the account's authentication rules ({}): rotate as an account with CREATE USER \
                     and SELECT on mysql (--admin-user root, its password on stdin)",
                    describe(&err)
                ),
            })?;
        if rows.is_empty() {
            return Err(StoreError { store: self.describe(), action, reason: format!("no account {}", self.user) });
        }
        rows.into_iter()
            .map(|(host, json)| {
                let rules = AuthRule::parse_priv(&json).map_err(|reason| StoreError {
                    store: self.describe(),
                    action,
                    reason,
                })?;
                Ok((host, rules))
            })
            .collect()
    }

    /// Restates each account row's rules as `change` makes them, logged in as `changer` says.
    async fn restate(
        &self,
        first: &Secret,
        second: Option<&Secret>,
        action: &'static str,
        change: impl Fn(&[AuthRule]) -> Vec<AuthRule>,
    ) -> Result<(), StoreError> {
        let mut conn = self.changer(first, second, action).await?;
        let accounts = self.accounts(&mut conn, action).await?;
        for (host, rules) in accounts {
            let wanted = change(&rules);
            if wanted != rules {
                let statement = AuthRule::alter_user(&self.user, &host, &wanted);
                conn.query_drop(statement).await.map_err(self.err(action))?;
            }
        }
        let _ = conn.disconnect().await;
        Ok(())
    }
}

impl CredentialStore for MariaDbStore {
    fn describe(&self) -> String {
        format!("mariadb (service {}, {}, account {})", self.service, self.address, self.user)
    }

    fn dual_window(&self) -> bool {
        true
    }

    async fn probe(&self, secret: &Secret) -> Probe {
        super::connection::probe(&self.address, &self.user, secret).await
    }

    async fn set(&self, current: &Secret, new: &Secret) -> Result<(), StoreError> {
        let new = AuthRule::native(new);
        // The old rule stays where it is. A row with no password rule at all (root@localhost by unix_socket
        // only) gains none: the rotation never opens a way in that was not there.
        self.restate(current, None, "set", |rules| match rules.iter().any(|r| r.plugin == NATIVE) {
            true => with_rule(rules, &new),
            false => rules.to_vec(),
        })
        .await
    }

    async fn test(&self, new: &Secret) -> Result<(), StoreError> {
        let mut conn = self.connect(&self.user, new, "test (login)").await?;
        let nonce = Secret::new(format!("{:?}{}", std::time::SystemTime::now(), std::process::id())).fingerprint();
        // A temporary table: a real write and read that leave nothing behind.
        let table = match &self.database {
            Some(db) => format!("`{}`.secops_rotation_test", db.replace('`', "``")),
            None => "mysql.secops_rotation_test".to_string(),
        };
        conn.query_drop(format!("CREATE TEMPORARY TABLE {table} (v VARCHAR(64))"))
            .await
            .map_err(self.err("test (write)"))?;
        conn.exec_drop(format!("INSERT INTO {table} VALUES (?)"), (nonce.as_str(),))
            .await
            .map_err(self.err("test (write)"))?;
        let read: Option<String> =
            conn.query_first(format!("SELECT v FROM {table}")).await.map_err(self.err("test (read)"))?;
        let _ = conn.disconnect().await;
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
        let (old_rule, new_rule) = (AuthRule::native(old), AuthRule::native(new));
        self.restate(new, None, "finish", |rules| match rules.contains(&new_rule) {
            true => without_rule(rules, &old_rule),
            false => rules.to_vec(),
        })
        .await
    }

    async fn rollback(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        let (old_rule, new_rule) = (AuthRule::native(old), AuthRule::native(new));
        self.restate(new, Some(old), "rollback", |rules| match rules.contains(&new_rule) {
            true => without_rule(&with_rule(rules, &old_rule), &new_rule),
            false => rules.to_vec(),
        })
        .await
    }
}
