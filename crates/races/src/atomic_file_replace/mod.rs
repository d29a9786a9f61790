//! R12 `atomic_file_replace` — a reader during a write sees half a file; two writers lose an update.
//!
//! Ports the guide's "File System Operations" `FileSystemManager` (L5143–5288). `NSFileCoordinator`
//! is Apple-only; what it is meant to protect is not. This is the honest POSIX analogue, on real
//! files in a throw-away directory (`tempfile::tempdir`):
//!
//! * **torn read.** The guide's write is `data.write(to:)` without `.atomic` (L5178): the live file
//!   is truncated and rewritten in place, so anyone reading it without the same coordinator sees it
//!   half written. [`read_during_write`] pauses the writer halfway (a gate, not a sleep) and lets a
//!   reader read right then: the broken twin shows it the first half, every run; the fixed twin
//!   (temp file + `sync_all` + rename + directory `sync_all`) shows it the whole old file.
//! * **lost update** ([`update`], the second lesson, its own twin). The guide has no
//!   read-modify-write: a caller reads, changes, writes. Two callers at once both start from the
//!   same old content: the broken twin counts 1 after two increments, even though its write is
//!   atomic; the fixed twin holds an exclusive `flock` across the read and the write, and counts 2.
//!
//! Both scenarios run on real threads under the [watchdog]: a writer blocked
//! on a lock that never comes free ends the scenario instead of hanging it. The guide's own errors
//! (a write coordinated `.forDeleting`, a move that coordinates only its source, `try` in closures
//! that cannot throw, `try?` swallowing the read error) are in the book page, with line numbers.
//!
//! New dependency: `tempfile` (see `Cargo.toml`): `NamedTempFile::persist` is the well-tested way
//! to do the temp-file-and-rename dance, and `tempdir` gives every run its own directory.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Step, Trace, traced};
use racelab_kit::watchdog::{self, Outcome};
use racelab_kit::{step, wait};

pub mod broken;
pub mod fixed;
pub mod update;

/// "has written the first half …": where a writer pauses, and the reader is let in.
pub const FIRST_HALF: Step = Step("has written the first half");
/// "reads …": a reader or an updater has read the file.
pub const READS: Step = Step("reads");
/// "has renamed it over the target": an atomic write is complete (what [`update`]'s gates wait for).
pub const RENAMED: Step = Step("has renamed it over the target");

/// The settings file before the write.
pub const OLD: &str = "theme=light\nfont=small\n";
/// The settings file after the write.
pub const NEW: &str = "theme=dark\nfont=large\n";

/// A twin's `write_file`: writes `data` to `path`, running `between_halves` halfway. The check
/// takes the twin's function itself — nothing forwards between them.
pub type WriteFile = fn(&Path, &[u8], &dyn Fn()) -> std::io::Result<()>;

/// What the reader saw in the middle of a write, and what the file held afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The reader's read, taken while the writer was paused halfway.
    pub during: String,
    /// The file after the writer finished.
    pub after: String,
}

impl Seen {
    /// The check: the reader saw the whole old file or the whole new one, and the new one won.
    pub fn torn(&self) -> Option<String> {
        if (self.during == OLD || self.during == NEW) && self.after == NEW {
            None
        } else {
            Some(format!(
                "torn read: the reader saw {:?}, neither the old file nor the new one",
                self.during
            ))
        }
    }
}

// ANCHOR: torn
/// The `writer` replaces [`OLD`] with [`NEW`] in `settings.txt` and pauses halfway; the `reader`
/// reads the file right then, and only then does the writer go on.
pub fn read_during_write(write_file: WriteFile) -> Outcome<Seen> {
    watchdog::watch(move || {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = Arc::new(dir.path().join("settings.txt"));
        fs::write(&*path, OLD).expect("write the old settings");

        let writer = {
            let path = path.clone();
            Std::spawn("writer", move || {
                let halfway = || wait::until("the reader reads", || wait::reached("reader", READS));
                write_file(&path, NEW.as_bytes(), &halfway).expect("write the new settings")
            })
        };
        let reader = {
            let path = path.clone();
            Std::spawn("reader", move || {
                wait::until("the writer is halfway", || {
                    wait::reached("writer", FIRST_HALF)
                });
                let during = fs::read_to_string(&*path).expect("read the settings");
                step!(READS, " {during:?}");
                during
            })
        };
        writer.join();
        let during = reader.join();
        let after = fs::read_to_string(&*path).expect("read the settings");
        Seen { during, after }
    })
}
// ANCHOR_END: torn

/// [`read_during_write`] for one twin.
pub fn run_read_during_write(variant: Variant) -> (Outcome<Seen>, Trace) {
    match variant {
        Variant::Broken => traced(|_| read_during_write(broken::write_file)),
        Variant::Fixed => traced(|_| read_during_write(fixed::write_file)),
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R12",
    name: "atomic_file_replace",
    summary: "an in-place write is read half-written and updates get lost; temp file + rename and flock do not",
    run: demo,
};

/// The demo: a reader in the middle of a write, then two writers at once.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let mut bugs = Vec::new();

    report.heading("a writer replaces settings.txt and pauses halfway; a reader reads it then");
    let (watched, trace) = run_read_during_write(variant);
    report.trace(&trace);
    match watched {
        Outcome::Finished(seen) => match seen.torn() {
            Some(torn) => {
                report.line(format!("=> {torn}."));
                bugs.push("a torn read".to_string());
            }
            None => {
                report.line(format!(
                    "=> the reader saw the whole {} file; afterwards it is the new one.",
                    if seen.during == OLD { "old" } else { "new" }
                ));
            }
        },
        Outcome::Deadlocked(proof) => {
            report.deadlocked(&proof);
            bugs.push("the write never finished".to_string());
        }
        Outcome::Stalled { idle } => {
            bugs.extend(report.stall(idle, &trace)); // never a catch: see Report::stall
        }
    }

    report.heading("writers A and B each add 1 to counter.txt (0) at the same time");
    let (watched, trace) = update::run_two_updates(variant);
    report.trace(&trace);
    match watched {
        Outcome::Finished(2) => report.line("=> 2 increments, the count is 2."),
        Outcome::Finished(count) => {
            bugs.push(format!("a lost update (2 increments, count {count})"));
            report.line(format!(
                "=> lost update: 2 increments, but the count is {count}."
            ))
        }
        Outcome::Deadlocked(proof) => {
            bugs.push("the writers got stuck".to_string());
            report.deadlocked(&proof);
            &mut report
        }
        Outcome::Stalled { idle } => {
            bugs.extend(report.stall(idle, &trace)); // never a catch: see Report::stall
            &mut report
        }
    };

    report.conclude(
        (!bugs.is_empty()).then(|| bugs.join(" and ")),
        "a reader sees the old or the new file, never a mix; 2 locked increments count 2",
    );
    report
}
