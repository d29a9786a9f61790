//! P11 `memory_pressure_cache` — a cache bounded by count, not bytes, and a pressure handler that
//! can never see a critical event.
//!
//! Ports "3. Memory Pressure" (L561–593) and "Memory Pressure Handling" (L1396–1479), two classes
//! both called `MemoryPressureHandler`. Checked against the guide:
//!
//! * L576–577: `countLimit = 100` and `totalCostLimit = 50 MB`. A cost limit only counts costs
//!   passed to `setObject(_:forKey:cost:)`; the class has no insertion method at all, and a plain
//!   `setObject(_:forKey:)` costs 0. The working limit is the count: 100 images of 1 MB are 100 MB.
//! * L1469–1473: `getCurrentMemoryPressure()` always returns `.warning` ("For demonstration"), and
//!   the event handler (L1412–1414) reads nothing from the source, so the `.critical` branch
//!   (L1431–1433) is unreachable. The level is in the source itself (`memoryWarningSource.data`).
//! * L1447–1452, L1464–1466: "Suggest garbage collection" — Swift has no garbage collector; an
//!   empty `Task.detached` and an empty `autoreleasepool` free nothing. `ImageCache.shared`,
//!   `DataCache` and `cancelNonEssentialRequests()` exist nowhere in the guide; here they are two
//!   caches the handler owns. The guide's warning branch also calls
//!   `ImageCache.shared.clearOldEntries()` (L1442), undefined; the port's warning clears the data
//!   cache only, which does not change the verdict (a critical event must empty the image cache).
//!
//! The check ([`stays_in_budget_and_clears_on_critical`]): store a hundred 1 MB images; after
//! `run_pending_tasks()` the image cache must hold at most [`BUDGET`] (50 MB). Then a simulated
//! pressure source (a [`PressureSource`] fed by a channel — the Linux analogues, PSI and cgroup v2
//! `memory.events`, are on the book page) delivers `Critical`: the image cache must be empty.
//!
//! * [`broken`] is the guide: a count-only bound (moka with `max_capacity(100)` and no weigher —
//!   NSCache with every cost 0) and the constant `.warning`.
//! * [`fixed`] weighs each image by its bytes (`weigher` + `max_capacity` in bytes: moka, the
//!   tool a professional uses) and acts on the event's own level.
//!
//! How it is caught: **one forced schedule**. The caller stores, then sends one event and closes
//! the channel; the monitor task handles it and ends; only one of them is ready at a time. The
//! cache's size is read after `run_pending_tasks()`, when moka has applied every pending insert
//! and eviction, so it is exact. (Before it, moka holds every insert it has not yet judged: its
//! bound is enforced at its next housekeeping — every 64 writes or 300 ms, during a later cache
//! call — so a burst overshoots briefly.) The check asserts only the total. Which images stay is
//! not up to chance either, whatever the hasher: nothing is ever read, so every image has the same
//! (zero) frequency, and moka's TinyLFU admission turns every newcomer away once the budget is
//! full — it keeps the first 50 and refuses the rest, the opposite of what an LRU reader expects
//! (a test pins it).

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub mod broken;
pub mod fixed;

/// One mebibyte, the size of each image.
pub const MB: usize = 1 << 20;
/// The guide's `totalCostLimit`: 50 MB.
pub const BUDGET: u64 = 50 * MB as u64;
/// The guide's `countLimit`: 100 objects.
pub const COUNT_LIMIT: u64 = 100;
/// How many images the check stores.
pub const IMAGES: u32 = 100;

/// A decoded image: its bytes (zeroed, so the pages are not touched until written).
pub type Image = Arc<Vec<u8>>;
/// The image cache (`ImageCache.shared`).
pub type Images = moka::sync::Cache<u32, Image>;
/// The data cache (`DataCache.shared`).
pub type Data = moka::sync::Cache<&'static str, String>;

/// A memory-pressure level: `DispatchSource.MemoryPressureEvent`'s `.normal`, `.warning`,
/// `.critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pressure {
    /// Pressure went back to normal.
    Normal,
    /// The system is short of memory: free what is cheap to rebuild.
    Warning,
    /// The system is about to kill processes: free everything you can.
    Critical,
}

// ANCHOR: source
/// Where memory-pressure events come from: Apple's `DispatchSourceMemoryPressure`; on Linux a PSI
/// trigger on `/proc/pressure/memory` or cgroup v2's `memory.events`; in a test, a channel.
pub trait PressureSource: Send + 'static {
    /// The next event, with its level; `None` once the source is gone.
    fn next(&mut self) -> impl Future<Output = Option<Pressure>> + Send;
}

