//! P8 `leak_tracker` — a leak detector that reports every freed object and misses every leak, and
//! leaks itself.
//!
//! Ports `MemoryLeakDetector` from "Memory Leak Detection System" (L7308–7499). Checked against
//! the guide:
//!
//! * `isLeaked` returns `object == nil` (L7328–7330). A weak reference reads `nil` once the object
//!   has been *freed*: every correctly freed object is reported as a leak, and an object still
//!   alive — the real leak — never is.
//! * A weak reference alone cannot say "leaked": alive is fine until some point by which the
//!   object must be gone ("after this screen closes, X must be freed"). Here that point is
//!   explicit: [`Tracker::expect_dropped`] states the expectation, [`Tracker::detect_leaks`] is the
//!   checkpoint. With periodic detection the checkpoint is whatever timer tick comes next, so
//!   `expect_dropped` is called once the object's last owner has let go — not at creation, as the
//!   guide's usage tracks (L7476–7477): an object still in use at a tick would be reported.
//! * The guide keeps its tracked objects in a dictionary keyed by name (L7312, L7354); the port
//!   keeps a `Vec`, for a fixed order (scenes 2 and 3 reuse the names "parent" and "child", which a
//!   dictionary would overwrite — the output is the same).
//! * `startPeriodicLeakDetection` (L7388–7397) schedules a repeating `Timer` whose block captures
//!   `self` strongly and is never invalidated: the detector can never be freed. The analogue here
//!   is a periodic tokio task holding an `Arc` of the tracker.
//! * Also (prose, see the book page): `self.creationTime = creationTime` (L7324) names no
//!   parameter and does not compile; `generateLeakReport` counts the current leaks twice (L7424)
//!   and reads `leakReports` and `trackedObjects` off the queue (L7424–7428); the usage example's
//!   "leak" (L7480–7484) is a closure that runs and lets go.
//!
//! The check ([`reports_leaks_and_frees_itself`]), four scenes on one tracker per twin (and after
//! every checkpoint the tracker must hold nothing — [`Tracker::tracked`] is 0 — since a checkpoint
//! settles every expectation):
//!
//! 1. a screen is tracked, then dropped: the checkpoint must report nothing;
//! 2. a parent and a child point at each other with `Arc`s (a cycle), the last outside handles
//!    are dropped: the checkpoint must report both;
//! 3. the same pair with the back-edge a `Weak`: nothing to report;
//! 4. periodic detection every 10 s, then the last handle to the tracker is dropped: 35 s later
//!    (paused time) the tracker must be gone.
//!
//! * [`broken`]: scene 1 reports the screen, scene 2 reports nothing and keeps the cycle tracked,
//!   scene 4 finds the tracker alive, held by its own timer task.
//! * [`fixed`]: `is_leaked` is `upgrade().is_some()`; `detect_leaks` forgets the freed entries too
//!   (with `is_leaked` flipped, the guide's `retain` would keep every freed object's `Weak`, and so
//!   its allocation, for ever); the timer task holds a `Weak` and ends when `upgrade` fails.
//!
//! How it is caught: **one forced schedule**. Scenes 1–3 are single-threaded, with no interleaving
//! to explore; in scene 4 the caller sleeps a fixed 35 s of paused time while the timer ticks at
//! 10, 20 and 30 s, so only one task is ready at any moment. ("Never freed" is "not freed after
//! 35 s", not [`rt::until_stuck`]: a periodic timer keeps the paused clock moving, so nothing ever
//! gets stuck.)

use std::any::Any;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};
use tokio::task::JoinHandle;

pub mod broken;
pub mod fixed;

/// The periodic detection's interval (the guide's example uses 10 s, L7470).
pub const INTERVAL: Duration = Duration::from_secs(10);
/// How long after its last handle is dropped the tracker must be gone by (paused time).
pub const GRACE: Duration = Duration::from_secs(35);

/// What the check needs of a twin: the guide's `trackObject`, `detectLeaks` and
/// `startPeriodicLeakDetection`.
pub trait Tracker: Send + Sync + Sized + 'static {
    /// A tracker with nothing tracked.
    fn new() -> Self;
    /// `trackObject(_:name:)`: `object` must be gone by the next checkpoint. So call it once the
    /// last owner has let go (a screen closed, a request finished), not when the object is
    /// created: an object still in use at the next checkpoint — a periodic one included — is
    /// reported as a leak.
    fn expect_dropped<T: Any + Send + Sync>(&self, object: Weak<T>, name: &str);
    /// `detectLeaks()`: the checkpoint; the names reported as leaked (each once).
    fn detect_leaks(&self) -> Vec<String>;
    /// How many expectations the tracker still holds. A checkpoint settles every one (freed:
    /// fine; alive: reported), so right after it this must be 0 — every entry kept is a `Weak`
    /// that pins its object's allocation, for as long as the tracker lives.
    fn tracked(&self) -> usize;
    /// `startPeriodicLeakDetection(interval:)`: runs [`detect_leaks`](Self::detect_leaks) every
    /// `interval` on a task of its own.
    fn start_periodic_leak_detection(self: &Arc<Self>, interval: Duration) -> JoinHandle<()>;
}

