//! MongoDB: the live probe (SCRAM login with the env files' credential in the user's auth database, then `ping`),
//! and the client it and the rotation store share.

use mongodb::Client;
use mongodb::bson::doc;
use mongodb::error::{Error as MongoError, ErrorKind};
use mongodb::options::{ClientOptions, Credential, ServerAddress};

use crate::secret::Secret;
use crate::stores::{CONNECT_TIMEOUT, PROBE_TIMEOUT, Probe, StoreAddress};

/// The auth database when none is configured: where `MONGO_INITDB_ROOT_*` creates the root user.
pub const DEFAULT_AUTH_DB: &str = "admin";

/// MongoDB's error code for a failed login.
const AUTHENTICATION_FAILED: i32 = 18;

/// Logs in to the MongoDB at `address` as `user` with `password` against `auth_db` (`admin` when `None`).
pub async fn probe(address: &StoreAddress, user: &str, password: &Secret, auth_db: Option<&str>) -> Probe {
    let auth_db = auth_db.filter(|db| !db.is_empty()).unwrap_or(DEFAULT_AUTH_DB);
    let attempt = async {
        let client = client(address, user, password, auth_db).await?;
        let result = client.database(auth_db).run_command(doc! { "ping": 1 }).await;
        client.shutdown().await;
        result
    };
    match tokio::time::timeout(PROBE_TIMEOUT + CONNECT_TIMEOUT, attempt).await {
        Ok(Ok(_)) => Probe::Ok,
        Ok(Err(err)) => classify(&err),
        Err(_) => Probe::Unreachable(format!("no answer within {}s", (PROBE_TIMEOUT + CONNECT_TIMEOUT).as_secs())),
    }
}

/// A client logged in as `user` with `password` against `auth_db`, with short timeouts.
pub(crate) async fn client(
    address: &StoreAddress,
    user: &str,
    password: &Secret,
    auth_db: &str,
) -> mongodb::error::Result<Client> {
    Client::with_options(client_options(address, user, password, auth_db).await?)
}

/// Options with short timeouts and the credential under test (replacing any in a hand-given URI).
async fn client_options(
    address: &StoreAddress,
    user: &str,
    password: &Secret,
    auth_db: &str,
) -> mongodb::error::Result<ClientOptions> {
    let mut options = match address {
        StoreAddress::Uri(uri) => ClientOptions::parse(uri).await?,
        StoreAddress::Tcp { host, port, .. } => {
            let mut options = ClientOptions::default();
            options.hosts = vec![ServerAddress::Tcp { host: host.clone(), port: Some(*port) }];
            // One container, not a replica set member list: talk to it directly.
            options.direct_connection = Some(true);
            options
        }
    };
    options.credential = Some(
        Credential::builder()
            .username(user.to_string())
            .password(password.expose().to_string())
            .source(auth_db.to_string())
            .build(),
    );
    options.connect_timeout = Some(CONNECT_TIMEOUT);
    options.server_selection_timeout = Some(PROBE_TIMEOUT);
    options.app_name = Some("docker-secops".to_string());
    Ok(options)
}

/// Rejected when the server refused the login; unreachable otherwise.
pub(crate) fn classify(err: &MongoError) -> Probe {
    let rejected = match err.kind.as_ref() {
        ErrorKind::Authentication { .. } => true,
        ErrorKind::Command(command) => command.code == AUTHENTICATION_FAILED,
        // A login refused during server selection surfaces here, with the server's words in the message.
        ErrorKind::ServerSelection { message, .. } => message.contains("Authentication failed"),
        _ => false,
    };
    if rejected { Probe::Rejected } else { Probe::Unreachable(first_line(&err.to_string())) }
}

/// The first line of a driver error, without the topology dump.
pub(crate) fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    // Server selection errors append the whole topology description; the first clause is what a user needs.
    line.split(", Topology:").next().unwrap_or(line).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn uri_credentials_are_replaced_and_timeouts_are_short() {
        let address = StoreAddress::Uri("mongodb://old:oldpass@127.0.0.1:27018/?authSource=other".into());
        let options = client_options(&address, "root", &Secret::new("new-secret"), "admin").await.expect("options");
        let credential = options.credential.expect("credential");
        assert_eq!(credential.username.as_deref(), Some("root"));
        assert_eq!(credential.password.as_deref(), Some("new-secret"));
        assert_eq!(credential.source.as_deref(), Some("admin"));
        assert_eq!(options.server_selection_timeout, Some(PROBE_TIMEOUT));
    }

    #[test]
    fn other_failures_are_unreachable_with_a_short_reason() {
        // (The driver's error kinds cannot be built outside it; rejections are pinned by the live tests.)
        let err = MongoError::custom("x");
        assert!(matches!(classify(&err), Probe::Unreachable(_)));
        assert_eq!(first_line("No server, Topology: { ... }\nmore"), "No server");
    }

    #[tokio::test]
    async fn nothing_listening_is_unreachable() {
        let address = StoreAddress::Tcp { host: "127.0.0.1".into(), port: 1, via: "test".into() };
        let probe = probe(&address, "root", &Secret::new("whatever-password"), None).await;
        assert!(matches!(probe, Probe::Unreachable(_)), "{probe:?}");
    }
}
