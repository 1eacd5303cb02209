//! The MySQL protocol shared by the MariaDB and MySQL stores: the live probe (a login with short timeouts, no TLS
//! on the container network, then `SELECT 1`) with failures classified into rejected / unreachable, the login a
//! rotation works through, and its test's real write and read.

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, OptsBuilder};

use crate::secret::Secret;
use crate::stores::{CONNECT_TIMEOUT, PROBE_TIMEOUT, Probe, StoreAddress};

/// Server error codes of a refused login: access denied (1045), and access denied without a password (1698).
const ACCESS_DENIED: &[u16] = &[1045, 1698];

/// Logs in as `user` with `password` and runs `SELECT 1`.
pub async fn probe(address: &StoreAddress, user: &str, password: &Secret) -> Probe {
    let attempt = async {
        let base = match address {
            StoreAddress::Uri(uri) => match Opts::from_url(uri) {
                Ok(opts) => OptsBuilder::from_opts(opts),
                Err(err) => return Probe::Unreachable(format!("bad URI: {err}")),
            },
            StoreAddress::Tcp { host, port, .. } => OptsBuilder::default().ip_or_hostname(host.clone()).tcp_port(*port),
        };
        let opts = base.user(Some(user)).pass(Some(password.expose())).prefer_socket(false);
        let mut conn = match Conn::new(opts).await {
            Ok(conn) => conn,
            Err(err) => return classify(&err),
        };
        let result: Result<Option<u8>, _> = conn.query_first("SELECT 1").await;
        let _ = conn.disconnect().await;
        match result {
            Ok(_) => Probe::Ok,
            Err(err) => classify(&err),
        }
    };
    match tokio::time::timeout(PROBE_TIMEOUT + CONNECT_TIMEOUT, attempt).await {
        Ok(probe) => probe,
        Err(_) => Probe::Unreachable(format!("no answer within {}s", (PROBE_TIMEOUT + CONNECT_TIMEOUT).as_secs())),
    }
}

/// Logs in as `user` with `password` (no TLS: the store is reached on the container network or a published port).
pub(crate) async fn connect(address: &StoreAddress, user: &str, password: &Secret) -> Result<Conn, String> {
    let base = match address {
        StoreAddress::Uri(uri) => OptsBuilder::from_opts(Opts::from_url(uri).map_err(|e| format!("bad URI: {e}"))?),
        StoreAddress::Tcp { host, port, .. } => OptsBuilder::default().ip_or_hostname(host.clone()).tcp_port(*port),
    };
    let opts = base.user(Some(user)).pass(Some(password.expose())).prefer_socket(false);
    match tokio::time::timeout(CONNECT_TIMEOUT * 5, Conn::new(opts)).await {
        Ok(conn) => conn.map_err(|err| describe(&err)),
        Err(_) => Err("no answer".to_string()),
    }
}

/// A real write and read that leave nothing behind: a temporary table in `database` (the account may have no
/// other; `mysql` when none is known). The error names the half that failed.
pub(crate) async fn write_and_read(conn: &mut Conn, database: Option<&str>) -> Result<(), (&'static str, String)> {
    let nonce = Secret::new(format!("{:?}{}", std::time::SystemTime::now(), std::process::id())).fingerprint();
    let table = format!("`{}`.secops_rotation_test", database.unwrap_or("mysql").replace('`', "``"));
    let write = |e: mysql_async::Error| ("test (write)", describe(&e));
    conn.query_drop(format!("CREATE TEMPORARY TABLE {table} (v VARCHAR(64))")).await.map_err(write)?;
    conn.exec_drop(format!("INSERT INTO {table} VALUES (?)"), (nonce.as_str(),)).await.map_err(write)?;
    let read: Option<String> =
        conn.query_first(format!("SELECT v FROM {table}")).await.map_err(|e| ("test (read)", describe(&e)))?;
    match read.as_deref() == Some(nonce.as_str()) {
        true => Ok(()),
        false => Err(("test (read)", "the value written was not read back".to_string())),
    }
}

/// Rejected when the server refused the login; unreachable otherwise.
pub(crate) fn classify(err: &mysql_async::Error) -> Probe {
    match err {
        mysql_async::Error::Server(server) if ACCESS_DENIED.contains(&server.code) => Probe::Rejected,
        other => Probe::Unreachable(describe(other)),
    }
}

/// The server's message or the I/O error, on one line (MariaDB's "Access denied" never holds the password).
pub(crate) fn describe(err: &mysql_async::Error) -> String {
    err.to_string().lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn nothing_listening_is_unreachable() {
        let address = StoreAddress::Tcp { host: "127.0.0.1".into(), port: 1, via: "test".into() };
        let probe = probe(&address, "root", &Secret::new("whatever-password")).await;
        assert!(matches!(probe, Probe::Unreachable(_)), "{probe:?}");
    }
}
