//! MongoDB as a `CredentialStore`: `updateUser` in the user's auth database, as the user itself or as an admin.
//!
//! MongoDB keeps one password per user, so there is no dual window: consumers still on the old password fail
//! their next login until they are recreated, which is why the engine recreates them right after `commit`.
//! Users are never dropped or recreated: `updateUser` changes only the password and keeps roles and data.

use mongodb::Client;
use mongodb::bson::{Document, doc};

use super::connection::{DEFAULT_AUTH_DB, client, first_line};
use crate::secret::Secret;
use crate::stores::{Admin, CredentialStore, LocatedAddress, Probe, StoreAddress, StoreError, StoreLocator};

/// A MongoDB server and the user whose password rotates.
#[derive(Debug, Clone)]
pub struct MongoStore {
    address: LocatedAddress,
    service: String,
    user: String,
    auth_db: String,
    admin: Option<Admin>,
}

impl MongoStore {
    /// The store for `user` of `auth_db` (`admin` when `None`) on the server at `address`.
    pub fn new(address: StoreAddress, service: &str, user: &str, auth_db: Option<&str>) -> Self {
        MongoStore {
            address: LocatedAddress::new(address, None),
            service: service.to_string(),
            user: user.to_string(),
            auth_db: auth_db.filter(|db| !db.is_empty()).unwrap_or(DEFAULT_AUTH_DB).to_string(),
            admin: None,
        }
    }

    /// Lets [`CredentialStore::relocate`] find the server again through the engine.
    pub fn with_locator(mut self, locator: Option<StoreLocator>) -> Self {
        self.address = LocatedAddress::new(self.address.current(), locator);
        self
    }

    /// Changes the password as `admin` (authenticating in the user's auth database) instead of as the user (needs
    /// `changeAnyPassword`).
    pub fn with_admin(mut self, admin: Admin) -> Self {
        self.admin = Some(admin);
        self
    }

    fn err(&self, action: &'static str) -> impl Fn(mongodb::error::Error) -> StoreError + '_ {
        move |err| StoreError { store: self.describe(), action, reason: first_line(&err.to_string()) }
    }

    /// A client allowed to change the password: the admin when configured, else the user with `first`, falling
    /// back to `second` (a rollback does not know which of old and new is current).
    async fn changer(
        &self,
        first: &Secret,
        second: Option<&Secret>,
        action: &'static str,
    ) -> Result<Client, StoreError> {
        if let Some(admin) = &self.admin {
            return client(&self.address.current(), &admin.user, &admin.password, &self.auth_db)
                .await
                .map_err(self.err(action));
        }
        let password = match second {
            Some(second) if self.probe(first).await == Probe::Rejected => second,
            _ => first,
        };
        client(&self.address.current(), &self.user, password, &self.auth_db).await.map_err(self.err(action))
    }

    async fn update_password(&self, client: &Client, value: &Secret, action: &'static str) -> Result<(), StoreError> {
        let command = doc! { "updateUser": self.user.as_str(), "pwd": value.expose() };
        let result = client.database(&self.auth_db).run_command(command).await;
        client.clone().shutdown().await;
        result.map(|_| ()).map_err(self.err(action))
    }
}

impl CredentialStore for MongoStore {
    async fn relocate(&self) {
        self.address.relocate().await
    }

    fn describe(&self) -> String {
        format!("mongo (service {}, {}, user {} in {})", self.service, self.address.current(), self.user, self.auth_db)
    }

    fn dual_window(&self) -> bool {
        false
    }

    async fn probe(&self, secret: &Secret) -> Probe {
        super::connection::probe(&self.address.current(), &self.user, secret, Some(&self.auth_db)).await
    }

    async fn set(&self, current: &Secret, new: &Secret) -> Result<(), StoreError> {
        let client = self.changer(current, None, "set").await?;
        self.update_password(&client, new, "set").await
    }

    async fn test(&self, new: &Secret) -> Result<(), StoreError> {
        let client = client(&self.address.current(), &self.user, new, &self.auth_db).await.map_err(self.err("test"))?;
        let db = client.database(&self.auth_db);
        let status = db.run_command(doc! { "connectionStatus": 1 }).await.map_err(self.err("test (login)"));
        // A real read any authenticated user may do: the databases it is allowed to see.
        let read = db
            .run_command(doc! { "listDatabases": 1, "nameOnly": true, "authorizedDatabases": true })
            .await
            .map_err(self.err("test (read)"));
        client.shutdown().await;
        if !authenticated_as(&status?, &self.user, &self.auth_db) {
            return Err(StoreError {
                store: self.describe(),
                action: "test (login)",
                reason: "connectionStatus does not list the user as authenticated".to_string(),
            });
        }
        read.map(|_| ())
    }

    async fn finish(&self, _old: &Secret, _new: &Secret) -> Result<(), StoreError> {
        // One password per user: the old one stopped working at `set`.
        Ok(())
    }

    async fn rollback(&self, old: &Secret, new: &Secret) -> Result<(), StoreError> {
        let client = self.changer(new, Some(old), "rollback").await?;
        self.update_password(&client, old, "rollback").await
    }
}

/// True when a `connectionStatus` reply lists `user` of `db` among the authenticated users.
fn authenticated_as(status: &Document, user: &str, db: &str) -> bool {
    status
        .get_document("authInfo")
        .and_then(|info| info.get_array("authenticatedUsers"))
        .map(|users| {
            users
                .iter()
                .filter_map(|u| u.as_document())
                .any(|u| u.get_str("user").is_ok_and(|name| name == user) && u.get_str("db").is_ok_and(|d| d == db))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_status_must_name_the_user_in_its_database() {
        let status = doc! { "authInfo": { "authenticatedUsers": [ { "user": "root", "db": "admin" } ] }, "ok": 1 };
        assert!(authenticated_as(&status, "root", "admin"));
        assert!(!authenticated_as(&status, "root", "shop"));
        assert!(!authenticated_as(&doc! { "ok": 1 }, "root", "admin"));
    }

    #[test]
    fn describe_names_user_and_database_never_a_value() {
        let address = StoreAddress::Tcp { host: "127.0.0.1".into(), port: 27017, via: "test".into() };
        let store = MongoStore::new(address, "mongo", "root", None)
            .with_admin(Admin { user: "admin".into(), password: Secret::new("hunter2-hunter2") });
        assert_eq!(store.describe(), "mongo (service mongo, 127.0.0.1:27017, user root in admin)");
        assert!(!format!("{store:?}").contains("hunter2"));
        assert!(!store.dual_window());
    }

    #[tokio::test]
    async fn nothing_listening_fails_set_with_a_store_error() {
        let address = StoreAddress::Tcp { host: "127.0.0.1".into(), port: 1, via: "test".into() };
        let store = MongoStore::new(address, "mongo", "root", Some("admin"));
        let err = store.set(&Secret::new("old-value-123"), &Secret::new("new-value-456")).await.expect_err("fails");
        assert!(err.to_string().starts_with("mongo (service mongo"), "{err}");
        assert!(!err.to_string().contains("value-"), "{err}");
    }
}
