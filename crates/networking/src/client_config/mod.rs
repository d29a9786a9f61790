//! N2 `client_config` — a configured client, and an upload that calls `201 Created` a failure.
//!
//! Ports the guide's `AdvancedNetworkManager` ("Advanced URLSession Configuration", L2193–2226)
//! to a reqwest [`ClientBuilder`](reqwest::ClientBuilder):
//!
//! | `URLSessionConfiguration` (L2197–2209) | reqwest |
//! |---|---|
//! | `timeoutIntervalForRequest = 30` (idle time between data) | `.read_timeout(30 s)` |
//! | `timeoutIntervalForResource = 300` (the whole transfer) | `.timeout(300 s)` |
//! | `httpAdditionalHeaders` `User-Agent`, `Accept` | `.user_agent(…)`, `.default_headers(…)` |
//! | `waitsForConnectivity`, `allowsCellularAccess`, `allowsExpensiveNetworkAccess` | none: OS network policy, prose only |
//!
//! The configuration is fine. The upload is not: `uploadData` (L2213–2225) requires
//! `statusCode == 200` (L2221), but a POST that creates something is answered `201 Created` —
//! so every successful upload is reported as `httpError(statusCode: 201)`.
//!
//! The check ([`upload_is_accepted`]): a real axum server on `127.0.0.1:0` takes `POST /uploads`
//! only if the client's default headers arrived (`User-Agent: MyApp/1.0`,
//! `Accept: application/json`, else 400), stores the bytes and answers `201 Created` with the
//! new upload's JSON; a second, oversized upload is answered `413 Payload Too Large`. The first
//! must come back `Ok(UploadResponse)`, the second `HttpError(413)`.
//!
//! * [`broken`] keeps `== 200`: the 201 is an error, although the server stored the data.
//! * [`fixed`] accepts any 2xx.
//!
//! How it is caught: **one forced schedule**: one client, two requests in turn, each awaited. No
//! timeout fires in the check — the timeouts are configured, not exercised (a timeout that fires
//! would need a clock, and a paused clock with real sockets can jump while the kernel still holds
//! bytes; see the book page).

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};

use crate::fetch_status_handling::NetworkError;
use crate::loopback;
use crate::loopback::{Server, server_says};

pub mod broken;
pub mod fixed;

/// What the server answers an upload with (the guide's `UploadResponse`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct UploadResponse {
    /// The new upload's id.
    pub id: u32,
    /// How many bytes the server stored.
    pub bytes: usize,
}

// ANCHOR: config
/// The guide's `URLSessionConfiguration` (L2197–2209), as a reqwest client. `.no_proxy()` is
/// this workspace's rule for loopback clients, not the guide's.
pub fn configured_client() -> Result<reqwest::Client, String> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    reqwest::Client::builder()
        .read_timeout(Duration::from_secs(30)) // timeoutIntervalForRequest: idle time between data
        .timeout(Duration::from_secs(300)) // timeoutIntervalForResource: the whole request
        .user_agent("MyApp/1.0")
        .default_headers(headers)
        .no_proxy()
        .build()
        .map_err(|e| format!("the HTTP client could not be built: {e}"))
}
// ANCHOR_END: config

/// The guide's `AdvancedNetworkManager`.
pub trait UploadData {
    /// A manager over a client built by [`configured_client`].
    fn new(client: reqwest::Client) -> Self;
    /// `uploadData(_:to:)`: POST `data` as JSON, check the status, decode the answer.
    fn upload_data(
        &self,
        data: Vec<u8>,
        url: &str,
    ) -> impl Future<Output = Result<UploadResponse, NetworkError>>;
}

/// The largest upload the server takes.
pub const MAX_UPLOAD: usize = 64;

/// `POST /uploads`: checks the default headers arrived, then stores the bytes (201) or refuses
/// them (413).
async fn uploads(headers: HeaderMap, body: bytes::Bytes) -> Response {
    let get = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
    };
    let (agent, accept) = (get(header::USER_AGENT), get(header::ACCEPT));
    server_says(format!(
        "receives POST /uploads, {} bytes, User-Agent {agent}, Accept {accept}",
        body.len()
    ));
    if agent != "MyApp/1.0" || accept != "application/json" {
        server_says("answers 400 Bad Request: the client's default headers are missing");
        return (StatusCode::BAD_REQUEST, "missing default headers").into_response();
    }
    if body.len() > MAX_UPLOAD {
        server_says("answers 413 Payload Too Large");
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let json = format!(r#"{{"id":7,"bytes":{}}}"#, body.len());
    server_says(format!("stores it, answers 201 Created with {json}"));
    let content_type = [(header::CONTENT_TYPE, "application/json")];
    (StatusCode::CREATED, content_type, json).into_response()
}

/// The loopback upload API.
pub fn api() -> Router {
    Router::new().route("/uploads", post(uploads))
}

/// Shortens an outcome for narration.
fn describe(outcome: &Result<UploadResponse, NetworkError>) -> String {
    match outcome {
        Ok(r) => format!("Ok(upload {}, {} bytes)", r.id, r.bytes),
        Err(e) => format!("Err({e})"),
    }
}

// ANCHOR: check
/// Uploads a small payload (must be `Ok`) and an oversized one (must be `HttpError(413)`).
pub async fn upload_is_accepted<M: UploadData>() -> Result<(), String> {
    let server = Server::start(api()).await?;
    let manager = M::new(configured_client()?);
    let small = br#"{"note":"hello"}"#.to_vec();
    let created = manager.upload_data(small, &server.url("/uploads")).await;
    say!("uploadData(16 bytes) gets {}", describe(&created));
    let too_big = manager
        .upload_data(vec![b' '; 2 * MAX_UPLOAD], &server.url("/uploads"))
        .await;
    say!(
        "uploadData({} bytes) gets {}",
        2 * MAX_UPLOAD,
        describe(&too_big)
    );
    drop(manager);
    server.stop().await?;
    if let Err(e) = created {
        return Err(format!("uploadData threw {e} for a 201 Created"));
    }
    if too_big != Err(NetworkError::HttpError { status_code: 413 }) {
        return Err(format!("a 413 came back as {}", describe(&too_big)));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin on a loopback runtime, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => loopback::run_as(
            "caller",
            upload_is_accepted::<broken::AdvancedNetworkManager>(),
        ),
        Variant::Fixed => loopback::run_as(
            "caller",
            upload_is_accepted::<fixed::AdvancedNetworkManager>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N2",
    name: "client_config",
    summary: "a configured client; uploadData demands 200 and calls 201 Created a failure",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("a loopback API stores uploads (201 Created) and refuses big ones (413)");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the 201 was a success, the 413 a typed error",
    );
    report
}
