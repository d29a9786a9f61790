//! shuttle's depth-first search: every schedule of a small tokio-free model, one after another.
//!
//! loom and shuttle cannot drive tokio; they drive their own threads and futures. So a demo that
//! wants every interleaving, not one forced schedule, runs its twins' very code on a model:
//! `shuttle::future::spawn` instead of `tokio::spawn`, `shuttle::future::yield_now` where the
//! real service would wait. `DfsScheduler` with no bound tries every order of the model's
//! scheduling points (spawns, yields, joins) — exhaustive for the model, though not for tokio.

use std::panic::{self, AssertUnwindSafe};

use shuttle::scheduler::DfsScheduler;
use shuttle::{Config, FailurePersistence, Runner};

/// Runs `model` on every schedule: `Ok(how many)` if all passed, or the first failure's panic
/// message (the search stops there).
pub fn every_schedule<F>(model: F) -> Result<usize, String>
where
    F: Fn() + Send + Sync + 'static,
{
    let mut config = Config::new();
    config.failure_persistence = FailurePersistence::None;
    config.silence_warnings = true;
    let runner = Runner::new(DfsScheduler::new(None, false), config);
    panic::catch_unwind(AssertUnwindSafe(|| runner.run(model))).map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}
