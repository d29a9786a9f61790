//! Q5 `context_switch_batching` — one hop to the main thread per item delivers the results in
//! whatever order the workers finish; one hop with the whole batch delivers them in input order.
//!
//! Ports the guide's "Performance › 2. Context Switching" (L523–559; the code is L532–559). The
//! guide's BAD version (L534–545) sends every item to the global queue and every result back to
//! main in its own hop; its GOOD version (L548–558) maps the whole array in one background job and
//! hops to main once. Fewer hops — **right**. But the guide leaves out three things:
//!
//! * the BAD version is not only slower: it shows the results in the order the workers happen to
//!   *finish*, not the input order (the bug this demo catches);
//! * the GOOD version gives up the parallelism: `data.map` runs on one thread, one item at a time
//!   ([`guide_fix`]);
//! * and it gives up latency: nothing shows until the last item is done. Chunked batches (one hop
//!   per chunk) are the middle ground.
//!
//! * **broken** ([`broken`]): the guide's BAD version on a real pool and a real "main" queue.
//! * **fixed** ([`fixed`]): the guide's GOOD version with rayon's `par_iter` instead of `map`:
//!   the items are processed in parallel, `collect` puts them back in input order, and one hop
//!   delivers them.
//! * [`guide_fix`]: the guide's GOOD version as written — right order, one hop, one item at a time.
//!
//! The "main thread" is a [`SerialQueue`] labelled `main`: an event loop fed by a channel, which is
//! all `DispatchQueue.main` is to a background thread. The global queue is a rayon pool (rayon is
//! already the chapter's pool, Q9) with one worker per item, so every item can be in flight at once.
//!
//! The check, the same for every twin: after processing `a, b, c`, main's screen must read
//! `A, B, C` and main must have been woken once. The scenario forces the worst finishing order —
//! reverse — with gates: the job for an item starts only when the job for the next item has
//! finished. No sleeps; every run is the same run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::gauge::Gauge;
use racelab_kit::say;
use racelab_kit::trace::{self, Trace, as_actor, traced};
use racelab_kit::watchdog::{self, DEADLOCK_TIMEOUT, GATE_TIMEOUT, Watched};

use racelab_dispatch::serial_queue::SerialQueue;

pub mod broken;
pub mod fixed;
pub mod guide_fix;

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
            // Bounded waits: if the scenario were wrong, the checks fail instead of hanging.
            match (self.pace, &self.trace, next(item)) {
                (Pace::Reversed, Some(trace), Some(next)) => {
                    trace.wait_for(&format!("global-{next}"), "finishes", GATE_TIMEOUT);
                }
                // The last item starts once every item is in flight: they all run at once.
                (Pace::Reversed, _, None) => {
                    let all = || self.in_flight.now() == ITEMS.len();
                    watchdog::wait_until(GATE_TIMEOUT, all);
                }
                _ => {}
            }
            let result = job();
            drop(in_flight); // out before it says so: the next item waits for "finishes"
            say!("finishes");
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

/// The processed items in input order: what main must show.
pub fn expected() -> Vec<String> {
    ITEMS.iter().map(|s| s.to_uppercase()).collect()
}

// ANCHOR: check
/// The check, the same for every twin: main shows the items in input order, after one hop.
pub fn check(outcome: &Outcome) -> Result<(), String> {
    if outcome.screen != expected() || outcome.hops != 1 {
        return Err(format!(
            "main showed {} (input order: {}) after {} hop(s)",
            outcome.screen.join(", "),
            expected().join(", "),
            outcome.hops
        ));
    }
    Ok(())
}
// ANCHOR_END: check

// ANCHOR: scenario
/// On real threads: main calls `processData([a, b, c])`; the global queue has a worker per item;
/// under [`Pace::Reversed`] the items finish c, b, a. Then main's screen is read.
pub fn scenario(twin: Twin, pace: Pace) -> Watched<Outcome> {
    watchdog::run(DEADLOCK_TIMEOUT, move || {
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
        // Every item's job ends by saying so (the broken twin hops before it); the batch twins
        // then hop once and say so.
        let mut last: Vec<(String, &str)> = ITEMS
            .iter()
            .map(|i| (format!("global-{i}"), "finishes"))
            .collect();
        if twin != Twin::Broken {
            last.push(("global".to_string(), "hops to main"));
        }
        if let Some(trace) = &app.trace {
            for (actor, needle) in &last {
                trace.gate(actor, &[needle]);
            }
        }
        Outcome {
            screen: app.screen(),
            hops: app.hops(),
            max_in_flight: app.max_in_flight(),
        }
    })
}
// ANCHOR_END: scenario

/// Runs the scenario with a fresh trace installed; returns what it saw and the trace.
pub fn run_scenario(twin: Twin, pace: Pace) -> (Watched<Outcome>, Trace) {
    traced(|_| scenario(twin, pace))
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q5",
    name: "context_switch_batching",
    summary: "one hop to main per item shows results in finishing order; one batched hop shows them in input order",
    run: demo,
};

/// The demo: `processData([a, b, c])` with the items finishing in reverse order.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(
        "real threads: main processes a, b, c on a 3-worker global queue; gates make them finish c, b, a",
    );
    let (watched, trace) = run_scenario(variant.into(), Pace::Reversed);
    report.trace(&trace);
    let bug = match watched {
        Watched::Finished(outcome) => {
            report.line(format!(
                "=> main's screen, in update order: {}; main was woken {} time(s) to update it.",
                outcome.screen.join(", "),
                outcome.hops
            ));
            check(&outcome).err()
        }
        Watched::Hung { waited } => Some(format!("stuck: {}", report.hung(waited, &trace))),
    };
    report.conclude(
        bug,
        "main shows A, B, C in input order after one hop, however the items finish",
    );
    report
}
