//! N5 `cert_pinning`: a pin looked for in everything the server sent, with no validation, lets a
//! man in the middle through; validation first, then the pin, refuses him.

use networking::cert_pinning::harness::{Pki, Trust, ca, leaf, sha256, spki_sha256};
use networking::cert_pinning::{TOKEN, broken, client_config, run, visit};
use networking::loopback;
use racelab_kit::demo::Variant;
use std::sync::Arc;

/// The trivial case: the broken client reaches the bank's own server and sends its token.
#[test]
fn broken_cert_pinning_reaches_the_real_server() {
    let pki = Pki::new().unwrap();
    let client = client_config::<broken::PinningVerifier>(&pki).unwrap();
    let client = tokio_rustls::TlsConnector::from(Arc::new(client));
    let got = loopback::run_as("client", visit(&client, &pki.bank));
    assert_eq!(got.unwrap().as_deref(), Some(TOKEN));
}

/// The pin is the key, not the certificate: the attacker's chain carries the bank CA's key, its
/// leaf does not.
#[test]
fn the_attackers_chain_carries_the_pinned_key_only_in_the_ca_certificate() {
    let pki = Pki::new().unwrap();
    let pin = spki_sha256(&pki.bank_ca).unwrap();
    let hashes: Vec<_> = pki
        .attacker
        .chain
        .iter()
        .map(|c| spki_sha256(c).unwrap() == pin)
        .collect();
    assert_eq!(hashes, [false, true]);
}

/// The guide's third bug (L2466 vs L2509): its pins are HPKP's `sha256/<base64 of the SPKI
/// hash>`, its code computes `sha256/<hex of the whole certificate's hash>`. For the very
/// certificate a pin was made from, the two strings differ — as written, nothing ever matches.
#[test]
fn the_guides_hex_of_the_certificate_never_matches_a_base64_spki_pin() {
    use base64::Engine as _;
    let pki = Pki::new().unwrap();
    let pin = format!(
        "sha256/{}",
        base64::engine::general_purpose::STANDARD.encode(spki_sha256(&pki.bank_ca).unwrap())
    );
    let hex: String = sha256(pki.bank_ca.as_ref())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let computed = format!("sha256/{hex}");
    assert_eq!((pin.len(), computed.len()), (51, 71));
    assert_ne!(pin, computed);
}

// ANCHOR: caught
/// The one schedule: the attacker presents `[attacker leaf, bank CA]`, and the broken verifier
/// finds the pinned key in the second certificate — the token goes to the attacker.
#[test]
fn broken_cert_pinning_sends_the_token_to_the_attacker() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the attacker got the token: the pin matched the bank CA it sent along"
    );
    racelab_testkit::snapshot!("cert_pinning__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: rustls' own validation refuses the attacker's leaf.
#[test]
fn fixed_cert_pinning_refuses_the_attacker_with_rustls_own_error() {
    let (outcome, trace) = run(Variant::Fixed);
    assert_eq!(outcome, Ok(()));
    let said = trace.render();
    assert!(
        said.contains("refuses the server: invalid peer certificate: UnknownIssuer"),
        "{said}"
    );
}

// ANCHOR: path
/// Why the fixed twin looks in the *validated path*, not in what was sent: a client that trusts
/// a second CA (as a phone trusts many) accepts a leaf from it; that leaf arrives with the bank
/// CA certificate tacked on. The presented list holds the pinned key; the path webpki built
/// (other leaf → other CA) does not.
#[test]
fn fixed_cert_pinning_looks_for_the_pin_in_the_validated_path() {
    let pki = Pki::new().unwrap();
    let (other_ca, other_issuer) = ca("Other Trusted CA").unwrap();
    let (other_leaf, _) = leaf(&other_issuer).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.bank_ca.clone()).unwrap();
    roots.add(other_ca).unwrap();
    let trust = Trust::new(roots).unwrap();
    let pin = spki_sha256(&pki.bank_ca).unwrap();
    let sent = [pki.bank_ca.clone()];
    let has_pin = |keys: Vec<Vec<u8>>| keys.iter().any(|k| sha256(k) == pin);

    assert!(has_pin(trust.presented(&other_leaf, &sent).unwrap()));
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let now = rustls::pki_types::UnixTime::now();
    let path = trust.verified(&other_leaf, &sent, &name, &[], now).unwrap();
    assert_eq!(path.len(), 2, "other leaf, other CA");
    assert!(!has_pin(path));
}
// ANCHOR_END: path
