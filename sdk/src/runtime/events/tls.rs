//! TLS for `wss://`: the same stack and the same checks as the HTTP client. reqwest 0.13 runs
//! rustls 0.23 with the process-default crypto provider (aws-lc-rs unless the application
//! installed another) and the operating system's verifier (`rustls-platform-verifier`); this
//! builds the WebSocket's client config the same way, so certificates are verified for events
//! exactly as for API calls, and `danger_accept_invalid_certs` means the same thing for both.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use rustls_platform_verifier::BuilderVerifierExt as _;

use crate::runtime::config::Config;
use crate::runtime::error::{ConfigError, Error};

/// The rustls client config of the event WebSocket.
pub(crate) fn client_config(config: &Config) -> Result<Arc<ClientConfig>, Error> {
    let fail = |e: rustls::Error| Error::from(ConfigError::new(None, format!("could not set up TLS for events: {e}")));
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let builder =
        ClientConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions().map_err(fail)?;
    let builder = if config.danger_accept_invalid_certs {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate {
            algorithms: provider.signature_verification_algorithms,
        }))
    } else if config.root_certificates.0.is_empty() {
        builder.with_platform_verifier().map_err(fail)?
    } else {
        // The platform's verifier with the config's extra roots, as reqwest builds it.
        let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(
            config.root_certificates.0.iter().cloned(),
            provider.clone(),
        )
        .map_err(fail)?;
        builder.dangerous().with_custom_certificate_verifier(Arc::new(verifier))
    };
    let mut tls = builder.with_no_client_auth();
    // The upgrade is an HTTP/1.1 request.
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(tls))
}

/// `danger_accept_invalid_certs`: any certificate is accepted, but the handshake signatures are
/// still checked (as reqwest's own `NoVerifier` does not, this is slightly stricter).
#[derive(Debug)]
struct AcceptAnyCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for AcceptAnyCertificate {
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
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_verifying_and_dangerous_configs() {
        let base = || crate::Config::builder().access_key_id("ak").access_key_secret("secret-1234");
        let verifying = client_config(&base().build().unwrap()).unwrap();
        assert_eq!(verifying.alpn_protocols, vec![b"http/1.1".to_vec()]);
        assert!(!format!("{verifying:?}").contains("AcceptAnyCertificate"));
        let dangerous = client_config(&base().danger_accept_invalid_certs(true).build().unwrap()).unwrap();
        assert!(format!("{dangerous:?}").contains("AcceptAnyCertificate"));
    }
}
