//! The loom explorer: run a model under every interleaving and keep the first one that fails.
//!
//! `loom::model` panics on the first failing interleaving and the panic is all you get. Teaching
//! needs more: *which* schedule failed, in words. [`explore`] wraps loom so that each interleaving
//! gets a fresh [`Trace`], and when an interleaving panics (a failed assertion, an index out of
//! bounds, or loom's own "deadlock") it returns that interleaving's trace with the message.
//!
//! loom's search order is deterministic, so the failing trace is the same on every run and can be
//! pinned with insta — the tests pin it, the demos print it, the book includes it.
//!
//! Bounds: [`explore`] is exhaustive; racelab keeps its models small enough for that. A model too
//! big to search exhaustively uses [`explore_bounded`], and its test says so. loom's environment
//! variables (`LOOM_MAX_PREEMPTIONS`, `LOOM_MAX_PERMUTATIONS`, …) are deliberately ignored: the
//! interleaving counts and failing traces are pinned by snapshot tests and printed by the book, so
//! they must not change with the shell they run in.
//! A model that cannot be small (four threads on one lock) uses [`explore_bounded`] and says so.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use crate::trace::{self, Trace};

/// The result of searching a model's interleavings.
#[derive(Debug, Clone)]
pub struct Exploration {
    /// How many interleavings loom ran (up to and including the failing one).
    pub interleavings: usize,
    /// How long the search took.
    pub elapsed: Duration,
    /// The first interleaving that failed, if any.
    pub failure: Option<Failure>,
}

/// An interleaving that failed.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The panic message: the broken invariant, in words (or loom's deadlock report).
    pub message: String,
    /// What each thread did in that interleaving, in order.
    pub trace: Trace,
}

impl Exploration {
    /// Whether any interleaving failed.
    pub fn found_bug(&self) -> bool {
        self.failure.is_some()
    }

    /// The failure, or a panic that says the search found none (for tests of broken demos).
    pub fn expect_failure(&self) -> &Failure {
        match &self.failure {
            Some(failure) => failure,
            None => panic!(
                "loom searched all {} interleavings and found no failure",
                self.interleavings
            ),
        }
    }

    /// Panics with the failing trace if any interleaving failed (for tests of fixed demos).
    pub fn assert_holds(&self) {
        if let Some(failure) = &self.failure {
            panic!(
                "interleaving {} failed: {}\n{}",
                self.interleavings,
                failure.message,
                failure.trace.render()
            );
        }
    }
}

impl Failure {
    /// Whether loom stopped because every thread was blocked.
    pub fn is_deadlock(&self) -> bool {
        self.message.starts_with("deadlock")
    }
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `model` under loom, once per interleaving, until one panics or all have passed.
pub fn explore<F>(model: F) -> Exploration
where
    F: Fn() + Send + Sync + 'static,
{
    explore_with(pinned_builder(), model)
}

/// Like [`explore`], but tries only the interleavings in which running threads are switched out
/// (preempted) at most `max_preemptions` times — loom's own remedy for models with too many
/// threads to search exhaustively. Most real bugs need at most 2 preemptions (a bound of 2–3 is
/// what loom recommends), but a bounded search is not a proof: say so wherever one is used.
pub fn explore_bounded<F>(max_preemptions: usize, model: F) -> Exploration
where
    F: Fn() + Send + Sync + 'static,
{
    let mut builder = pinned_builder();
    builder.preemption_bound = Some(max_preemptions);
    explore_with(builder, model)
}

/// loom's builder with every knob set here, not read from the environment (also used by `play`).
pub(crate) fn pinned_builder() -> loom::model::Builder {
    let mut builder = loom::model::Builder::new();
    builder.max_threads = 5;
    builder.max_branches = 1_000;
    builder.max_permutations = None;
    builder.max_duration = None;
    builder.preemption_bound = None;
    builder.checkpoint_file = None;
    builder.location = false;
    builder.log = false;
    builder
}

fn explore_with<F>(builder: loom::model::Builder, model: F) -> Exploration
where
    F: Fn() + Send + Sync + 'static,
{
    let runs = Arc::new(AtomicUsize::new(0));
    let current = Arc::new(Mutex::new(Trace::new()));

    let (runs_in, current_in) = (runs.clone(), current.clone());
    let was_loom = trace::set_in_loom(true);
    let started = Instant::now();
    let result = quietly(|| {
        panic::catch_unwind(AssertUnwindSafe(|| {
            builder.check(move || {
                runs_in.fetch_add(1, Ordering::Relaxed);
                let trace = Trace::new();
                *crate::sync::lock_unpoisoned(&current_in) = trace.clone();
                let _installed = trace.install();
                model();
            })
        }))
    });
    let elapsed = started.elapsed();
    trace::set_in_loom(was_loom);

    let failure = result.err().map(|panic| Failure {
        message: tidy(panic_message(&*panic)),
        trace: crate::sync::lock_unpoisoned(&current).clone(),
    });
    Exploration {
        interleavings: runs.load(Ordering::Relaxed),
        elapsed,
        failure,
    }
}

/// Runs `f` with this thread's panics unprinted (they are findings, not crashes): used by the
/// loom explorer and by `randomized`.
pub(crate) fn quietly<R>(f: impl FnOnce() -> R) -> R {
    install_quiet_hook();
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = f();
    QUIET.with(|q| q.set(was_quiet));
    result
}

/// The text of a panic payload.
pub fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_string()
    }
}

/// loom's deadlock report lists internal thread states; keep its first words.
pub(crate) fn tidy(message: String) -> String {
    if message.starts_with("deadlock;") {
        "deadlock: every thread is blocked".to_string()
    } else {
        message
    }
}

/// The panics loom raises on purpose while exploring are findings, not crashes: while a search runs
/// on this thread, don't print them. Installed once and chained, so other tests' panics still print.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}
