//! Plumbing N5's check shares that is not the lesson: the certificates (rcgen), a one-connection
//! TLS server on `127.0.0.1:0` (tokio-rustls), a runtime with sockets, and the SPKI hash.

use racelab_kit::demo::setup_failed;
use std::sync::Arc;

use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier as _;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The one provider every config here is built with: `ring`, passed explicitly (never the
/// process-wide `install_default()`).
pub fn ring() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// SHA-256 of a SubjectPublicKeyInfo (DER, outer SEQUENCE included): the HPKP-style pin
/// (RFC 7469 §2.4), which survives a renewal that keeps the key. `ring::digest`, the hash rustls'
/// own provider uses.
pub fn sha256(spki: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, spki);
    let mut pin = [0; 32];
    pin.copy_from_slice(digest.as_ref());
    pin
}

/// The pin of a certificate's key.
pub fn spki_sha256(cert: &CertificateDer<'_>) -> Result<[u8; 32], rustls::Error> {
    let parsed = rustls::server::ParsedCertificate::try_from(cert)?;
    Ok(sha256(parsed.subject_public_key_info().as_ref()))
}

/// What a verifier can look at: the certificates as the server sent them, or the path rustls'
/// full validation built from them.
#[derive(Debug)]
pub struct Trust {
    /// rustls' standard verifier over the client's roots (also used for handshake signatures).
    pub webpki: Arc<WebPkiServerVerifier>,
    roots: Arc<RootCertStore>,
}

impl Trust {
    /// Trust `roots`, with the `ring` provider.
    pub fn new(roots: RootCertStore) -> Result<Trust, String> {
        let roots = Arc::new(roots);
        let webpki = WebPkiServerVerifier::builder_with_provider(roots.clone(), ring())
            .build()
            .map_err(|e| format!("verifier: {e}"))?;
        Ok(Trust { webpki, roots })
    }

    /// The keys (SPKI DER) of the certificates as presented, leaf first. Nothing is checked:
    /// anyone can send any certificate.
    pub fn presented(
        &self,
        leaf: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
    ) -> Result<Vec<Vec<u8>>, rustls::Error> {
        std::iter::once(leaf)
            .chain(intermediates)
            .map(|c| {
                let parsed = rustls::server::ParsedCertificate::try_from(c)?;
                Ok(parsed.subject_public_key_info().as_ref().to_vec())
            })
            .collect()
    }

