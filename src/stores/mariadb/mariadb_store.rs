//! MariaDB as a `CredentialStore`, with a dual window: from 10.4 an account may hold several authentication
//! rules at once, so `set` restates the account's rules with a `mysql_native_password` rule of the new password
//! beside the old one (both log in), and `finish` restates them without the old one.
//!
//! Every rule is written as the hash the server stores (`USING '*HASH'`): `IDENTIFIED BY` and `PASSWORD('...')`
//! reach the general log in plain text. Rules the rotation does not replace (`unix_socket` on root) are read from
//! `mysql.global_priv` first and kept, and every account row of the user (`root@localhost` and `root@'%'`) changes.

use mysql_async::Conn;
use mysql_async::prelude::Queryable;

use super::auth_rule::NATIVE;
use super::auth_rule::{AuthRule, with_rule, without_rule};
use super::connection::describe;
use super::sql_account::SqlAccount;
use crate::secret::Secret;
use crate::stores::{CredentialStore, Probe, StoreError};

/// A MariaDB server and the account whose password rotates.
#[derive(Debug)]
pub struct MariaDbStore(SqlAccount);

impl MariaDbStore {
    /// The store for `account`.
    pub fn new(account: SqlAccount) -> Self {
        MariaDbStore(account)
    }

    /// Every account row of the user, with its rules.
    async fn accounts(
        &self,
        conn: &mut Conn,
        action: &'static str,
    ) -> Result<Vec<(String, Vec<AuthRule>)>, StoreError> {
        let rows: Vec<(String, String)> = conn
            .exec("SELECT Host, Priv FROM mysql.global_priv WHERE User = ?", (self.0.user.as_str(),))
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
            return Err(StoreError { store: self.describe(), action, reason: format!("no account {}", self.0.user) });
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
        let mut conn = self.0.changer(first, second, action).await?;
        let accounts = self.accounts(&mut conn, action).await?;
        for (host, rules) in accounts {
            let wanted = change(&rules);
            if wanted != rules {
                let statement = AuthRule::alter_user(&self.0.user, &host, &wanted);
                conn.query_drop(statement).await.map_err(|e| self.0.fail(action)(describe(&e)))?;
            }
        }
        let _ = conn.disconnect().await;
        Ok(())
    }
}

impl CredentialStore for MariaDbStore {
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
        self.0.test(new).await
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
