//! N6 `oauth_pkce_state`: `state` never compared, no PKCE, and a `.urlQueryAllowed` form body.

use networking::loopback;
use networking::oauth_pkce_state::harness::{
    AuthServer, Pending, form_decoded, form_encoded, s256, url_query_allowed_encoded,
};
use networking::oauth_pkce_state::session::{self, store::FileTokenStore};
use networking::oauth_pkce_state::{OAuthClient, broken, run};
use proptest::prelude::*;
use proptest::test_runner::TestError;
use racelab_kit::demo::Variant;
use racelab_kit::trace::traced;

/// The trivial case: a code without `+` or `&`, and a callback this app started — the broken
/// client signs in fine.
#[test]
fn broken_oauth_pkce_state_signs_in_with_a_plain_code() {
    let user = loopback::run_as("app", async {
        let server = AuthServer::default();
        let running = server.start().await.unwrap();
        let app = broken::OAuth2Manager::new(loopback::client().unwrap(), running.url("/token"));
        let pending = Pending::new();
        let callback = server.authorize(&app.authorization_url(&pending), "alice", "plain123");
        let user = app.handle_callback(&callback, &pending).await;
        running.stop().await.unwrap();
        user
    });
    assert_eq!(user.as_deref(), Ok("alice"));
}

/// PKCE S256 against RFC 7636's own example (Appendix B).
#[test]
fn s256_matches_rfc_7636_appendix_b() {
    assert_eq!(
        s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
}

// ANCHOR: caught
/// The forced schedule: alice's `+` arrives as a space, and mallory's code signs the app in.
#[test]
fn broken_oauth_pkce_state_fails_alice_and_signs_in_mallory() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "alice could not sign in; a forged callback signed the app in as mallory"
    );
    racelab_testkit::snapshot!("oauth_pkce_state__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin.
#[test]
fn fixed_oauth_pkce_state_signs_alice_in_and_refuses_the_forged_callback() {
    assert_eq!(run(Variant::Fixed).0, Ok(()));
}

// ANCHOR: property
/// Form fields: short lowercase keys, values of any printable characters.
fn fields() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec(("[a-z]{1,4}", "[ -~]{0,8}"), 1..4)
}

/// 256 cases from a fixed seed: the same inputs on every run (`racelab_testkit::props`).
const CASES: u32 = 256;

/// What a server decodes must be what the client encoded.
fn round_trips(encode: fn(&[(&str, &str)]) -> String, fields: &[(String, String)]) -> bool {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form_decoded(&encode(&pairs)) == fields
}

/// The broken encoder fails the round trip; proptest shrinks the failure to one field holding
/// one character. No failure persistence (the failure is the point); the counterexample is pinned.
#[test]
fn broken_encoder_loses_a_plus_or_an_ampersand() {
    let outcome = racelab_testkit::props::runner(CASES, None).run(&fields(), |fields| {
        prop_assert!(round_trips(url_query_allowed_encoded, &fields));
        Ok(())
    });
    let Err(TestError::Fail(_, minimal)) = outcome else {
        panic!("the broken encoder passed: {outcome:?}");
    };
    let pairs: Vec<(&str, &str)> = minimal
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let wire = url_query_allowed_encoded(&pairs);
    racelab_testkit::snapshot!(
        "oauth_pkce_state__counterexample",
        format!(
            "sent {minimal:?}\nas    {wire}\nread  {:?}",
            form_decoded(&wire)
        )
    );
}

/// The same property on `form_urlencoded`, with regressions persisted (none so far).
#[test]
fn fixed_encoder_round_trips_every_form() {
    let regressions = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/demos/proptest-regressions/oauth_pkce_state.txt"
    );
    let outcome =
        racelab_testkit::props::runner(CASES, Some(regressions)).run(&fields(), |fields| {
            prop_assert!(round_trips(form_encoded, &fields));
            Ok(())
        });
    assert!(outcome.is_ok(), "{outcome:?}");
}
// ANCHOR_END: property

// ANCHOR: session_twice
/// The same redirect handled twice, the first token request held at the server while the second
/// callback runs: the guide's order redeems alice's code twice; the server refuses the second,
/// and the user, signed in, is told the sign-in failed.
#[test]
fn broken_session_second_callback_redeems_the_code_again() {
    let scratch = tempfile::tempdir().unwrap();
    let (outcome, trace) =
        traced(|_| session::twice::<session::broken::OAuth2Manager>(file_store(scratch.path())));
    assert_eq!(
        outcome.unwrap_err(),
        "one sign-in redeemed its code 2 times (callback 1: signed in as alice; callback 2: \
         fails: token endpoint: 400 invalid_grant: no such code \"Kq7+Zx/9mW\")"
    );
    racelab_testkit::snapshot!("oauth_pkce_state__session_twice", trace.render());
}