    // ANCHOR: verified
    /// rustls' full validation (signatures up to a root, name, expiry; rustls' own errors), then
    /// the keys of the path it accepted: the leaf, the intermediates actually used, the root.
    pub fn verified(
        &self,
        leaf: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<Vec<Vec<u8>>, rustls::Error> {
        self.webpki
            .verify_server_cert(leaf, intermediates, name, ocsp, now)?;
        let ee = webpki::EndEntityCert::try_from(leaf)
            .map_err(|e| rustls::Error::General(format!("{e:?}")))?;
        let algs = ring().signature_verification_algorithms.all;
        let usage = webpki::KeyUsage::server_auth();
        let path = ee
            .verify_for_usage(
                algs,
                &self.roots.roots,
                intermediates,
                now,
                usage,
                None,
                None,
            )
            .map_err(|e| rustls::Error::General(format!("{e:?}")))?;
        let mut keys = vec![ee.subject_public_key_info().as_ref().to_vec()];
        for cert in path.intermediate_certificates() {
            keys.push(cert.subject_public_key_info().as_ref().to_vec());
        }
        keys.push(der_sequence(path.anchor().subject_public_key_info.as_ref()));
        Ok(keys)
    }
    // ANCHOR_END: verified
}

/// A trust anchor keeps its SPKI without the outer `SEQUENCE` tag and length; put them back
/// (DER, lengths below 65,536) so its pin is the same as its certificate's.
fn der_sequence(content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![0x30];
    match len {
        0..0x80 => out.push(len as u8),
        0x80..0x100 => out.extend([0x81, len as u8]),
        _ => out.extend([0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(content);
    out
}

/// A certificate chain and the leaf's private key: what a TLS server presents.
pub struct ServerIdentity {
    /// Who this is, for the narration: `bank` or `attacker`.
    pub name: &'static str,
    /// Leaf first, then whatever else the server chooses to send.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's key.
    pub key: PrivatePkcs8KeyDer<'static>,
}

/// The world of the scenario: the bank's CA (the client's only root, and its pinned key), the
/// bank's server, and an attacker with a CA of its own who also sends the bank's CA certificate.
pub struct Pki {
    /// The bank's CA certificate (public: every real server sends it).
    pub bank_ca: CertificateDer<'static>,
    /// `[bank leaf for localhost, bank CA]`.
    pub bank: ServerIdentity,
    /// `[attacker leaf for localhost, bank CA]`: the man in the middle.
    pub attacker: ServerIdentity,
}

/// A self-signed CA named `name`: its certificate, and what signs its leaves.
pub fn ca(name: &str) -> Result<(CertificateDer<'static>, Issuer<'static, KeyPair>), rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let key = KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    Ok((cert.der().clone(), Issuer::new(params, key)))
}

/// A leaf for `localhost` signed by `issuer`, and its key.
pub fn leaf(
    issuer: &Issuer<'_, KeyPair>,
) -> Result<(CertificateDer<'static>, PrivatePkcs8KeyDer<'static>), rcgen::Error> {
    let params = CertificateParams::new(vec!["localhost".to_owned()])?;
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, issuer)?;
    Ok((
        cert.der().clone(),
        PrivatePkcs8KeyDer::from(key.serialize_der()),
    ))
}

impl Pki {
    /// Fresh keys and certificates (rcgen, ECDSA P-256): a bank CA and an attacker CA, each with
    /// a leaf for `localhost`.
    pub fn new() -> Result<Pki, rcgen::Error> {
        let (bank_ca, bank_issuer) = ca("Bank CA")?;
        let (attacker_ca_cert, attacker_issuer) = ca("Attacker CA")?;
        drop(attacker_ca_cert); // the attacker never sends its own CA: nobody trusts it
        let (bank_leaf, bank_key) = leaf(&bank_issuer)?;
        let (attacker_leaf, attacker_key) = leaf(&attacker_issuer)?;
        Ok(Pki {
            bank: ServerIdentity {
                name: "bank",
                chain: vec![bank_leaf, bank_ca.clone()],
                key: bank_key,
            },
            attacker: ServerIdentity {
                name: "attacker",
                chain: vec![attacker_leaf, bank_ca.clone()],
                key: attacker_key,
            },
            bank_ca,
        })
    }
}

/// Binds `127.0.0.1:0`, then serves exactly one TLS connection as `who` and ends (so the demo
/// stops every server it starts by awaiting the handle). The server's lane (`bank server`,
/// `attacker server`) says what it got — the line the client sent after the handshake, or why
/// the handshake failed — only once `told` opens: the client opens it after its own line, so no
/// line depends on which ready task tokio polls first. Returns what the server read, if anything.
pub async fn serve_once(
    who: &ServerIdentity,
    told: Gate,
) -> Result<(std::net::SocketAddr, JoinHandle<Option<String>>), String> {
    let config = rustls::ServerConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .and_then(|b| {
            b.with_no_client_auth()
                .with_single_cert(who.chain.clone(), PrivateKeyDer::Pkcs8(who.key.clone_key()))
        })
        .map_err(|e| setup_failed(format!("{} server config: {e}", who.name)))?;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| setup_failed(format!("bind 127.0.0.1:0: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| setup_failed(format!("no local address: {e}")))?;
    let server = rt::spawn(&format!("{} server", who.name), async move {
        let got = async {
            let (tcp, _) = listener
                .accept()
                .await
                .map_err(|e| format!("accept: {e}"))?;
            let mut tls = acceptor
                .accept(tcp)
                .await
                .map_err(|e| format!("handshake failed: {e}"))?;
            let mut line = String::new();
            tls.read_to_string(&mut line)
                .await
                .map_err(|e| format!("read: {e}"))?;
            let _ = tls.shutdown().await;
            Ok::<_, String>(line)
        }
        .await;
        told.wait().await;
        match got {
            Ok(line) => {
                say!("reads {line:?}");
                Some(line)
            }
            Err(e) => {
                say!("{e}");
                None
            }
        }
    });
    Ok((addr, server))
}
