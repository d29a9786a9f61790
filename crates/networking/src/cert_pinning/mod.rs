//! N5 `cert_pinning` — a pinning check that looks for a pinned key *anywhere* in what the server
//! sent, instead of validating the chain first, lets a man in the middle through.
//!
//! Ports the guide's "Certificate Pinning Implementation" (L2418–2534): a `URLSessionDelegate`
//! that walks the server's certificates and completes with `.useCredential` if any of them hashes
//! to a pin (L2483–2497). Two things are wrong with it at once:
//!
//! * it never calls `SecTrustEvaluateWithError`, so the normal validation (chain signatures up to
//!   a trusted root, host name, expiry) never runs;
//! * it accepts on *any* presented certificate. A CA certificate is public — every real server
//!   sends it — so an attacker presents `[attacker leaf, bank CA]` and the pin matches.
//!
//! (A third bug, on the page and in the errata: the pins are `sha256/<base64 of SPKI>` (L2466)
//! but the code computes `sha256/<hex of the whole certificate>` (L2509), so as written nothing
//! ever matches. Both twins here hash the SPKI — the key — so that the lesson is the two above.)
//!
//! The check ([`pinned_client_refuses_the_attacker`]): real TLS 1.3 on loopback (tokio-rustls,
//! the `ring` provider, certificates made by rcgen). The client trusts only the bank CA and pins
//! its key. It visits the bank's server (`[bank leaf, bank CA]`: must connect) and then the
//! attacker's (`[attacker leaf, bank CA]`: must be refused before it sends its session token).
//!
//! * [`broken`] finds the bank CA's key in the attacker's chain and sends the token.
//! * [`fixed`] runs rustls' `WebPkiServerVerifier` first — rustls refuses the attacker's leaf
//!   (`UnknownIssuer`) — and then looks for the pin in the *path* the validation built
//!   (rustls-webpki's `VerifiedPath`: leaf, the intermediates used, the root), not in the list the
//!   server sent: with many roots, a leaf from another trusted CA sent along with the bank CA
//!   certificate would otherwise pass again.
//!
//! How it is caught: **one forced schedule** — the only one: the client visits one server at a
//! time, each server takes one connection, and each server speaks only after the client (a gate).

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::Gate;
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::ServerName;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

pub mod broken;
pub mod fixed;
pub mod harness;

use crate::loopback;
use harness::{Pki, ServerIdentity, Trust, ring, serve_once, spki_sha256};

/// What the check needs from a twin: a verifier built from rustls' standard one and the pins.
pub trait Pinning: ServerCertVerifier + Sized + 'static {
    /// `trust` knows the client's roots; `pins` are SHA-256 hashes of SPKIs.
    fn new(trust: Trust, pins: Vec<[u8; 32]>) -> Self;
}

/// What the client sends once the handshake is done: the secret a man in the middle wants.
pub const TOKEN: &str = "session-token=7f3a";

/// A TLS client config with the twin's verifier: `ring` passed explicitly, roots = the bank CA.
pub fn client_config<V: Pinning>(pki: &Pki) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(pki.bank_ca.clone())
        .map_err(|e| format!("root: {e}"))?;
    let trust = Trust::new(roots)?;
    let pins = vec![spki_sha256(&pki.bank_ca).map_err(|e| e.to_string())?];
    let config = rustls::ClientConfig::builder_with_provider(ring())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous() // a custom verifier: the lesson
        .with_custom_certificate_verifier(Arc::new(V::new(trust, pins)))
        .with_no_client_auth();
    Ok(config)
}

/// Visits `server` once: connects to 127.0.0.1 as `localhost`, and sends [`TOKEN`] if the
/// handshake succeeds. Returns what the server read (`None`: nothing reached it).
pub async fn visit(
    client: &tokio_rustls::TlsConnector,
    server: &ServerIdentity,
) -> Result<Option<String>, String> {
    let told = Gate::new("server speaks after the client");
    let (addr, handle) = serve_once(server, told.clone()).await?;
    say!(
        "connects to the {} server on 127.0.0.1, as localhost",
        server.name
    );
    let tcp = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let name = ServerName::try_from("localhost").map_err(|e| e.to_string())?;
    match client.connect(name, tcp).await {
        Ok(mut tls) => {
            say!("handshake done: sends {TOKEN:?}");
            tls.write_all(TOKEN.as_bytes())
                .await
                .map_err(|e| format!("write: {e}"))?;
            tls.shutdown().await.map_err(|e| format!("close: {e}"))?;
        }
        Err(e) => say!("refuses the server: {e}"),
    }
    told.open();
    handle.await.map_err(|e| format!("server task: {e}"))
}

// ANCHOR: check
/// The bank's server must be reached; the attacker's (`[attacker leaf, bank CA]`) must not get
/// the token.
pub async fn pinned_client_refuses_the_attacker<V: Pinning>(pki: &Pki) -> Result<(), String> {
    let client = tokio_rustls::TlsConnector::from(Arc::new(client_config::<V>(pki)?));
    say!("trusts only the bank CA and pins its key (SHA-256 of its SPKI)");
    if visit(&client, &pki.bank).await?.as_deref() != Some(TOKEN) {
        return Err("the bank's own server was refused".into());
    }
    if visit(&client, &pki.attacker).await?.is_some() {
        return Err("the attacker got the token: the pin matched the bank CA it sent along".into());
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin with fresh certificates, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| {
        let pki = match Pki::new() {
            Ok(pki) => pki,
            Err(e) => return Err(format!("rcgen: {e}")),
        };
        match variant {
            Variant::Broken => loopback::run_as(
                "client",
                pinned_client_refuses_the_attacker::<broken::PinningVerifier>(&pki),
            ),
            Variant::Fixed => loopback::run_as(
                "client",
                pinned_client_refuses_the_attacker::<fixed::PinningVerifier>(&pki),
            ),
        }
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N5",
    name: "cert_pinning",
    summary: "a pin found anywhere in the chain lets a MITM in; validate first, then pin",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("TLS on loopback: the bank's server, then an attacker's [own leaf, bank CA]");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the bank was reached; rustls refused the attacker before the token went",
    );
    report
}
