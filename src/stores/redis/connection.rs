//! Redis: the live probe (AUTH with the env files' credential, then PING) and the connection it and the
//! rotation store share.

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, ConnectionAddr, ErrorKind, IntoConnectionInfo, RedisError, ServerErrorKind};

use crate::secret::Secret;
use crate::stores::{CONNECT_TIMEOUT, PROBE_TIMEOUT, Probe, StoreAddress};

/// Logs in to the Redis at `address` as `user` (the default user when `None`) with `password` and PINGs.
pub async fn probe(address: &StoreAddress, user: Option<&str>, password: &Secret) -> Probe {
    let attempt = async {
        let mut connection = connect(address, user, password).await?;
        redis::cmd("PING").query_async::<String>(&mut connection).await
    };
    match tokio::time::timeout(PROBE_TIMEOUT, attempt).await {
        Ok(Ok(_)) => Probe::Ok,
        Ok(Err(err)) => classify(&err),
        Err(_) => Probe::Unreachable(format!("no answer within {}s", PROBE_TIMEOUT.as_secs())),
    }
}

/// A fresh authenticated connection with short connect and response timeouts.
pub(crate) async fn connect(
    address: &StoreAddress,
    user: Option<&str>,
    password: &Secret,
) -> redis::RedisResult<MultiplexedConnection> {
    let client = redis::Client::open(connection_info(address, user, password)?)?;
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(CONNECT_TIMEOUT))
        .set_response_timeout(Some(CONNECT_TIMEOUT));
    client.get_multiplexed_async_connection_with_config(&config).await
}

/// The connection settings: the address, with the credential under test in place of any in a hand-given URI.
fn connection_info(
    address: &StoreAddress,
    user: Option<&str>,
    password: &Secret,
) -> redis::RedisResult<redis::ConnectionInfo> {
    let info = match address {
        StoreAddress::Uri(uri) => uri.as_str().into_connection_info()?,
        StoreAddress::Tcp { host, port, .. } => ConnectionAddr::Tcp(host.clone(), *port).into_connection_info()?,
    };
    let db = info.redis_settings().db();
    let mut settings = redis::RedisConnectionInfo::default().set_db(db).set_skip_set_lib_name();
    if let Some(user) = user.filter(|u| !u.is_empty()) {
        settings = settings.set_username(user);
    }
    if !password.is_empty() {
        settings = settings.set_password(password.expose());
    }
    Ok(info.set_redis_settings(settings))
}

/// Rejected when the server answered and refused the credential; unreachable otherwise.
pub(crate) fn classify(err: &RedisError) -> Probe {
    let refused_by_server = matches!(err.kind(), ErrorKind::AuthenticationFailed)
        || matches!(err.kind(), ErrorKind::Server(ServerErrorKind::NoPerm))
        || matches!(err.code(), Some("NOAUTH" | "WRONGPASS" | "NOPERM"));
    if refused_by_server { Probe::Rejected } else { Probe::Unreachable(describe(err)) }
}

/// A short reason; redis errors never contain the password, but keep only the first line.
pub(crate) fn describe(err: &RedisError) -> String {
    let text = if err.is_timeout() {
        format!("no answer within {}s", CONNECT_TIMEOUT.as_secs())
    } else if err.is_connection_refusal() {
        "connection refused".to_string()
    } else {
        err.to_string()
    };
    text.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_credentials_are_replaced_by_the_ones_under_test() {
        let address = StoreAddress::Uri("redis://olduser:oldpass@127.0.0.1:6380/2".into());
        let info = connection_info(&address, Some("app"), &Secret::new("new-secret")).expect("info");
        assert_eq!(info.redis_settings().username(), Some("app"));
        assert_eq!(info.redis_settings().password(), Some("new-secret"));
        assert_eq!(info.redis_settings().db(), 2);
        let info = connection_info(&address, None, &Secret::new("x")).expect("info");
        assert_eq!(info.redis_settings().username(), None);
    }

    #[test]
    fn auth_failures_are_rejections() {
        let err = RedisError::from((ErrorKind::AuthenticationFailed, "Password authentication failed"));
        assert_eq!(classify(&err), Probe::Rejected);
        let err = RedisError::from(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(classify(&err), Probe::Unreachable("connection refused".into()));
    }

    #[tokio::test]
    async fn nothing_listening_is_unreachable() {
        // Port 1 on the loopback: nothing listens there, the connection is refused at once.
        let address = StoreAddress::Tcp { host: "127.0.0.1".into(), port: 1, via: "test".into() };
        let probe = probe(&address, None, &Secret::new("whatever-password")).await;
        assert!(matches!(probe, Probe::Unreachable(_)), "{probe:?}");
    }
}