/// A source a test drives: every event sent on the channel is delivered, in order.
#[derive(Debug)]
pub struct Simulated(pub mpsc::UnboundedReceiver<Pressure>);

impl PressureSource for Simulated {
    async fn next(&mut self) -> Option<Pressure> {
        self.0.recv().await
    }
}
// ANCHOR_END: source

/// What the check needs of a twin: the guide's `init` and `handleMemoryPressure`, and its caches.
pub trait Handler: Send + Sync + 'static {
    /// `init()`: builds the caches.
    fn new() -> Self;
    /// `handleMemoryPressure()`, called with the event the source delivered.
    fn handle_memory_pressure(&self, event: Pressure);
    /// The image cache.
    fn images(&self) -> &Images;
    /// The data cache.
    fn data(&self) -> &Data;
}

/// `setEventHandler { [weak self] in self?.handleMemoryPressure() }` on the `memory.pressure`
/// queue: a task that hands every event to the handler while the handler is alive.
pub fn monitor<H: Handler>(handler: &Arc<H>, mut source: impl PressureSource) -> JoinHandle<()> {
    let handler = Arc::downgrade(handler);
    rt::spawn("memory.pressure", async move {
        while let Some(event) = source.next().await {
            say!("receives a {event:?} event");
            let Some(handler) = handler.upgrade() else {
                return;
            };
            handler.handle_memory_pressure(event);
        }
    })
}

// ANCHOR: current
/// The guide's `getCurrentMemoryPressure()` (L1469–1473): "This would typically come from the
/// system. For demonstration, we'll return a default value."
pub fn get_current_memory_pressure() -> Pressure {
    Pressure::Warning
}
// ANCHOR_END: current

/// An image's weight in the fixed twin's cache is its size in bytes (moka weighs in `u32`: an
/// image over 4 GiB weighs the most it can).
pub fn weigh(_key: &u32, image: &Image) -> u32 {
    u32::try_from(image.len()).unwrap_or(u32::MAX)
}

/// The bytes an image cache holds, after moka has applied every pending change.
pub fn bytes(images: &Images) -> u64 {
    images.run_pending_tasks();
    images.iter().map(|(_, image)| image.len() as u64).sum()
}

/// Bytes in whole mebibytes, for narration.
pub fn mb(bytes: u64) -> u64 {
    bytes / MB as u64
}

// ANCHOR: check
/// A hundred 1 MB images must fit the 50 MB budget; a critical event must empty the image cache.
pub async fn stays_in_budget_and_clears_on_critical<H: Handler>() -> Result<(), String> {
    let handler = Arc::new(H::new());
    for key in 0..IMAGES {
        handler.images().insert(key, Arc::new(vec![0; MB]));
    }
    handler.data().insert("feed", "the feed JSON".into());
    let stored = bytes(handler.images());
    let count = handler.images().entry_count();
    say!(
        "stores {IMAGES} images of 1 MB: the cache holds {} MB in {count} images",
        mb(stored)
    );
    let mut wrong = Vec::new();
    if stored > BUDGET {
        wrong.push(format!(
            "the image cache holds {} MB, over its {} MB budget: its only limit counts images",
            mb(stored),
            mb(BUDGET)
        ));
    }

    let (events, source) = mpsc::unbounded_channel();
    let monitoring = monitor(&handler, Simulated(source));
    say!("the system reports critical memory pressure");
    events.send(Pressure::Critical).map_err(|e| e.to_string())?;
    drop(events);
    monitoring.await.map_err(|e| e.to_string())?;
    let left = bytes(handler.images());
    say!("after the event the image cache holds {} MB", mb(left));
    if left > 0 {
        wrong.push(format!(
            "after a critical event the image cache still holds {} MB: the handler took the \
             warning branch",
            mb(left)
        ));
    }
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
            stays_in_budget_and_clears_on_critical::<broken::MemoryPressureHandler>(),
        ),
        Variant::Fixed => rt::run_as(
            "app",
            stays_in_budget_and_clears_on_critical::<fixed::MemoryPressureHandler>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P11",
    name: "memory_pressure_cache",
    summary: "a count-only cache blows its 50 MB budget; a critical event is handled as a warning",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("100 images of 1 MB into a 50 MB cache, then a critical memory-pressure event");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the cache stayed within 50 MB, and the critical event emptied it",
    );
    report
}
