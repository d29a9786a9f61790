//! proptest, the racelab way: one runner for every property in the workspace.
//!
//! A property test here is a *check*, so it must find the same thing on every run and every
//! machine. [`runner`] makes that so:
//!
//! * a fixed case count and a fixed seed (ChaCha, `TestRng::deterministic_rng`): the same inputs,
//!   and so the same shrunk counterexample, every run;
//! * every knob proptest would otherwise read from `PROPTEST_*` environment variables (case
//!   count, shrink limits and time, rejects, size range, verbosity, persistence) is set here
//!   (fork and timeout exist only with proptest features the workspace does not enable),
//!   so a variable left in someone's shell cannot change what a pinned counterexample says;
//! * failures persist only where asked: a **fixed** twin's property passes a regressions file
//!   (`Some(path)`: a failure found once is replayed first on every later run), a **broken** twin's
//!   property passes `None` — it is expected to fail, so it writes nothing, and its shrunk
//!   counterexample is pinned with insta instead.
//!
//! ```
//! use proptest::prelude::*;
//! let mut runner = racelab_testkit::props::runner(64, None);
//! let outcome = runner.run(&(0u32..1000), |n| {
//!     prop_assert!(n < 500);
//!     Ok(())
//! });
//! // Fails, and shrinks to the smallest counterexample — the same one every run.
//! assert!(format!("{outcome:?}").contains("500"));
//! ```

use proptest::test_runner::{Config, FileFailurePersistence, RngAlgorithm, TestRng, TestRunner};

/// A runner with `cases` cases from a fixed seed and nothing read from the environment;
/// `regressions` is the fixed twin's regressions file (an absolute path, e.g.
/// `concat!(env!("CARGO_MANIFEST_DIR"), "/tests/demos/proptest-regressions/<demo>.txt")`), or
/// `None` for a broken twin's property.
pub fn runner(cases: u32, regressions: Option<&'static str>) -> TestRunner {
    let config = Config {
        cases,
        max_local_rejects: 65_536,
        max_global_rejects: 1024,
        max_flat_map_regens: 1_000_000,
        failure_persistence: regressions.map(|path| {
            Box::new(FileFailurePersistence::Direct(path))
                as Box<dyn proptest::test_runner::FailurePersistence>
        }),
        max_shrink_time: 0,
        max_shrink_iters: u32::MAX,
        max_default_size_range: 100,
        verbose: 0,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}
