//! N1 `fetch_status_handling` — a fetch helper must treat every 2xx as success, and only then
//! decode; everything else is a typed error.
//!
//! Ports the guide's `NetworkManager.fetchData` ("Basic Network Request", L2133–2153; the same
//! check again in `fetchUserData`, L133–145). What the guide gets right: it checks the status
//! *before* it decodes, so a 404 or 500 page is never fed to the decoder. What it gets wrong:
//!
//! * `guard httpResponse.statusCode == 200` (L2140, L140) calls every other success an error. A
//!   `204 No Content` — "nothing saved yet", the usual answer of a GET with nothing to return —
//!   becomes `httpError(statusCode: 204)`, and the caller shows the user a failure. (N2 shows the
//!   same guard rejecting a POST's `201 Created`.)
//! * Even past the guard, a 204 has no body, and `JSONDecoder` cannot decode zero bytes: the
//!   helper needs a way to say "success, nothing in it" (here: `Option<T>`, `None` for a 204).
//! * `NetworkError.decodingError` (L2151) is declared but never thrown: `try JSONDecoder().decode`
//!   lets the raw `DecodingError` escape, so callers matching on `NetworkError` miss it. Both
//!   twins here map it to [`NetworkError::DecodingError`] (Rust's types make the mapping
//!   explicit), so that is not the lesson.
//!
//! The check ([`every_answer_is_classified`]): a real axum server on `127.0.0.1:0` answers five
//! GETs — 200 with a user, 204 with nothing, 200 with an HTML page, 404, 500 — and each outcome
//! must be the right one: `Ok(Some(user))`, `Ok(None)`, `DecodingError`, `HttpError(404)`,
//! `HttpError(500)`.
//!
//! * [`broken`] keeps the guide's `== 200`: the 204 comes back as `httpError(statusCode: 204)`.
//! * [`fixed`] accepts any 2xx (`StatusCode::is_success`) and decodes a 204's empty body as
//!   `null`, which is `None` for an `Option<T>`.
//!
//! How it is caught: **one forced schedule**, and an enumeration of the status classes that
//! matter (2xx with a body, 2xx without, a non-JSON 2xx, 4xx, 5xx). One client sends the requests
//! one after another and awaits each answer, so the order is fixed by construction; nothing
//! depends on time.

use std::fmt;
use std::future::Future;

use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use serde::de::DeserializeOwned;

pub mod broken;
pub mod fixed;

use crate::loopback;
use crate::loopback::{Server, client, server_says};

/// What the API returns: the guide's `T: Decodable`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct User {
    /// The user's id.
    pub id: u32,
    /// The user's name.
    pub name: String,
}

/// The guide's `NetworkError` (L2148–2152), typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkError {
    /// No HTTP response came back at all (the guide's `invalidResponse`).
    InvalidResponse(String),
    /// The server answered with a status the helper does not accept.
    HttpError {
        /// The status code.
        status_code: u16,
    },
    /// The body is not the JSON the caller asked for.
    DecodingError(String),
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkError::InvalidResponse(e) => write!(f, "invalidResponse ({e})"),
            NetworkError::HttpError { status_code } => {
                write!(f, "httpError(statusCode: {status_code})")
            }
            NetworkError::DecodingError(e) => write!(f, "decodingError ({e})"),
        }
    }
}

// ANCHOR: trait
/// The guide's `NetworkManager`: one generic fetch over a shared client.
pub trait FetchData {
    /// A manager over `client`.
    fn new(client: reqwest::Client) -> Self;
    /// `fetchData(from:)`: GET `url`, check the status, decode the body as `T`.
    fn fetch_data<T: DeserializeOwned>(
        &self,
        url: &str,
    ) -> impl Future<Output = Result<T, NetworkError>>;
}
// ANCHOR_END: trait

/// What one answer of the loopback API must come back as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// `Ok(Some(user))` with this name.
    User(&'static str),
    /// `Ok(None)`: a success with nothing in it.
    Nothing,
    /// `Err(DecodingError)`.
    Decoding,
    /// `Err(HttpError { status_code })`.
    Http(u16),
}

/// One route of the loopback API: what it answers, and what `fetchData` must make of it.
pub struct Case {
    /// The path requested.
    pub path: &'static str,
    /// The status the server answers with.
    pub status: u16,
    /// The body (`""`: none).
    pub body: &'static str,
    /// The `Content-Type` of the body.
    pub content_type: &'static str,
    /// The right outcome.
    pub expect: Expect,
}

