//! PostgreSQL: connecting as a role (with short timeouts; no TLS on the container network, a `--store-uri`'s
//! `sslmode` otherwise, see [`TlsMode`]), the live probe (login, then `SELECT 1`) and the classification of
//! failures into rejected / unreachable.

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls};

use super::tls_mode::TlsMode;
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
    let (config, tls) = config(address, user, password, database)?;
    // The connection's own error surfaces through the client's next call.
    let client = match tls.connector() {
        None => {
            let (client, connection) = config.connect(NoTls).await?;
            tokio::spawn(async move { drop(connection.await) });
            client
        }
        Some(tls) => {
            let (client, connection) = config.connect(tls).await?;
            tokio::spawn(async move { drop(connection.await) });
            client
        }
    };
    Ok(client)
}

/// The connection settings: the address, with the credential under test in place of any in a hand-given URI.
fn config(
    address: &StoreAddress,
    user: &str,
    password: &Secret,
    database: &str,
) -> Result<(Config, TlsMode), tokio_postgres::Error> {
    let (mut config, tls) = match address {
        StoreAddress::Uri(uri) => match TlsMode::of_uri(uri) {
            Ok((tls, uri)) => (uri.parse::<Config>()?, tls),
            // tokio-postgres says what is wrong with the parameter (and never echoes the URI's password).
            Err(_) => (uri.parse::<Config>()?, TlsMode::Disable),
        },
        StoreAddress::Tcp { host, port, .. } => {
            let mut config = Config::new();
            config.host(host).port(*port);
            (config, TlsMode::Disable)
        }
    };
    config
        .user(user)
        .password(password.expose())
        .dbname(database)
        .connect_timeout(CONNECT_TIMEOUT)
        .application_name("docker-secops");
    Ok((config, tls))
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
        let (config, tls) = config(&address, "app", &Secret::new("new-secret"), "app").expect("config");
        assert_eq!(tls, TlsMode::Prefer, "libpq's default for a URI");
        assert_eq!(config.get_user(), Some("app"));
        assert_eq!(config.get_password(), Some(&b"new-secret"[..]));
        assert_eq!(config.get_dbname(), Some("app"));
        assert_eq!(config.get_ports(), [5433]);
    }

    #[test]
    fn the_in_network_address_never_uses_tls_and_verify_full_is_read_for_tokio_postgres() {
        let address = StoreAddress::Tcp { host: "172.18.0.2".into(), port: 5432, via: "test".into() };
        assert_eq!(config(&address, "app", &Secret::new("x"), "app").expect("config").1, TlsMode::Disable);
        let address = StoreAddress::Uri("postgresql://db.example:5432/app?sslmode=verify-full".into());
        let (config, tls) = config(&address, "app", &Secret::new("x"), "app").expect("config");
        assert_eq!((tls, config.get_ssl_mode()), (TlsMode::Verify, tokio_postgres::config::SslMode::Require));
    }

    #[tokio::test]
    async fn nothing_listening_is_unreachable() {
        let address = StoreAddress::Tcp { host: "127.0.0.1".into(), port: 1, via: "test".into() };
        let probe = probe(&address, "postgres", &Secret::new("whatever-password"), "postgres").await;
        assert!(matches!(probe, Probe::Unreachable(_)), "{probe:?}");
    }
}
