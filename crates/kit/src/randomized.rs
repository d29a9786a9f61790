//! shuttle, the kit's way: random schedules from a seed, the first failing one kept and replayable.
//!
//! Only with the kit feature `shuttle` (racelab enables it from dev-dependencies). loom tries every
//! interleaving of a small model; shuttle picks schedules at random — no proof, but it scales to
//! bigger tests, and because the random choices come from a seed, a failing schedule replays
//! exactly. Here schedule `i` of a search is the one shuttle's random scheduler makes from seed
//! `seed + i`, so [`replay`]`(model, seed + i)` is that schedule again.
//!
//! The model runs in the [`Shuttle`](crate::sync::Shuttle) world. Its panics are findings, not
//! crashes, so they are not printed (the same quiet hook as [`explore`](crate::explore)), and shuttle
//! is asked not to print its own replay hints.

use std::panic::{self, AssertUnwindSafe};

use shuttle::scheduler::RandomScheduler;
use shuttle::{Config, FailurePersistence, Runner};

use crate::explore::{panic_message, quietly};

/// The first failing schedule of a [`search`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Which schedule (0-based): it came from seed `seed + schedule`.
    pub schedule: usize,
    /// The seed that replays it.
    pub seed: u64,
    /// The panic message.
    pub message: String,
}

/// Runs `model` once, on the schedule shuttle's random scheduler makes from `seed`; the panic
/// message if it failed.
pub fn replay<F>(model: F, seed: u64) -> Option<String>
where
    F: Fn() + Send + Sync + 'static,
{
    let mut config = Config::new();
    config.failure_persistence = FailurePersistence::None;
    config.silence_warnings = true;
    let runner = Runner::new(RandomScheduler::new_from_seed(seed, 1), config);
    quietly(|| panic::catch_unwind(AssertUnwindSafe(|| runner.run(model))))
        .err()
        .map(|p| panic_message(&*p))
}

/// Tries schedules `seed`, `seed + 1`, … up to `schedules` of them; the first that fails.
pub fn search<F>(model: F, seed: u64, schedules: usize) -> Option<Found>
where
    F: Fn() + Clone + Send + Sync + 'static,
{
    (0..schedules).find_map(|i| {
        let seed = seed + i as u64;
        replay(model.clone(), seed).map(|message| Found {
            schedule: i,
            seed,
            message,
        })
    })
}

/// How many of `schedules` schedules (seeds `seed`, `seed + 1`, …) fail: a detection rate.
pub fn failures<F>(model: F, seed: u64, schedules: usize) -> usize
where
    F: Fn() + Clone + Send + Sync + 'static,
{
    (0..schedules)
        .filter(|&i| replay(model.clone(), seed + i as u64).is_some())
        .count()
}
