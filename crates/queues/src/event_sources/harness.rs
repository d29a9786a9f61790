//! Q12's file-watch scenario, apart from the check in [`super`]: a temporary directory, three
//! changes to `config.json`, a sentinel after each; and the plumbing both file twins share (the
//! watcher callback, the two ways of writing a file).
//!
//! Linux-only (`cfg` on the module): the "saw nothing" verdict rests on inotify delivering one
//! watcher's events in the order they happened (the sentinel's event arrives after the step's, or
//! the step caused none). Other platforms' backends do not promise that (macOS's FSEvents
//! coalesces and batches), so there the demo says it needs Linux instead of guessing.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use notify::{Event, EventKind};
use racelab_kit::demo::Variant;
use racelab_kit::say;
use racelab_kit::trace::{self, Trace, as_actor, traced};
use racelab_kit::watchdog::GATE_TIMEOUT;

use super::{FILE, SENTINEL, Seen, broken, fixed};

/// A file source's event handler.
pub type Handler = Box<dyn Fn() + Send>;

/// The watcher's event callback shared by both monitors: runs on notify's thread with the current
/// trace installed and lines signed `watcher`, and calls the handler of every watched path the
/// event names, if `wanted` says the event is a change.
pub fn on_watcher_thread(
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

/// Runs the file scenario with a fresh trace installed.
pub fn run_file_scenario(variant: Variant) -> (std::io::Result<Seen>, Trace) {
    traced(|_| file_scenario(variant))
}
