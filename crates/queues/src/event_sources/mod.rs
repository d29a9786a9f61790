//! Q12 `event_sources` — a file source that watches the file itself, for writes only, goes deaf
//! after the first atomic save; a timer whose handler is spawned per tick lets handlers overlap.
//!
//! Ports the guide's "Dispatch Sources for System Events" (L1006–1067). What is wrong with it:
//!
//! * **It does not compile as written.** `sources: [DispatchSource]` (L1009) holds the class
//!   `DispatchSource`, but the factories return protocol types (`DispatchSourceFileSystemObject`,
//!   `DispatchSourceTimer`, `DispatchSourceMemoryPressure`), so every `sources.append(source)`
//!   needs a cast (or the array must be `[DispatchSourceProtocol]`).
//! * **The file source goes deaf** (this demo): `open(path, O_EVTONLY)` and `eventMask: .write`
//!   (L1013–1020) watch one inode for writes. Editors and atomic saves write a new file and rename
//!   it over the path; the rename is not a `.write`, and the source keeps watching the old, unlinked
//!   inode, so it misses that change *and every later one*. Fix: handle `.delete`/`.rename` and
//!   re-open, or watch the directory.
//! * `sources` is appended to from any thread that calls `monitor…` with no synchronization, and
//!   there is no `deinit` calling `cleanup()`, so a dropped monitor leaks running sources (in Rust,
//!   `&mut self` and `Drop` make both mistakes impossible to write).
//! * The timer source (L1035–1045) is fine as far as it goes — GCD never runs one timer's
//!   handlers concurrently — which is exactly what the tempting Rust port (spawn a task per tick)
//!   breaks: see [`timer_broken`] / [`timer_fixed`], tested on tokio's paused clock.
//!
//! **Files** — real inotify, through `notify` (the crate a Rust program uses for this), so **Linux
//! only**: the twins, the scenario and their tests are `cfg(target_os = "linux")`, and elsewhere
//! the demo prints one line saying it needs Linux inotify (macOS's FSEvents coalesces and batches
//! events, so the sentinel below would prove nothing there). `broken` watches the file's path for data writes; `fixed`
//! watches its directory and picks the file out by name. The scenario writes the file in place,
//! replaces it atomically (temp file + rename), and writes it in place again; the check: the
//! handler saw all three changes.
//!
//! "Saw nothing" is decided without a timeout guess: inotify queues one watcher's events in the
//! order they happened, and `notify` hands them to the handler in that order on one thread. So
//! after each step the scenario writes a *sentinel* file, watched by the same monitor, and waits
//! (bounded by `GATE_TIMEOUT`) for the sentinel's event: whatever the step caused has been
//! delivered by then, or never will be.
//!
//! The file scenario and the file twins' shared plumbing are in `harness`, the timer's in
//! [`timer_harness`].
//!
//! Dependencies: `notify` (file events), `tempfile` (the throw-away directory, and
//! `NamedTempFile::persist`, the atomic save), `tokio` (the timers).

use racelab_kit::demo::{Demo, Report, Variant};

#[cfg(target_os = "linux")]
pub mod broken;
#[cfg(target_os = "linux")]
pub mod fixed;
#[cfg(target_os = "linux")]
pub mod harness;
pub mod timer_broken;
pub mod timer_fixed;
pub mod timer_harness;

#[cfg(target_os = "linux")]
pub use harness::{Handler, file_scenario, run_file_scenario};
pub use timer_harness::{CANCEL_AT, HANDLER_TAKES, PERIOD, timer_scenario};

/// The watched file's name.
pub const FILE: &str = "config.json";
/// The sentinel's name.
pub const SENTINEL: &str = "sentinel";

/// One line of a timer log: when (ms since the start) and what.
pub type Logged = (u128, String);

/// What the file scenario saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The steps, in order, and how many change events the file's handler got during each.
    pub steps: Vec<(&'static str, usize)>,
}

// ANCHOR: file_check
/// The check, the same for both twins: every step changed the file, so every step must reach the
/// handler (exactly once: one write, one event).
pub fn file_check(seen: &Seen) -> Result<(), String> {
    let missed: Vec<&str> = seen
        .steps
        .iter()
        .filter(|(_, events)| *events == 0)
        .map(|(step, _)| *step)
        .collect();
    if missed.is_empty() {
        Ok(())
    } else {
        Err(format!("the handler missed: {}", missed.join("; ")))
    }
}
// ANCHOR_END: file_check

// ANCHOR: timer_check
/// The check, the same for both timers — what a GCD timer source guarantees: its handlers never
/// overlap, and the cancel handler runs once, after the last handler has ended.
pub fn timer_check(log: &[Logged]) -> Result<(), String> {
    let (mut running, mut most, mut cancels) = (0, 0, 0);
    let mut problems = Vec::new();
    for (at, what) in log {
        if what.ends_with("starts") {
            running += 1;
            most = most.max(running);
        } else if what.ends_with("ends") {
            running -= 1;
            if cancels > 0 {
                problems.push(format!(
                    "a handler ended at {at} ms, after the cancel handler"
                ));
            }
        } else {
            cancels += 1;
            if running > 0 {
                problems.push(format!(
                    "the cancel handler ran at {at} ms while {running} handler(s) still ran"
                ));
            }
        }
    }
    if most > 1 {
        problems.insert(0, format!("up to {most} handlers ran at once"));
    }
    if cancels != 1 {
        problems.push(format!("the cancel handler ran {cancels} time(s)"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}
// ANCHOR_END: timer_check

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q12",
    name: "event_sources",
    summary: "a file source watching the file for writes goes deaf after an atomic save; watch the directory",
    run: demo,
};

/// The demo: the file scenario on real inotify. (The timer pair runs on tokio's paused clock,
/// which only the tests have: see `tests/demos/event_sources.rs`.)
#[cfg(target_os = "linux")]
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "real files, real inotify: watch {FILE}, then write it, replace it atomically, write it again"
    ));
    let (seen, trace) = run_file_scenario(variant);
    report.trace(&trace);
    let bug = match seen {
        Ok(seen) => {
            for (step, events) in &seen.steps {
                report.line(format!("=> {step}: {events} event(s)"));
            }
            file_check(&seen).err()
        }
        Err(e) => Some(format!("the scenario failed: {e}")),
    };
    report.conclude(
        bug,
        "every change to the file reached the handler, before and after an atomic save",
    );
    report
}

/// Elsewhere: one line, and no verdict — the file watch's verdict rests on inotify's event order.
#[cfg(not(target_os = "linux"))]
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.line(
        "Q12 needs Linux inotify (its verdict rests on inotify's event order): not run here.",
    );
    report
}
