//! R12's second lesson, fixed: one lock around the whole read-modify-write.
//!
//! [`update_file`] takes an exclusive `flock` on a *sidecar* lock file for the whole
//! read-change-write, so a second writer starts from the first one's result. Two details matter:
//! * the lock is on `counter.txt.lock`, not on `counter.txt`: the rename replaces the data file
//!   with a new inode, and a lock on the old inode would not stop a writer who opens the new one;
//! * `std::fs::File::lock` is `flock(2)` on Linux (stable since Rust 1.89, so no crate is needed;
//!   fs4 and fd-lock predate it). A `flock` belongs to the open file, so it excludes two threads of
//!   one process as well as two processes — unlike POSIX `fcntl` locks, which are per process.
//!   It is advisory: it stops writers who take it, not writers who don't.

use std::fs::{self, File};
use std::io;
use std::path::Path;

use racelab_kit::{say, step};

use super::{READS, WANTS_THE_LOCK};
use crate::atomic_file_replace::fixed::write_file;

// ANCHOR: update
/// Reads `path`, applies `change`, writes the result back (atomically), running `between` after
/// the read — all under an exclusive lock.
pub fn update_file(path: &Path, change: fn(&str) -> String, between: &dyn Fn()) -> io::Result<()> {
    let lock = lock_file(path)?;
    step!(WANTS_THE_LOCK);
    lock.lock()?; // flock(LOCK_EX): one read-modify-write at a time, across threads and processes
    say!("locks the file");
    let old = fs::read_to_string(path)?;
    step!(READS, " {old:?}");
    between();
    let new = change(&old);
    write_file(path, new.as_bytes(), &|| {})?;
    say!("unlocks the file");
    lock.unlock() // (closing the file would unlock it too)
}
// ANCHOR_END: update

/// Opens (creating it if needed) the lock file that stands for `path`: `path` + `.lock`.
fn lock_file(path: &Path) -> io::Result<File> {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    File::create(name) // empty and never written: only its flock matters
}
