//! Q9 `sync_vs_async` — a blocking `sync` onto a fixed-size pool, made from one of the pool's own
//! workers, waits forever; rayon's `install` runs the work inline instead.
//!
//! Ports the guide's "Synchronous vs Asynchronous Execution" (L1775–1827; the code is
//! L1808–1822). The guide says `DispatchQueue.global().sync { performHeavyOperation() }` "blocks
//! until completion" — true, and misleading: it moves no work off the caller. libdispatch runs
//! `sync` onto a global queue on the *calling* thread (`src/queue.c`: a global queue always takes
//! `_dispatch_sync_f_slow`, which invokes a queue with no target queue inline), so a main thread
//! that writes this still does the heavy work itself, and blocks. For the same reason the guide's
//! code cannot starve or deadlock GCD's pool: nothing waits for a worker.
//!
//! **The broken twin is a Rust hazard, not the guide's bug.** The obvious port of `sync` onto a
//! pool — submit, then block until a worker has run it — deadlocks when one of a fixed-size pool's
//! own workers calls it: the worker waits for a job that needs a free worker. libdispatch never
//! gets there, because it runs the block inline; the fix does the same.
//!
//! * **broken** ([`broken`]): a job on [`naive_pool_model`]'s 1-thread pool calls the pool's `sync`: a
//!   real deadlock on real threads, every time. Both waits are recorded (the model's `sync` and
//!   its workers' wait for the next job go through `kit::wait`), so the [`watchdog`] proves the
//!   deadlock at once — every thread waits and nothing can wake any — and names the waits.
//! * **fixed** ([`fixed`]): the same job on a 1-thread rayon pool calls `install`, which sees it is
//!   already on the pool and runs the work inline; the trace signs the heavy work `pool-0`, the
//!   worker that asked for it.
//!
//! Dependency: `rayon`, for its `ThreadPool::install` — the standard Rust pool whose blocking
//! entry point is safe to call from its own workers.
//!
//! **Why a model, not the library**: a fixed pool whose `sync` blocks the calling worker is the
//! hazard itself, so the library has none; [`naive_pool_model`] lives in this folder, used only by
//! the broken twin. The fixed twin uses rayon, whose `install` runs inline on its own workers.

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, as_actor, traced};
use racelab_kit::watchdog::{self, Outcome};

use naive_pool_model::{NaivePool, WAITS_FOR};

pub mod broken;
pub mod fixed;
pub mod naive_pool_model;

/// Runs `f` on a rayon worker with `trace` installed and lines signed with the worker's name
/// (rayon's threads are not spawned through the kit, so they do not inherit the trace).
fn on_worker<R>(trace: &Trace, f: impl FnOnce() -> R) -> R {
    let _installed = trace.install();
    let name = std::thread::current().name().unwrap_or("pool").to_string();
    as_actor(&name, f)
}

// ANCHOR: scenario
/// On real threads, under the watchdog: `main` makes a 1-thread pool and waits (`sync` /
/// `install`) for a job on it; the job hands the heavy work to the same pool and waits for it.
pub fn scenario(variant: Variant, trace: &Trace) -> Outcome<()> {
    let trace = trace.clone();
    watchdog::watch(move || {
        match variant {
            Variant::Broken => {
                let pool = NaivePool::new(1);
                let p = pool.clone();
                pool.sync(move || broken::process(&p));
            }
            Variant::Fixed => {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .thread_name(|i| format!("pool-{i}"))
                    .build()
                    .expect("a rayon pool");
                say!("waits for the pool to run its job");
                pool.install(|| on_worker(&trace, || fixed::process(&pool)));
            }
        }
        say!("gets its result back");
    })
}
// ANCHOR_END: scenario

/// Runs the scenario for one twin and returns its trace.
pub fn run_scenario(variant: Variant) -> (Outcome<()>, Trace) {
    traced(|trace| scenario(variant, trace))
}

/// Whether the pool's only worker's last words are a wait for the pool.
pub fn worker_waits_for_its_pool(trace: &Trace) -> bool {
    watchdog::last_words(trace)
        .iter()
        .any(|l| l.actor == "pool-0" && l.step.as_ref().is_some_and(|(s, _)| *s == WAITS_FOR))
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q9",
    name: "sync_vs_async",
    summary: "a pool job syncs onto its own 1-thread pool and waits forever; rayon's install runs inline",
    run: demo,
};

/// The demo: the nested sync on real threads, under the watchdog.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(
        "real threads: main syncs a job onto a 1-thread pool; the job syncs onto the pool",
    );
    let (watched, trace) = run_scenario(variant);
    report.trace(&trace);
    let bug = match (variant, watched) {
        (_, Outcome::Finished(())) => {
            report.line("=> the heavy operation ran inline on pool-0, the worker that asked.");
            None
        }
        (_, Outcome::Deadlocked(proof)) => Some(format!("deadlock: {}", report.deadlocked(&proof))),
        // The backstop proves nothing: a broken run that only stalls is a miss, not a catch.
        (_, Outcome::Stalled { idle }) => report.stall(idle, &trace),
    };
    report.conclude(
        bug,
        "install from the pool's own worker runs the work inline and returns",
    );
    report
}
