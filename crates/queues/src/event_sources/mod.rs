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
//! **Files** — real inotify on Linux, through `notify` (the crate a Rust program uses for this;
//! kqueue/FSEvents on macOS): [`broken`] watches the file's path for data writes; [`fixed`]
//! watches its directory and picks the file out by name. The scenario writes the file in place,
//! replaces it atomically (temp file + rename), and writes it in place again; the check: the
//! handler saw all three changes.
//!
//! "Saw nothing" is decided without a timeout guess: inotify queues one watcher's events in the
//! order they happened, and `notify` hands them to the handler in that order on one thread. So
//! after each step the scenario writes a *sentinel* file, watched by the same monitor, and waits
//! (bounded by [`GATE_TIMEOUT`]) for the sentinel's event: whatever the step caused has been
//! delivered by then, or never will be.
//!
//! Dependencies: `notify` (file events), `tempfile` (the throw-away directory, and
//! `NamedTempFile::persist`, the atomic save), `tokio` (the timers).

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use notify::{Event, EventKind};
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{self, Trace, as_actor, traced};
use racelab_kit::watchdog::GATE_TIMEOUT;

pub mod broken;
pub mod fixed;
pub mod timer_broken;
pub mod timer_fixed;

/// A file source's event handler.
pub type Handler = Box<dyn Fn() + Send>;

/// The watcher's event callback shared by both monitors: runs on notify's thread with the current
/// trace installed and lines signed `watcher`, and calls the handler of every watched path the
/// event names, if `wanted` says the event is a change.
fn on_watcher_thread(
    handlers: Arc<Mutex<Vec<(std::path::PathBuf, Handler)>>>,
    wanted: fn(&EventKind) -> bool,
) -> impl Fn(notify::Result<Event>) + Send + 'static {
    let trace = trace::current();
    move |event| {
        let Ok(event) = event else { return };
        if !wanted(&event.kind) {
            return;
        }
        let _installed = trace.as_ref().map(Trace::install);
        as_actor("watcher", || {
            for (path, handler) in handlers.lock().unwrap().iter() {
                if event.paths.contains(path) {
                    handler();
                }
            }
        })
    }
}

/// The watched file's name.
pub const FILE: &str = "config.json";
/// The sentinel's name.
pub const SENTINEL: &str = "sentinel";

/// Writes `bytes` into the existing file at `path`, in place, in one `write` (no truncation: one
/// inotify "modified" event).
fn write_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    OpenOptions::new().write(true).open(path)?.write_all(bytes)
}

/// An atomic save: a new file in the same directory, renamed over `path`.
fn replace_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temp = tempfile::NamedTempFile::new_in(path.parent().expect("a directory"))?;
    temp.write_all(bytes)?;
    temp.persist(path)?;
    Ok(())
}

/// Either monitor.
enum Monitor {
    Broken(broken::SystemEventMonitor),
    Fixed(fixed::SystemEventMonitor),
}

impl Monitor {
    fn new(variant: Variant) -> notify::Result<Self> {
        Ok(match variant {
            Variant::Broken => Monitor::Broken(broken::SystemEventMonitor::new()?),
            Variant::Fixed => Monitor::Fixed(fixed::SystemEventMonitor::new()?),
        })
    }

    fn monitor_file(
        &mut self,
        path: &Path,
        handler: impl Fn() + Send + 'static,
    ) -> notify::Result<()> {
        match self {
            Monitor::Broken(m) => m.monitor_file(path, handler),
            Monitor::Fixed(m) => m.monitor_file(path, handler),
        }
    }
}

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

