//! Q5's harness, apart from the check in [`super`]: the app both twins run in (a "main" queue
//! and its screen, a rayon pool as the global queue, the gauges), the pacing that makes the items
//! finish in reverse order, and the scenario under the watchdog.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use racelab_kit::demo::Variant;
use racelab_kit::gauge::Gauge;
use racelab_kit::trace::{self, Trace, as_actor, traced};
use racelab_kit::watchdog::{self, Outcome as Watched};
use racelab_kit::{say, step, wait};

use racelab_dispatch::serial_queue::SerialQueue;

use super::{FINISHES, HOPS, broken, fixed, guide_fix};

/// The items the scenario processes, in input order.
pub const ITEMS: [&str; 3] = ["a", "b", "c"];

/// How the global queue's jobs are paced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Jobs run as the pool runs them.
    Free,
    /// The job for an item starts only once the job for the next item (in [`ITEMS`]) has finished,
    /// and the job for the last item only once every item's job is in flight: all run at once,
    /// and they finish in reverse order — the worst case for a per-item hop.
    Reversed,
}

/// Everything the twins share: the main queue and its screen, the global queue, and the gauges.
/// Cloning shares it (the guide's `self`, captured by every closure).
#[derive(Clone)]
pub struct App {
    /// The main thread's event loop.
    pub main: SerialQueue,
    /// The global queue: a rayon pool.
    pub global: Arc<rayon::ThreadPool>,
    screen: Arc<Mutex<Vec<String>>>,
    hops: Arc<AtomicUsize>,
    in_flight: Arc<Gauge>,
    pace: Pace,
    trace: Option<Trace>,
}

impl App {
    /// A main queue, and a global queue with `workers` threads; the current trace (if any) is
    /// carried onto both.
    pub fn new(workers: usize, pace: Pace) -> Self {
        App {
            main: SerialQueue::new("main"),
            global: Arc::new(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(workers)
                    .thread_name(|i| format!("global-{i}"))
                    .build()
                    .expect("a rayon pool"),
            ),
            screen: Arc::default(),
            hops: Arc::default(),
            in_flight: Arc::default(),
            pace,
            trace: trace::current(),
        }
    }

    /// The work for one item (the guide's `processItem`).
    pub fn process_item(&self, item: &str) -> String {
        let processed = item.to_uppercase();
        say!("processes {item} -> {processed}");
        processed
    }

    /// Runs on main: shows `items` (the guide's `updateUI(with:)`). Each call is one wake-up of
    /// the main thread — one hop.
    pub fn update_ui(&self, items: Vec<String>) {
        self.hops.fetch_add(1, Ordering::SeqCst);
        self.screen.lock().unwrap().extend(items);
    }

    /// Runs `job` as the global queue's job for `item`: its lines are signed `global-<item>`, it
    /// counts as in flight while it runs, and under [`Pace::Reversed`] it first waits for the job
    /// for the next item to finish. The harness, not the lesson: every twin wraps its per-item
    /// work in it.
    pub fn item_job<R>(&self, item: &str, job: impl FnOnce() -> R) -> R {
        let _installed = self.trace.as_ref().map(Trace::install);
        as_actor(&format!("global-{item}"), || {
            let in_flight = self.in_flight.enter();
            match (self.pace, next(item)) {
                (Pace::Reversed, Some(next)) => {
                    let next = format!("global-{next}");
                    let what = format!("{next} finishes");
                    wait::until(what, || wait::reached(&next, FINISHES));
                }
                // The last item starts once every item is in flight: they all run at once.
                (Pace::Reversed, None) => {
                    let what = "every item is in flight";
                    wait::until(what, || self.in_flight.now() == ITEMS.len());
                }
                (Pace::Free, _) => {}
            }
            let result = job();
            drop(in_flight); // out before it says so: the next item waits for FINISHES
            step!(FINISHES);
            result
        })
    }

    /// Runs `job` on the global queue, signed `global` (the fixed twins' one batch job).
    pub fn batch_job(&self, job: impl FnOnce() + Send + 'static) {
        let trace = self.trace.clone();
        self.global.spawn(move || {
            let _installed = trace.as_ref().map(Trace::install);
            as_actor("global", job)
        });
    }

    /// What main's screen shows, in the order it was updated — read on main, after every hop
    /// sent so far (a `sync` without its narration).
    pub fn screen(&self) -> Vec<String> {
        let (screen, (reply, answer)) = (self.screen.clone(), std::sync::mpsc::channel());
        self.main
            .dispatch_async(move || drop(reply.send(screen.lock().unwrap().clone())));
        answer.recv().expect("main is running")
    }

    /// How many times main was woken to update the UI.
    pub fn hops(&self) -> usize {
        self.hops.load(Ordering::SeqCst)
    }

    /// The most items that were being processed at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.in_flight.peak()
    }
}

/// The item after `item` in [`ITEMS`].
fn next(item: &str) -> Option<&'static str> {
    let i = ITEMS.iter().position(|x| *x == item)?;
    ITEMS.get(i + 1).copied()
}

/// Which `processData` to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Twin {
    /// The guide's BAD version.
    Broken,
    /// The guide's GOOD version as written (a sequential `map`).
    GuideFix,
    /// The guide's GOOD version with `par_iter`.
    Fixed,
}

impl From<Variant> for Twin {
    fn from(v: Variant) -> Self {
        match v {
            Variant::Broken => Twin::Broken,
            Variant::Fixed => Twin::Fixed,
        }
    }
}

/// What a run of the scenario saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Main's screen, in update order.
    pub screen: Vec<String>,
    /// How many times main was woken.
    pub hops: usize,
    /// The most items processed at once.
    pub max_in_flight: usize,
}

/// On real threads: main calls `processData([a, b, c])`; the global queue has a worker per item;
/// under [`Pace::Reversed`] the items finish c, b, a. Then main's screen is read.
pub fn scenario(twin: Twin, pace: Pace) -> Watched<Outcome> {
    watchdog::watch(move || {
        let app = App::new(ITEMS.len(), pace);
        let data: Vec<String> = ITEMS.iter().map(|s| s.to_string()).collect();
        let (done_tx, done) = std::sync::mpsc::channel();
        let on_main = app.clone();
        app.main.dispatch_async(move || {
            match twin {
                Twin::Broken => broken::process_data(&on_main, data),
                Twin::GuideFix => guide_fix::process_data(&on_main, data),
                Twin::Fixed => fixed::process_data(&on_main, data),
            }
            let _ = done_tx.send(());
        });
        done.recv().expect("main ran processData");
        // Every item's job ends at FINISHES (the broken twin hops before it); the batch twins then
        // hop once, at HOPS.
        if app.trace.is_some() {
            for item in ITEMS {
                let actor = format!("global-{item}");
                wait::until(format!("{actor} finishes"), || {
                    wait::reached(&actor, FINISHES)
                });
            }
            if twin != Twin::Broken {
                wait::until("global hops to main", || wait::reached("global", HOPS));
            }
        }
        Outcome {
            screen: app.screen(),
            hops: app.hops(),
            max_in_flight: app.max_in_flight(),
        }
    })
}

/// Runs the scenario with a fresh trace installed; returns what it saw and the trace.
pub fn run_scenario(twin: Twin, pace: Pace) -> (Watched<Outcome>, Trace) {
    traced(|_| scenario(twin, pace))
}
