//! R12's second lesson — two writers at once lose an update, atomic writes or not.
//!
//! The guide has no read-modify-write: a caller reads, changes, writes. Two callers at once both
//! start from the same old content. [`two_updates`] forces that order with gates: the broken twin
//! ([`broken::update_file`]) counts 1 after two increments, even though its write is the atomic
//! one ([`super::fixed::write_file`]); the fixed twin holds an exclusive `flock` (std's
//! `File::lock`) across the read and the write, and counts 2.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use racelab_kit::demo::Variant;
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Step, Trace, traced};
use racelab_kit::wait;
use racelab_kit::watchdog::{self, Outcome};

pub use super::{READS, RENAMED};

pub mod broken;
pub mod fixed;

/// "wants the lock": an updater is about to wait for the file lock.
pub const WANTS_THE_LOCK: Step = Step("wants the lock");

/// A twin's `update_file`: reads `path`, applies `change`, writes it back, running `between` after
/// the read.
pub type UpdateFile = fn(&Path, fn(&str) -> String, &dyn Fn()) -> std::io::Result<()>;

/// Adds one to the number in `old`.
fn add_one(old: &str) -> String {
    (old.trim().parse::<usize>().expect("a number") + 1).to_string()
}

// ANCHOR: updates
/// Writers `A` and `B` each add 1 to the number in `counter.txt` (starting at 0). `A` reads first;
/// it writes only once `B` has read or is waiting for the lock; `B` writes only after `A` has
/// written. The count afterwards must be 2.
pub fn two_updates(update_file: UpdateFile) -> Outcome<usize> {
    watchdog::watch(move || {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = Arc::new(dir.path().join("counter.txt"));
        fs::write(&*path, "0").expect("write the counter");

        let a = {
            let path = path.clone();
            Std::spawn("A", move || {
                let b_has_read = || {
                    wait::until("B reads or wants the lock", || {
                        wait::reached("B", READS) || wait::reached("B", WANTS_THE_LOCK)
                    })
                };
                update_file(&path, add_one, &b_has_read).expect("A's update")
            })
        };
        wait::until("A reads", || wait::reached("A", READS));
        let b = {
            let path = path.clone();
            Std::spawn("B", move || {
                let a_has_written = || wait::until("A has written", || wait::reached("A", RENAMED));
                update_file(&path, add_one, &a_has_written).expect("B's update")
            })
        };
        a.join();
        b.join();
        let count = fs::read_to_string(&*path).expect("read the counter");
        count.trim().parse().expect("a number")
    })
}
// ANCHOR_END: updates

/// [`two_updates`] for one twin.
pub fn run_two_updates(variant: Variant) -> (Outcome<usize>, Trace) {
    match variant {
        Variant::Broken => traced(|_| two_updates(broken::update_file)),
        Variant::Fixed => traced(|_| two_updates(fixed::update_file)),
    }
}
