//! N5, the guide's pinning delegate (L2461–2515), ported to a rustls verifier, fixed: rustls'
//! full WebPKI validation first (the chain must be signed up to the client's root, name and
//! expiry must hold), and only then the pin, looked for in the chain that validation accepted.
//! The attacker's `[own leaf, bank CA]` is refused by rustls itself: its leaf was not issued by
//! the bank CA, whatever else it sends along.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, SignatureScheme};

use super::harness::spki_sha256;

/// `CertificatePinningManager`: the pinned keys (SHA-256 of SPKI), and rustls' standard verifier
/// (the full validation, and the handshake signatures).
#[derive(Debug)]
pub struct PinningVerifier {
    webpki: Arc<WebPkiServerVerifier>,
    pins: Vec<[u8; 32]>,
}

impl super::Pinning for PinningVerifier {
    fn new(webpki: Arc<WebPkiServerVerifier>, pins: Vec<[u8; 32]>) -> Self {
        PinningVerifier { webpki, pins }
    }
}

impl ServerCertVerifier for PinningVerifier {
    // ANCHOR: verify
    fn verify_server_cert(
        &self,
        leaf: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        self.webpki
            .verify_server_cert(leaf, intermediates, name, ocsp, now)?; // validation first
        // Only now the pin, among certificates the validation above accepted.
        for cert in std::iter::once(leaf).chain(intermediates) {
            if self.pins.contains(&spki_sha256(cert)?) {
                return Ok(ServerCertVerified::assertion());
            }
        }
        Err(Error::General("no pinned key in the chain".into()))
    }
    // ANCHOR_END: verify

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}