// ANCHOR: cases
/// The API: a user, "no draft saved yet" (204), a maintenance page served with 200, a missing
/// user, and a server error.
pub const CASES: [Case; 5] = [
    Case {
        path: "/users/1",
        status: 200,
        body: r#"{"id":1,"name":"Ada"}"#,
        content_type: "application/json",
        expect: Expect::User("Ada"),
    },
    Case {
        path: "/drafts/latest",
        status: 204,
        body: "",
        content_type: "application/json",
        expect: Expect::Nothing,
    },
    Case {
        path: "/users/2",
        status: 200,
        body: "<html>down for maintenance</html>",
        content_type: "text/html",
        expect: Expect::Decoding,
    },
    Case {
        path: "/users/9",
        status: 404,
        body: r#"{"error":"no such user"}"#,
        content_type: "application/json",
        expect: Expect::Http(404),
    },
    Case {
        path: "/reports",
        status: 500,
        body: "internal error",
        content_type: "text/plain",
        expect: Expect::Http(500),
    },
];
// ANCHOR_END: cases

/// The loopback API's one handler: answers each path of [`CASES`] as scripted (404 otherwise).
async fn answer(uri: Uri) -> Response {
    let Some(case) = CASES.iter().find(|c| c.path == uri.path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let status = StatusCode::from_u16(case.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = if case.body.is_empty() {
        "no body".to_string()
    } else {
        case.body.to_string()
    };
    server_says(format!("answers {} {status} with {body}", case.path));
    (
        status,
        [(header::CONTENT_TYPE, case.content_type)],
        case.body,
    )
        .into_response()
}

/// Whether `outcome` is what `expect` says.
fn matches(outcome: &Result<Option<User>, NetworkError>, expect: Expect) -> bool {
    match (outcome, expect) {
        (Ok(Some(user)), Expect::User(name)) => user.name == name,
        (Ok(None), Expect::Nothing) => true,
        (Err(NetworkError::DecodingError(_)), Expect::Decoding) => true,
        (Err(NetworkError::HttpError { status_code }), Expect::Http(s)) => *status_code == s,
        _ => false,
    }
}

/// Shortens an outcome for narration.
fn describe(outcome: &Result<Option<User>, NetworkError>) -> String {
    match outcome {
        Ok(Some(user)) => format!("Ok(user {} {})", user.id, user.name),
        Ok(None) => "Ok(nothing)".to_string(),
        Err(NetworkError::DecodingError(_)) => "Err(decodingError)".to_string(),
        Err(e) => format!("Err({e})"),
    }
}

// ANCHOR: check
/// Starts the loopback API, fetches every path of [`CASES`] with `M` in turn, stops the server,
/// and returns the first answer `M` got wrong.
pub async fn every_answer_is_classified<M: FetchData>() -> Result<(), String> {
    let server = Server::start(Router::new().fallback(answer)).await?;
    let manager = M::new(client()?);
    let mut wrong = Vec::new();
    for case in &CASES {
        let outcome = manager
            .fetch_data::<Option<User>>(&server.url(case.path))
            .await;
        say!("GET {} gets {}", case.path, describe(&outcome));
        if !matches(&outcome, case.expect) {
            wrong.push((case, outcome));
        }
    }
    drop(manager);
    server.stop().await?;
    match wrong.first() {
        None => Ok(()),
        Some((case, Err(e))) if (200..300).contains(&case.status) => Err(format!(
            "a {} is a success, but fetchData threw {e}",
            case.status
        )),
        Some((case, outcome)) => Err(format!(
            "GET {} ({}) came back as {}",
            case.path,
            case.status,
            describe(outcome)
        )),
    }
}
// ANCHOR_END: check

/// Runs the check for one twin on a loopback runtime, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => loopback::run_as(
            "caller",
            every_answer_is_classified::<broken::NetworkManager>(),
        ),
        Variant::Fixed => loopback::run_as(
            "caller",
            every_answer_is_classified::<fixed::NetworkManager>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N1",
    name: "fetch_status_handling",
    summary: "`statusCode == 200` calls a 204 a failure; accept every 2xx, then decode",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("a loopback API answers 200, 204, 200 with HTML, 404 and 500; fetchData each");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "every 2xx a success (204 as nothing), every other answer a typed error",
    );
    report
}
