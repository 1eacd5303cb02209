//! PostgreSQL: connecting as a role (with short timeouts, no TLS on the container network), the live probe (login,
//! then `SELECT 1`) and the classification of failures into rejected / unreachable.

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls};

use crate::secret::Secret;
use crate::stores::{CONNECT_TIMEOUT, PROBE_TIMEOUT, Probe, StoreAddress};

/// The database a login uses when none is configured: the image creates `POSTGRES_DB`, which defaults to the user.
pub const DEFAULT_USER: &str = "postgres";

/// A connected client as `user` with `password` to `database`; the connection task runs on the current runtime
/// and ends when the client is dropped.
pub(crate) async fn connect(
    address: &StoreAddress,
    user: &str,
    password: &Secret,
    database: &str,
) -> Result<Client, tokio_postgres::Error> {
    let config = config(address, user, password, database)?;
    let (client, connection) = config.connect(NoTls).await?;
    tokio::spawn(async move {
        // The connection's own error surfaces through the client's next call.
        let _ = connection.await;
    });
    Ok(client)
}

/// The connection settings: the address, with the credential under test in place of any in a hand-given URI.
fn config(
    address: &StoreAddress,
    user: &str,
    password: &Secret,
    database: &str,
) -> Result<Config, tokio_postgres::Error> {
    let mut config = match address {
        StoreAddress::Uri(uri) => uri.parse::<Config>()?,
        StoreAddress::Tcp { host, port, .. } => {
            let mut config = Config::new();
            config.host(host).port(*port);
            config
        }
    };
    config
        .user(user)
        .password(password.expose())
        .dbname(database)
        .connect_timeout(CONNECT_TIMEOUT)
        .application_name("docker-secops");
    Ok(config)
}

/// Logs in as `user` to `database` with `password` and runs `SELECT 1`.
pub async fn probe(address: &StoreAddress, user: &str, password: &Secret, database: &str) -> Probe {
    let attempt = async {
        let client = connect(address, user, password, database).await?;
        client.simple_query("SELECT 1").await.map(|_| ())
    };
    match tokio::time::timeout(PROBE_TIMEOUT + CONNECT_TIMEOUT, attempt).await {
        Ok(Ok(())) => Probe::Ok,
        Ok(Err(err)) => classify(&err),
        Err(_) => Probe::Unreachable(format!("no answer within {}s", (PROBE_TIMEOUT + CONNECT_TIMEOUT).as_secs())),
    }
}

/// Rejected when the server refused the login (wrong password, no such role, no pg_hba entry); unreachable
/// otherwise.
pub(crate) fn classify(err: &tokio_postgres::Error) -> Probe {
    match err.code() {
        Some(code) if *code == SqlState::INVALID_PASSWORD || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
            Probe::Rejected
        }
        _ => Probe::Unreachable(describe(err)),
    }
}

/// A short reason: the server's message or the I/O error, on one line. Neither ever holds the password.
pub(crate) fn describe(err: &tokio_postgres::Error) -> String {
    let text = match err.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => {
            let mut text = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(inner) = source {
                text = format!("{text}: {inner}");
                source = inner.source();
            }
            text
        }
    };
    text.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_credentials_are_replaced_by_the_ones_under_test() {
        let address = StoreAddress::Uri("postgresql://old:oldpass@127.0.0.1:5433/other".into());
        let config = config(&address, "app", &Secret::new("new-secret"), "app").expect("config");
        assert_eq!(config.get_user(), Some("app"));
        assert_eq!(config.get_password(), Some(&b"new-secret"[..]));
        assert_eq!(config.get_dbname(), Some("app"));
        assert_eq!(config.get_ports(), [5433]);
    }

    #[tokio::test]
    async fn nothing_listening_is_unreachable() {
        let address = StoreAddress::Tcp { host: "127.0.0.1".into(), port: 1, via: "test".into() };
        let probe = probe(&address, "postgres", &Secret::new("whatever-password"), "postgres").await;
        assert!(matches!(probe, Probe::Unreachable(_)), "{probe:?}");
    }
}