/// The fixed manager takes the pending sign-in before its request: the second callback finds
/// none and never reaches the server.
#[test]
fn fixed_session_second_callback_is_refused() {
    let scratch = tempfile::tempdir().unwrap();
    let (outcome, trace) =
        traced(|_| session::twice::<session::fixed::OAuth2Manager>(file_store(scratch.path())));
    assert_eq!(outcome, Ok(()));
    racelab_testkit::snapshot!("oauth_pkce_state__session_twice_fixed", trace.render());
}
// ANCHOR_END: session_twice

// ANCHOR: session_stored
/// The token store fails (a real one: its directory does not exist). The guide's order has
/// already told the UI "signed in".
#[test]
fn broken_session_says_signed_in_with_nothing_stored() {
    let scratch = tempfile::tempdir().unwrap();
    let (outcome, trace) = traced(|_| {
        session::stored::<session::broken::OAuth2Manager>(session::unwritable_store(scratch.path()))
    });
    assert_eq!(
        outcome.unwrap_err(),
        "the UI says signed in as alice, but the token was not stored"
    );
    racelab_testkit::snapshot!("oauth_pkce_state__session_stored", trace.render());
}

/// Stored first, shown second: the failure is the sign-in's failure, and the UI stays signed out.
#[test]
fn fixed_session_reports_the_failed_store() {
    let scratch = tempfile::tempdir().unwrap();
    let (outcome, trace) = traced(|_| {
        session::stored::<session::fixed::OAuth2Manager>(session::unwritable_store(scratch.path()))
    });
    assert_eq!(outcome, Ok(()));
    racelab_testkit::snapshot!("oauth_pkce_state__session_stored_fixed", trace.render());
}

/// And with a store that works, the token is on disk, readable by its owner only.
#[test]
fn fixed_session_stores_the_token_owner_only() {
    let scratch = tempfile::tempdir().unwrap();
    let path = scratch.path().join("token");
    let store = Box::new(FileTokenStore::new(&path));
    assert_eq!(
        session::stored::<session::fixed::OAuth2Manager>(store),
        Ok(())
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "alice");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let leftovers = std::fs::read_dir(scratch.path()).unwrap().count();
    assert_eq!(leftovers, 1, "the temporary file became the token file");
}
// ANCHOR_END: session_stored

fn file_store(dir: &std::path::Path) -> Box<dyn session::store::TokenStore> {
    Box::new(FileTokenStore::new(dir.join("token")))
}

/// A callback with the wrong `state` (a stale redirect, or mallory's) must not cancel the sign-in
/// under way: the fixed manager refuses it and leaves the pending sign-in, and alice's real
/// callback, after it, signs her in.
#[test]
fn fixed_session_stray_callback_cancels_nothing() {
    use networking::oauth_pkce_state::session::SignIn;
    let scratch = tempfile::tempdir().unwrap();
    let (stray, real) = loopback::run_as("app", async {
        let server = AuthServer::default();
        let running = server.start().await.unwrap();
        let app = session::fixed::OAuth2Manager::new(
            loopback::client().unwrap(),
            running.url("/token"),
            file_store(scratch.path()),
        );
        let callback = server.authorize(&app.start(), "alice", "plain123");
        let stray = app
            .handle_callback("yourapp://oauth/callback?code=Mv3Qp8Rt2L&state=stale")
            .await;
        let real = app.handle_callback(&callback).await;
        running.stop().await.unwrap();
        (stray, real)
    });
    assert_eq!(
        stray,
        Err("no sign-in under way with this state".to_owned())
    );
    assert_eq!(real.as_deref(), Ok("alice"));
}

/// A manager whose callbacks end before any token request (a lost pending sign-in).
struct NeverAsks;

impl session::SignIn for NeverAsks {
    fn new(_: reqwest::Client, _: String, _: Box<dyn session::store::TokenStore>) -> Self {
        NeverAsks
    }
    fn start(&self) -> String {
        format!("{}?state=s", networking::oauth_pkce_state::AUTH_URL)
    }
    async fn handle_callback(&self, _: &str) -> Result<String, String> {
        Err("no sign-in under way".into())
    }
    fn signed_in(&self) -> Option<String> {
        None
    }
}

/// The twice check cannot hang when callback 1 never reaches the server: it waits for callback 1
/// at the server *or* for callback 1 to end, and says which — no timer decides it.
#[test]
fn session_twice_ends_when_callback_1_never_asks() {
    let scratch = tempfile::tempdir().unwrap();
    let (outcome, _) = traced(|_| session::twice::<NeverAsks>(file_store(scratch.path())));
    assert_eq!(
        outcome.unwrap_err(),
        "callback 1 ended before its token request: fails: no sign-in under way"
    );
}
