//! P12 `ttl_cache_cleanup` — a cache cleanup that keeps every entry.
//!
//! Ports `MemoryEfficientManager` from "Memory Management" (L5689–5706). Checked against the
//! guide:
//!
//! * The filter returns `true` for every entry (L5699–5702, "Simplified for example"),
//!   `cutoffDate` (L5698) is computed and never read, and the entries (`[String: Any]`, L5693)
//!   carry no timestamp to compare it with. The cleanup "to prevent memory leaks" (L5697) removes
//!   nothing. (The class also has no method that adds to `cache`; the port adds `insert`.)
//! * `Date()` is the wall clock: had the filter used it, a clock change would shift every age. The
//!   fix stores a monotonic `Instant` — tokio's, so a paused clock moves it.
//! * `attributes: .serial` (L5692) does not exist (a serial queue is the default); here a mutex
//!   guards the map and the cleanup runs as a task of its own, like the guide's `queue.async`.
//!
//! The check ([`old_entries_go_young_ones_stay`]): on the paused clock, store `feed` at t=0 and
//! `avatar` at t=45min, run the cleanup at t=75min: `feed` (75 min old) must be gone, `avatar`
//! (30 min old) must stay.
//!
//! * [`broken`] is the guide's: both entries stay.
//! * [`fixed`] stores a tokio `Instant` with each value and `retain`s the entries younger than
//!   [`MAX_AGE`].
//!
//! How it is caught: **one forced schedule**, exact — one caller, one cleanup task it awaits, and
//! tokio's paused clock, so "an hour later" is exact and free. The professional tool, moka's
//! `time_to_live`, is prose only: its clock can be neither paused nor injected, and it removes
//! expired entries only during later cache calls or `run_pending_tasks()` (since 0.12 it has no
//! background threads), so no deterministic check can run on it (see the book page).

use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};
use tokio::task::JoinHandle;

pub mod broken;
pub mod fixed;

/// The guide's cutoff: `Date().addingTimeInterval(-3600)`, one hour.
pub const MAX_AGE: Duration = Duration::from_secs(3600);

/// What the check needs of a twin: store an entry, run the cleanup, list what is left.
pub trait Cache: Default {
    /// `cache[key] = value`, now.
    fn insert(&self, key: &str, value: &str);
    /// `cleanupCache()`: runs on the manager's queue (a task); the handle says when it is done.
    fn cleanup_cache(&self) -> JoinHandle<()>;
    /// The keys left, sorted.
    fn keys(&self) -> Vec<String>;
}

/// The paused clock in whole minutes, for narration: `t=75min`.
pub fn at() -> String {
    format!("t={}min", rt::now().0.as_secs() / 60)
}

// ANCHOR: check
/// `feed` stored at t=0, `avatar` at t=45min, the cleanup at t=75min: only `avatar` may be left.
pub async fn old_entries_go_young_ones_stay<C: Cache>() -> Result<(), String> {
    let manager = C::default();
    manager.insert("feed", "the feed JSON");
    say!("stores feed at {}", at());
    tokio::time::sleep(Duration::from_secs(45 * 60)).await;
    manager.insert("avatar", "the avatar PNG");
    say!("stores avatar at {}", at());
    tokio::time::sleep(Duration::from_secs(30 * 60)).await;
    say!("calls cleanupCache() at {}", at());
    manager.cleanup_cache().await.map_err(|e| e.to_string())?;
    let keys = manager.keys();
    say!("finds {keys:?} left");
    if keys != ["avatar"] {
        return Err(format!(
            "after the cleanup at t=75min the cache still holds {keys:?}: \
             feed is 75 min old, past the 60 min limit"
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "caller",
            old_entries_go_young_ones_stay::<broken::MemoryEfficientManager>(),
        ),
        Variant::Fixed => rt::run_as(
            "caller",
            old_entries_go_young_ones_stay::<fixed::MemoryEfficientManager>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P12",
    name: "ttl_cache_cleanup",
    summary: "the guide's cache cleanup keeps every entry; store a timestamp and retain by age",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("paused clock: feed stored at t=0, avatar at t=45min, cleanup at t=75min");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the cleanup removed feed (75 min old) and kept avatar (30 min old)",
    );
    report
}