// ANCHOR: file_scenario
/// On real files in a fresh temporary directory: monitor `config.json` and a sentinel with one
/// monitor, then change `config.json` three ways. After each step, write the sentinel and wait
/// for its event: by then the step's own event has arrived, or it never will.
pub fn file_scenario(variant: Variant) -> std::io::Result<Seen> {
    let dir = tempfile::tempdir()?;
    let (file, sentinel) = (dir.path().join(FILE), dir.path().join(SENTINEL));
    std::fs::write(&file, b"v1")?;
    std::fs::write(&sentinel, b"0")?;

    let changes = Arc::new(AtomicUsize::new(0));
    let (flushed, flush) = mpsc::channel();
    let mut monitor = Monitor::new(variant).map_err(std::io::Error::other)?;
    let counted = changes.clone();
    monitor
        .monitor_file(&file, move || {
            counted.fetch_add(1, Ordering::SeqCst);
            say!("sees {FILE} change");
        })
        .map_err(std::io::Error::other)?;
    monitor
        .monitor_file(&sentinel, move || {
            say!("sees {SENTINEL} change");
            let _ = flushed.send(());
        })
        .map_err(std::io::Error::other)?;

    type Step = (&'static str, &'static str, fn(&Path) -> std::io::Result<()>);
    let steps: [Step; 3] = [
        ("the in-place write", "writes config.json in place", |f| {
            write_in_place(f, b"v2")
        }),
        (
            "the atomic save",
            "saves config.json atomically (temp file, rename)",
            |f| replace_atomically(f, b"v3"),
        ),
        (
            "the write after it",
            "writes config.json in place again",
            |f| write_in_place(f, b"v4"),
        ),
    ];
    let mut seen = Seen { steps: Vec::new() };
    for (i, (step, does, change)) in steps.into_iter().enumerate() {
        let before = changes.load(Ordering::SeqCst);
        // One line, said before both actions, so the watcher's answers always come after it.
        say!("{does}, then the {SENTINEL}; waits for its event");
        change(&file)?;
        write_in_place(&sentinel, format!("{}", i + 1).as_bytes())?;
        flush
            .recv_timeout(GATE_TIMEOUT)
            .map_err(|_| std::io::Error::other("the sentinel's event never came"))?;
        seen.steps
            .push((step, changes.load(Ordering::SeqCst) - before));
    }
    Ok(seen)
}
// ANCHOR_END: file_scenario

/// The timer's period.
pub const PERIOD: Duration = Duration::from_millis(10);
/// How long one run of the timer's handler takes: longer than the period.
pub const HANDLER_TAKES: Duration = Duration::from_millis(25);
/// When the scenario cancels the timer (between tick times, so no two things happen at once).
pub const CANCEL_AT: Duration = Duration::from_millis(42);

/// One line of a timer log: when (ms since the start) and what.
pub type Logged = (u128, String);

// ANCHOR: timer_scenario
/// Starts a timer whose handler outlasts the period, cancels it at [`CANCEL_AT`], and waits until
/// everything is quiet; returns what happened when. Meant for tokio's paused clock, on which every
/// run is the same run: time only moves when every task waits for it.
pub async fn timer_scenario(variant: Variant) -> Vec<Logged> {
    let started = tokio::time::Instant::now();
    let log = Arc::new(Mutex::new(Vec::<Logged>::new()));
    let note = {
        let log = log.clone();
        move |what: String| {
            log.lock()
                .unwrap()
                .push((started.elapsed().as_millis(), what))
        }
    };
    let on_tick = {
        let note = note.clone();
        move |n: u32| {
            let note = note.clone();
            async move {
                note(format!("handler {n} starts"));
                tokio::time::sleep(HANDLER_TAKES).await;
                note(format!("handler {n} ends"));
            }
        }
    };
    let on_cancel = move || note("cancel handler runs".to_string());
    match variant {
        Variant::Broken => {
            let timer = timer_broken::TimerSource::start(PERIOD, on_tick, on_cancel);
            tokio::time::sleep(CANCEL_AT).await;
            timer.cancel().await;
        }
        Variant::Fixed => {
            let timer = timer_fixed::TimerSource::start(PERIOD, on_tick, on_cancel);
            tokio::time::sleep(CANCEL_AT).await;
            timer.cancel().await;
        }
    }
    // Paused time: this only lets any handler still running finish.
    tokio::time::sleep(HANDLER_TAKES * 4).await;
    log.lock().unwrap().clone()
}
// ANCHOR_END: timer_scenario

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

/// Runs the file scenario with a fresh trace installed.
pub fn run_file_scenario(variant: Variant) -> (std::io::Result<Seen>, Trace) {
    traced(|_| file_scenario(variant))
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q12",
    name: "event_sources",
    summary: "a file source watching the file for writes goes deaf after an atomic save; watch the directory",
    run: demo,
};

/// The demo: the file scenario on real inotify. (The timer pair runs on tokio's paused clock,
/// which only the tests have: see `tests/demos/event_sources.rs`.)
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
