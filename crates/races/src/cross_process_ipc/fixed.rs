//! R14, fixed: exclusion that crosses the process boundary, because the kernel keeps it.
//!
//! **The counter file is locked with `flock(2)`**, held across the whole read-modify-write. The
//! lock belongs to the open file in the kernel, so every process that opens the file sees it. It
//! is released when the file is closed — when `file` is dropped, or the process dies, so a crashed
//! holder cannot leave it locked. Why std and not a crate: `File::lock`/`try_lock` are stable
//! since Rust 1.89 and are `flock(2)` on Unix (`LockFileEx` on Windows) — what `fs4` and
//! `fd-lock` wrap, without a dependency. It is an *advisory* lock: it excludes only processes that
//! also take it, so every writer of the file must go through `increment`. In `increment` the
//! per-process lock becomes `file.lock()`, tried first (`try_lock`) so that the trace says when a
//! process has to wait; an error other than "held" comes back from `lock()` itself.

use std::fs::OpenOptions;
use std::io;
use std::path::Path;

use super::harness::{read_number, write_number};

// ANCHOR: counter
/// Adds one to the number in the file at `path`: read it, `work`, write it plus one.
/// `tell` narrates each step; `work` is where a test holds the process between read and write.
pub fn increment(path: &Path, tell: &dyn Fn(String), work: impl FnOnce()) -> io::Result<u64> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    if file.try_lock().is_err() {
        tell("waits for the lock: another process holds it".into());
        file.lock()?; // flock: every process, until `file` is closed
    }
    tell("locks the counter file".into());
    let n = read_number(&mut file)?;
    tell(format!("reads {n}"));
    work();
    write_number(&mut file, n + 1)?;
    tell(format!("writes {}", n + 1));
    Ok(n + 1)
}
// ANCHOR_END: counter
