//! N12 `completion_exactly_once` — the guide tells the system "new data" before it has fetched
//! anything: the completion handler runs first, and the work after it may never finish.
//!
//! Ports the background-fetch push handler from "Push Notification Handling" (L3406–3571):
//! `application(_:didReceiveRemoteNotification:fetchCompletionHandler:)` (L3552–3556). Checked
//! against the guide:
//!
//! * It calls `completionHandler(.newData)` (L3555) right after a synchronous `handlePush…`, and
//!   always with `.newData`. Apple's documentation of the method asks for the handler to be called
//!   when the app has finished processing (within about 30 s), with the result that describes it;
//!   once it is called the system may suspend the app. A handler that fetches the content (the point of a
//!   background push) and calls the completion first is suspended with the fetch in flight.
//! * `sendTokenToServer` (L3517–3539) logs "registered successfully" whenever there is no
//!   transport error — a 500 counts as registered: the second lesson, [`registration`].
//!   `import PushKit` (L3468) is unused.
//!
//! APNs itself is Apple-only, so this demo is the portable core: a handler receives a
//! [`FetchCompletion`], fetches the pushed content from a real axum server on `127.0.0.1:0`, and
//! must complete exactly once, *after* the fetch, with the true result. `FetchCompletion` is a
//! consumed `oneshot::Sender`: `complete(self, …)` takes it by value, so a second call does not
//! compile (E0382, `tests/compile_fail/completion_exactly_once_twice.rs`), and dropping it
//! uncompleted reports [`FetchResult::Failed`], so "never" cannot happen either.
//!
//! The check ([`completes_after_the_work`]): the test plays the system. The server holds the
//! content on a [`Gate`]; once the fetch is at the server, the system looks whether the handler
//! already completed. If it did, the system suspends the app (aborts its task), as iOS may. The
//! result must arrive only after the gate opens, and must be `NewData`.
//!
//! * [`broken`] completes with `.newData` first: the system suspends the app with the fetch
//!   still at the server.
//! * [`fixed`] fetches, then completes with what the fetch found.
//!
//! How it is caught: **one forced schedule** (the gate holds the fetch; the system looks while it
//! is held). The twice-case is a compile-fail check. No timer decides anything; it runs on a
//! plain `current_thread` runtime with I/O.

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use tokio::sync::oneshot;

pub mod broken;
pub mod fixed;
mod harness;
pub mod registration;

use crate::loopback;
pub use harness::start_content_server;

/// `UIBackgroundFetchResult`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchResult {
    /// `.newData`.
    NewData,
    /// `.noData`.
    NoData,
    /// `.failed`.
    Failed,
}

// ANCHOR: completion
/// The `fetchCompletionHandler`, as a value that can be used once: `complete` consumes it, and
/// dropping it uncompleted reports `Failed`.
#[derive(Debug)]
pub struct FetchCompletion(Option<oneshot::Sender<FetchResult>>);

impl FetchCompletion {
    /// A completion, and the receiver the system waits on.
    pub fn new() -> (Self, oneshot::Receiver<FetchResult>) {
        let (tx, rx) = oneshot::channel();
        (FetchCompletion(Some(tx)), rx)
    }

    /// Tells the system the fetch is over, and how it went. Takes `self`: once, at most.
    pub fn complete(mut self, result: FetchResult) {
        say!("completionHandler({result:?})");
        if let Some(tx) = self.0.take() {
            let _ = tx.send(result);
        }
    }
}

impl Drop for FetchCompletion {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(FetchResult::Failed); // never completed: tell the system it failed
        }
    }
}
// ANCHOR_END: completion

/// What both twins implement: the push handler.
pub trait PushHandler {
    /// `didReceiveRemoteNotification`: fetch `{base}/inbox`, then complete.
    fn did_receive_remote_notification(
        client: reqwest::Client,
        base: String,
        completion: FetchCompletion,
    ) -> impl Future<Output = ()> + Send + 'static;
}

/// The shared fetch: `GET {base}/inbox`; new data if the body is not empty.
pub async fn fetch_inbox(client: &reqwest::Client, base: &str) -> FetchResult {
    let response = match client.get(format!("{base}/inbox")).send().await {
        Ok(response) => response,
        Err(_) => return FetchResult::Failed,
    };
    match response.error_for_status() {
        Ok(response) => match response.text().await {
            Ok(body) if body.is_empty() => FetchResult::NoData,
            Ok(body) => {
                say!("fetched {body:?}");
                FetchResult::NewData
            }
            Err(_) => FetchResult::Failed,
        },
        Err(_) => FetchResult::Failed,
    }
}

// ANCHOR: check
/// The system's side: deliver a push, look while the content fetch is held at the server, and
/// suspend the app if it has already completed.
pub async fn completes_after_the_work<H: PushHandler>() -> Result<(), String> {
    let content = Gate::new("the pushed content");
    let server = start_content_server(content.clone()).await?;
    let (completion, mut result) = FetchCompletion::new();

    say!("delivers a background push");
    let app = rt::spawn(
        "app",
        H::did_receive_remote_notification(loopback::client()?, server.base(), completion),
    );
    content.arrived(1).await; // the app's fetch is at the server, held
    if let Ok(early) = result.try_recv() {
        say!("got {early:?} while the fetch is held: suspends the app");
        app.abort();
        let _ = app.await;
        server.stop().await?;
        return Err(format!(
            "completionHandler({early:?}) was called while the content fetch was still at the \
             server; the system suspended the app, and the fetch never finished"
        ));
    }
    say!("nothing yet; the server sends the content");
    content.open();
    let got = result
        .await
        .map_err(|_| "the completion vanished".to_string())?;
    say!("got {got:?}");
    let _ = app.await;
    server.stop().await?;
    if got == FetchResult::NewData {
        Ok(())
    } else {
        Err(format!(
            "the fetch found new data, but the app reported {got:?}"
        ))
    }
}
// ANCHOR_END: check

/// Runs the check for one twin with a trace installed, on a runtime with I/O ([`crate::loopback::run_as`]).
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => {
            loopback::run_as("system", completes_after_the_work::<broken::AppDelegate>())
        }
        Variant::Fixed => {
            loopback::run_as("system", completes_after_the_work::<fixed::AppDelegate>())
        }
    })
}

/// Runs the second lesson's check ([`registration::registers_only_when_the_server_accepts`]) the
/// same way.
pub fn run_registration(variant: Variant) -> (Result<(), String>, Trace) {
    use registration::{broken, fixed, registers_only_when_the_server_accepts as check};
    traced(|_| match variant {
        Variant::Broken => loopback::run_as("app", check::<broken::PushNotificationManager>()),
        Variant::Fixed => loopback::run_as("app", check::<fixed::PushNotificationManager>()),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N12",
    name: "completion_exactly_once",
    summary: "a push handler reports .newData before fetching, and a 500 as registered",
    run: demo,
};

/// The demo: one background push, its content held by a loopback server; then the token
/// registration against a server that answers 500.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("loopback server on 127.0.0.1 holds the pushed content until the system looks");
    let (completion, trace) = run(variant);
    report.trace(&trace);
    report.heading("loopback server on 127.0.0.1 answers the token registration with 500");
    let (registration, trace) = run_registration(variant);
    report.trace(&trace);

    // Caught only if every check found its bug; holds only if none did.
    report.conclude_each(
        [completion, registration],
        "completed once, after the fetch, with NewData; a 500 is not registered",
    );
    report
}
