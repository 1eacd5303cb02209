//! Whether a PostgreSQL login uses TLS: libpq's `sslmode` from a `--store-uri` (URL query or `key=value` form),
//! `disable` for the address found on the container network. TLS is rustls (no OpenSSL); `verify-full` and
//! `verify-ca` check the server's certificate against the system's roots (both as `verify-full`: the host name is
//! checked too), `require` and `prefer` encrypt without checking it, as libpq does without a root certificate.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// The TLS a login asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// No TLS (`disable`, and the in-network address).
    Disable,
    /// TLS when the server offers it (`allow`, `prefer`: libpq's default for a URI without `sslmode`).
    Prefer,
    /// TLS or no connection, the certificate not checked (`require`).
    Require,
    /// TLS with the certificate checked against the system's roots and the host name (`verify-ca`, `verify-full`).
    Verify,
}

impl TlsMode {
    /// The mode `uri` asks for, and the URI as tokio-postgres reads it (which knows no `verify-*`: those become
    /// `require`, the TLS checks being done here).
    pub fn of_uri(uri: &str) -> Result<(TlsMode, String), String> {
        let mut mode = TlsMode::Prefer;
        let mut rewritten = String::with_capacity(uri.len());
        // In a URL `sslmode=` stands after `?` or `&`; in the key=value form after a space or at the start.
        let mut rest = uri;
        while let Some(at) = rest.find("sslmode=") {
            let starts = at == 0 || matches!(rest.as_bytes()[at - 1], b'?' | b'&' | b' ');
            let (before, after) = rest.split_at(at + "sslmode=".len());
            rewritten.push_str(before);
            let end = after.find(['&', ' ', '#']).unwrap_or(after.len());
            let (value, tail) = after.split_at(end);
            if starts {
                mode = match value {
                    "disable" => TlsMode::Disable,
                    "allow" | "prefer" => TlsMode::Prefer,
                    "require" => TlsMode::Require,
                    "verify-ca" | "verify-full" => TlsMode::Verify,
                    other => return Err(format!("unknown sslmode `{other}` (disable, prefer, require, verify-full)")),
                };
                rewritten.push_str(match mode {
                    TlsMode::Disable => "disable",
                    TlsMode::Prefer => "prefer",
                    TlsMode::Require | TlsMode::Verify => "require",
                });
            } else {
                rewritten.push_str(value);
            }
            rest = tail;
        }
        rewritten.push_str(rest);
        Ok((mode, rewritten))
    }

    /// The rustls connector for this mode (`None`: no TLS at all).
    pub fn connector(self) -> Option<MakeRustlsConnect> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder =
            ClientConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions().ok()?;
        let config = match self {
            TlsMode::Disable => return None,
            TlsMode::Verify => {
                let mut roots = RootCertStore::empty();
                // Unreadable system certificates are skipped: the handshake then fails with "unknown issuer".
                roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
                builder.with_root_certificates(roots).with_no_client_auth()
            }
            TlsMode::Prefer | TlsMode::Require => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
                .with_no_client_auth(),
        };
        Some(MakeRustlsConnect::new(config))
    }
}

/// `require`'s verifier: any certificate is accepted (libpq's `require` without a root file), its handshake
/// signatures still checked so the session is encrypted to whoever holds the certificate's key.
#[derive(Debug)]
struct Unchecked(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_is_read_from_urls_and_key_value_strings() {
        let mode = |uri: &str| TlsMode::of_uri(uri).expect("parses");
        assert_eq!(mode("postgresql://u@db:5432/app"), (TlsMode::Prefer, "postgresql://u@db:5432/app".into()));
        assert_eq!(mode("postgresql://u@db/app?sslmode=disable").0, TlsMode::Disable);
        assert_eq!(mode("postgres://u@db/app?sslmode=require&application_name=x").0, TlsMode::Require);
        let (verify, rewritten) = mode("postgresql://u@db/app?connect_timeout=5&sslmode=verify-full");
        assert_eq!(
            (verify, rewritten.as_str()),
            (TlsMode::Verify, "postgresql://u@db/app?connect_timeout=5&sslmode=require")
        );
        assert_eq!(mode("host=db user=u sslmode=verify-ca").1, "host=db user=u sslmode=require");
        assert_eq!(mode("sslmode=allow host=db").0, TlsMode::Prefer);
        // A password or database that merely contains the word is not the parameter.
        assert_eq!(mode("postgresql://u:xsslmode=disable@db/app").0, TlsMode::Prefer);
        let err = TlsMode::of_uri("postgresql://db/app?sslmode=maybe").expect_err("unknown");
        assert!(err.contains("maybe") && err.contains("verify-full"), "{err}");
    }

    #[test]
    fn every_tls_mode_builds_a_connector_and_disable_none() {
        assert!(TlsMode::Disable.connector().is_none());
        for mode in [TlsMode::Prefer, TlsMode::Require, TlsMode::Verify] {
            assert!(mode.connector().is_some(), "{mode:?}");
        }
    }
}
