//! Dev-only helpers every racelab chapter's tests share.
//!
//! The runtime kit (`racelab-kit`) holds what demos *and* tests need: the sync facade, the trace
//! recorder, the loom explorer, the watchdog. This crate holds what only tests need:
//!
//! * [`compile_fail`] — "the Swift code does not compile in Rust" as a test that survives compiler
//!   upgrades: the error *code* is always checked; the full message (which the book shows) is
//!   compared by trybuild only on the compiler it was recorded with.
//! * [`run_bin`] — run a chapter binary and capture its exit code and output, and
//!   [`cli_contract`] — the command-line contract every chapter binary keeps, checked once here.
//! * [`bench::on_threads`] — the criterion benches' "N threads released together" timing.
//! * [`pin_every_demo!`] — a chapter's `tests/demos/output.rs` in one line: every demo's narration
//!   and lanes, pinned.
//! * [`snapshot!`] — insta, set up once for the whole workspace: snapshots are named by the test
//!   (`unsafe_counter__broken`), not by module path, and carry a fixed three-line header, so the book
//!   can `{{#include file.snap:4:}}` them.

use std::path::Path;
use std::process::Command;

pub mod bench;
pub mod cli_contract;
pub mod compile_fail;
pub mod props;

#[doc(hidden)]
pub use insta;
#[doc(hidden)]
pub use racelab_kit;

/// Runs every demo of a chapter, broken and fixed, asserts each reaches the verdict it should, and
/// pins its narration (`<demo>__broken.snap`, `<demo>__fixed.snap`) and the broken run's traces as
/// lanes, one captioned HTML table each (`<demo>__lanes.snap`, the book's picture of the failing
/// interleaving). A macro, not a function, so the snapshots land beside the calling test file.
///
/// `pin_every_demo!(&races::CHAPTER)`, or with a filter of demos to leave out on this machine:
/// `pin_every_demo!(&queues::CHAPTER, |demo| demo.name == "event_sources")`.
#[macro_export]
macro_rules! pin_every_demo {
    ($chapter:expr) => {
        $crate::pin_every_demo!($chapter, |_| false)
    };
    ($chapter:expr, $skip:expr) => {{
        use $crate::racelab_kit::demo::{Demo, Variant};
        let skip: fn(&Demo) -> bool = $skip;
        for demo in $chapter.demos.iter().filter(|demo| !skip(demo)) {
            for variant in Variant::BOTH {
                let report = (demo.run)(variant);
                assert!(
                    report.verdict().as_expected(),
                    "{} {variant}: {:?}",
                    demo.name,
                    report.verdict()
                );
                $crate::snapshot!(format!("{}__{variant}", demo.name), report.render());
                let traces = report.traces();
                if variant == Variant::Broken && !traces.is_empty() {
                    let tables: Vec<String> = traces
                        .iter()
                        .map(|(heading, lines)| {
                            $crate::racelab_kit::lanes::render_html(lines, *heading)
                        })
                        .collect();
                    $crate::snapshot!(format!("{}__lanes", demo.name), tables.join("\n"));
                }
            }
        }
    }};
}

/// Pins `value` as the snapshot `name` (in the `snapshots/` folder beside the test file).
#[macro_export]
macro_rules! snapshot {
    ($name:expr, $value:expr $(,)?) => {
        $crate::insta::with_settings!(
            { omit_expression => true, prepend_module_to_snapshot => false },
            { $crate::insta::assert_snapshot!($name, $value) }
        )
    };
}

/// What a finished process said.
#[derive(Debug)]
pub struct Ran {
    /// Its exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

/// Runs `bin` (use `env!("CARGO_BIN_EXE_<name>")`) with `args` and captures what it said.
pub fn run_bin(bin: impl AsRef<Path>, args: &[&str]) -> Ran {
    let out = Command::new(bin.as_ref())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.as_ref().display()));
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
