//! R14, broken: the guide's shared file, guarded by a lock that exists once per process.
//!
//! This version is problematic.
//!
//! The guide's `InterProcessCommunicationManager` (L5378–5476) guards its shared file with the
//! serial `messageQueue` (L5381, L5399–5435). A `DispatchQueue` is an object in one process's
//! memory; the app and its extension each have their own. Here it is a `static Mutex` — one per
//! process, exactly as in the guide — held around a read-modify-write of a counter file. Two
//! *threads* are serialised by it; two *processes* are not, and one update is lost. (The guide's
//! other tool, `NotificationCenter.default`, is its own twin in [`super::center`].)

use std::fs::OpenOptions;
use std::io;
use std::path::Path;
use std::sync::Mutex;

use super::harness::{read_number, write_number};

// ANCHOR: counter
/// The guide's serial `messageQueue`: one per process.
static MESSAGE_QUEUE: Mutex<()> = Mutex::new(());

/// Adds one to the number in the file at `path`: read it, `work`, write it plus one.
/// `tell` narrates each step; `work` is where a test holds the process between read and write.
pub fn increment(path: &Path, tell: &dyn Fn(String), work: impl FnOnce()) -> io::Result<u64> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let _serial = MESSAGE_QUEUE.lock().unwrap_or_else(|p| p.into_inner()); // this process only
    let n = read_number(&mut file)?;
    tell(format!("reads {n}"));
    work();
    write_number(&mut file, n + 1)?;
    tell(format!("writes {}", n + 1));
    Ok(n + 1)
}
// ANCHOR_END: counter