/// The paused clock in whole seconds, for narration: `t=30s`.
pub fn secs() -> String {
    format!("t={}s", rt::now().0.as_secs())
}

/// A node of an object graph: strong edges forward (`next`), and an optional weak back-edge.
#[derive(Debug, Default)]
pub struct Node {
    /// Strong references this node holds.
    pub next: Mutex<Vec<Arc<Node>>>,
    /// A weak reference back to its parent.
    pub back: Mutex<Weak<Node>>,
}

/// A parent holding its child strongly, and the child pointing back: strongly (`strong_back`, a
/// cycle) or weakly. Returns weak handles to both; the strong ones are dropped on return.
pub fn parent_and_child(strong_back: bool) -> (Weak<Node>, Weak<Node>) {
    let parent = Arc::new(Node::default());
    let child = Arc::new(Node::default());
    racelab_kit::sync::lock_unpoisoned(&parent.next).push(Arc::clone(&child));
    if strong_back {
        racelab_kit::sync::lock_unpoisoned(&child.next).push(Arc::clone(&parent));
    } else {
        *racelab_kit::sync::lock_unpoisoned(&child.back) = Arc::downgrade(&parent);
    }
    (Arc::downgrade(&parent), Arc::downgrade(&child))
}

/// Runs a checkpoint and compares what it reported with what it should have; after it, the
/// tracker must hold nothing.
fn checkpoint<T: Tracker>(tracker: &T, scene: &str, expected: &[&str], wrong: &mut Vec<String>) {
    let reported = tracker.detect_leaks();
    let held = tracker.tracked();
    say!("checkpoint: {reported:?} reported as leaked, {held} entries still tracked");
    if reported != expected {
        wrong.push(format!(
            "{scene}: reported {reported:?}, expected {expected:?}"
        ));
    }
    if held > 0 {
        wrong.push(format!(
            "{scene}: {held} entries still tracked after the checkpoint"
        ));
    }
}

// ANCHOR: check
/// The four scenes (see the [module docs](self)); every difference from the right answer, in order.
pub async fn reports_leaks_and_frees_itself<T: Tracker>() -> Result<(), String> {
    let tracker = Arc::new(T::new());
    let mut wrong = Vec::new();

    let screen = Arc::new("the settings screen");
    tracker.expect_dropped(Arc::downgrade(&screen), "screen");
    drop(screen);
    say!("tracks a screen, then closes it: the screen is freed");
    checkpoint(&*tracker, "a freed screen", &[], &mut wrong);

    let (parent, child) = parent_and_child(true);
    tracker.expect_dropped(parent, "parent");
    tracker.expect_dropped(child, "child");
    say!("tracks a parent and a child that hold each other strongly, and lets go of both");
    checkpoint(
        &*tracker,
        "a parent↔child cycle",
        &["parent", "child"],
        &mut wrong,
    );

    let (parent, child) = parent_and_child(false);
    tracker.expect_dropped(parent, "parent");
    tracker.expect_dropped(child, "child");
    say!("tracks the same pair with a weak back-edge, and lets go of both");
    checkpoint(&*tracker, "a pair with a weak back-edge", &[], &mut wrong);

    let timer = tracker.start_periodic_leak_detection(INTERVAL);
    let watch = Arc::downgrade(&tracker);
    drop(tracker);
    say!(
        "starts periodic detection every {} s and drops its last handle",
        INTERVAL.as_secs()
    );
    tokio::time::sleep(GRACE).await;
    let alive = watch.strong_count();
    say!(
        "at {} the tracker has {alive} strong reference(s) left",
        secs()
    );
    if alive > 0 {
        wrong.push(format!(
            "the tracker is still alive {} s after its last handle was dropped: its own timer \
             task holds it",
            GRACE.as_secs()
        ));
    }
    timer.abort();

    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "app",
            reports_leaks_and_frees_itself::<broken::LeakTracker>(),
        ),
        Variant::Fixed => rt::run_as(
            "app",
            reports_leaks_and_frees_itself::<fixed::LeakTracker>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P8",
    name: "leak_tracker",
    summary: "the leak detector reports the freed, misses a cycle, and its own timer keeps it alive",
    run: demo,
};

/// The demo: the four scenes, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report
        .heading("a freed screen, a parent↔child cycle, a weak back-edge, then periodic detection");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "only the cycle was reported, and the tracker was freed with its last handle",
    );
    report
}
