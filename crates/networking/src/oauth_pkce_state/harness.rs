//! Plumbing N6's check shares that is not the lesson: the guide's `.urlQueryAllowed` encoder
//! written once, PKCE's S256, random values, and a loopback authorization server (axum, on the
//! chapter's one [`loopback::Server`]) whose token endpoint decodes form bodies the standard way.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use racelab_kit::rt::Gate;

use crate::loopback;

/// Where the app says the browser should come back to.
pub const REDIRECT_URI: &str = "yourapp://oauth/callback";
/// The app's client ID.
pub const CLIENT_ID: &str = "racelab-app";
/// The guide's `clientSecret`, embedded in the app (L2595): anyone with the binary has it.
pub const CLIENT_SECRET: &str = "your_client_secret";

/// Characters `.urlQueryAllowed` leaves as they are: RFC 3986's `unreserved`, `sub-delims`, `:`,
/// `@`, `/` and `?` — which includes `&`, `=` and `+`, the three a form body cannot carry raw.
fn url_query_allowed(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b)
}

/// The guide's `Dictionary.percentEncoded()` (L2701–2710): every key and value escaped with
/// `.urlQueryAllowed`, joined with `=` and `&`.
pub fn url_query_allowed_encoded(pairs: &[(&str, &str)]) -> String {
    let escape = |s: &str| {
        s.bytes()
            .map(|b| match url_query_allowed(b) {
                true => char::from(b).to_string(),
                false => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let fields: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", escape(k), escape(v)))
        .collect();
    fields.join("&")
}

/// `application/x-www-form-urlencoded` done by the standard's own algorithm (`form_urlencoded`,
/// the `url` crate's): `+` becomes `%2B`, `&` `%26`, `=` `%3D`, a space `+`.
pub fn form_encoded(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// How a server reads a form body (or a query): the inverse of [`form_encoded`].
pub fn form_decoded(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

/// `n` random bytes as base64url without padding: a `state`, or a PKCE `code_verifier` (32 bytes
/// → 43 characters, RFC 7636 §4.1).
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0; n];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .expect("the system RNG works");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// PKCE S256 (RFC 7636 §4.2): `BASE64URL(SHA256(ASCII(code_verifier)))`, no padding.
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.as_bytes(),
    ))
}

/// What the app remembers between opening the browser and the callback (both twins make one;
/// the broken one never looks at it again — the guide does not even keep it).
#[derive(Debug, Clone)]
pub struct Pending {
    /// The `state` sent in the authorization URL.
    pub state: String,
    /// The PKCE `code_verifier` whose S256 went out as the `code_challenge`.
    pub verifier: String,
}

impl Pending {
    /// Fresh random values.
    pub fn new() -> Pending {
        Pending {
            state: random_token(16),
            verifier: random_token(32),
        }
    }
}

impl Default for Pending {
    fn default() -> Self {
        Pending::new()
    }
}

/// One authorization code the server issued: for whom, and the PKCE challenge it came with.
#[derive(Debug, Clone)]
struct Grant {
    user: String,
    challenge: Option<String>,
}

/// The authorization server: `/authorize` (the browser's part, called in memory) and a real
/// `POST /token` on `127.0.0.1`.
#[derive(Debug, Clone, Default)]
pub struct AuthServer {
    grants: Arc<Mutex<HashMap<String, Grant>>>,
    /// `POST /token` requests received so far.
    requests: Arc<AtomicUsize>,
    /// The n-th token request (from 0) waits for `holds[n]` before it is answered, if present.
    holds: Arc<Vec<Gate>>,
}

impl AuthServer {
    /// A server whose n-th token request (counting from 0) is answered only once `gates[n]` is
    /// open; requests past the list are answered at once. [`start`](AuthServer::start) tells the
    /// loopback server it holds them, so stopping it opens them and never hangs.
    pub fn holding_answers(gates: Vec<Gate>) -> AuthServer {
        AuthServer {
            holds: Arc::new(gates),
            ..AuthServer::default()
        }
    }

    /// The user `user` signs in and consents in the browser: the server issues `code` (its codes
    /// are base64, so they may hold `+` and `/`) and returns the redirect to the app, with the
    /// `state` it was given. It records the `code_challenge`, if the URL carried one.
    pub fn authorize(&self, auth_url: &str, user: &str, code: &str) -> String {
        let query = auth_url.split_once('?').map_or("", |(_, q)| q);
        let q: HashMap<String, String> = form_decoded(query).into_iter().collect();
        let challenge = q.get("code_challenge").cloned();
        let grant = Grant {
            user: user.to_owned(),
            challenge,
        };
        lock(&self.grants).insert(code.to_owned(), grant);
        let state = q.get("state").map_or("", String::as_str);
        let back = form_encoded(&[("code", code), ("state", state)]);
        format!("{REDIRECT_URI}?{back}")
    }

    /// `POST /token`, RFC 6749 §4.1.3 with RFC 7636 §4.6: the code must be one it issued (used
    /// once); a code issued with a challenge needs the matching `code_verifier`, one without
    /// needs the client secret. Answers `200 user=<who>` or `400 <error>`.
    fn token(&self, body: &str) -> (StatusCode, String) {
        let form: HashMap<String, String> = form_decoded(body).into_iter().collect();
        let field = |k: &str| form.get(k).map_or("", String::as_str);
        let Some(grant) = lock(&self.grants).remove(field("code")) else {
            return bad(format!("invalid_grant: no such code {:?}", field("code")));
        };
        match &grant.challenge {
            Some(challenge) if s256(field("code_verifier")) != *challenge => {
                bad("invalid_grant: code_verifier does not match".into())
            }
            None if field("client_secret") != CLIENT_SECRET => {
                bad("invalid_client: client_secret".into())
            }
            _ => (StatusCode::OK, format!("user={}", grant.user)),
        }
    }

    /// How many `POST /token` requests arrived: each is an attempt to redeem a code.
    pub fn token_requests(&self) -> usize {
        self.requests.load(SeqCst)
    }

    /// Serves `POST /token` on a [`loopback::Server`] (`server.url("/token")`) holding the
    /// answer gates.
    pub async fn start(&self) -> Result<loopback::Server, String> {
        let app = Router::new()
            .route("/token", post(token))
            .with_state(self.clone());
        let server = loopback::Server::start(app).await?;
        Ok(self
            .holds
            .iter()
            .fold(server, |server, gate| server.holding(gate)))
    }
}

async fn token(State(server): State<AuthServer>, body: String) -> (StatusCode, String) {
    let n = server.requests.fetch_add(1, SeqCst);
    let hold = server.holds.get(n).cloned();
    if let Some(gate) = hold {
        gate.wait().await; // the test decides when this answer goes out
    }
    server.token(&body)
}

fn bad(error: String) -> (StatusCode, String) {
    (StatusCode::BAD_REQUEST, error)
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
