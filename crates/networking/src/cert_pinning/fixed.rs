//! N5, the guide's pinning delegate (L2461–2515), ported to a rustls verifier, fixed: rustls'
//! full WebPKI validation first (the chain must be signed up to the client's root, name and
//! expiry must hold), and only then the pin, looked for in the path that validation built.
//! The attacker's `[own leaf, bank CA]` is refused by rustls itself: its leaf was not issued by
//! the bank CA, whatever else it sends along.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, SignatureScheme};

use super::harness::{Trust, sha256};

/// `CertificatePinningManager`: the pinned keys (SHA-256 of SPKI), and rustls' standard verifier
/// (the full validation, the path it built, and the handshake signatures).
#[derive(Debug)]
pub struct PinningVerifier {
    trust: Trust,
    pins: Vec<[u8; 32]>,
}

impl super::Pinning for PinningVerifier {
    fn new(trust: Trust, pins: Vec<[u8; 32]>) -> Self {
        PinningVerifier { trust, pins }
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
        // "Check if any certificate in the chain matches our pinned certificates"
        let keys = self.trust.verified(leaf, intermediates, name, ocsp, now)?; // path, validated
        for key in keys {
            if self.pins.contains(&sha256(&key)) {
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
        self.trust.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.trust.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.trust.webpki.supported_verify_schemes()
    }
}
