//! MariaDB: the live probe (a login with short timeouts, no TLS on the container network, then `SELECT 1`), with
//! failures classified into rejected / unreachable.

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
