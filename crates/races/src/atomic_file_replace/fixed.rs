//! R12, fixed: write a new file beside the old one and rename it over; lock around read-modify-write.
//!
//! [`write_file`] never touches the live file. It writes a temp file in the *same directory*
//! (`rename(2)` is atomic only within one file system), flushes it to disk, and renames it over
//! the target: the name points at the old file until it points at the complete new one, so a reader
//! sees one or the other, never a mix. `tempfile::NamedTempFile::persist` is that rename, and the
//! temp file is deleted if anything fails before it. Then the directory is flushed too, so that the
//! rename itself survives a crash. This is what Foundation's `.atomic` write option does.
//!
//! [`update_file`] takes an exclusive `flock` on a *sidecar* lock file for the whole
//! read-change-write, so a second writer starts from the first one's result. Two details matter:
//! * the lock is on `settings.txt.lock`, not on `settings.txt`: the rename replaces the data file
//!   with a new inode, and a lock on the old inode would not stop a writer who opens the new one;
//! * `std::fs::File::lock` is `flock(2)` on Linux (stable since Rust 1.89, so no crate is needed;
//!   fs4 and fd-lock predate it). A `flock` belongs to the open file, so it excludes two threads of
//!   one process as well as two processes — unlike POSIX `fcntl` locks, which are per process.
//!   It is advisory: it stops writers who take it, not writers who don't.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use racelab_kit::{say, step};
use tempfile::NamedTempFile;

use super::{FIRST_HALF, READS, RENAMED, WANTS_THE_LOCK};

// ANCHOR: write
/// Writes `data` to `path` atomically, in two halves, running `between_halves` in between.
pub fn write_file(path: &Path, data: &[u8], between_halves: impl FnOnce()) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = NamedTempFile::new_in(dir)?; // a new file beside the target; no reader opens it
    let (first, second) = data.split_at(data.len() / 2);
    file.write_all(first)?;
    step!(FIRST_HALF, " into a temp file");
    between_halves();
    file.write_all(second)?;
    say!("flushes it to disk and renames it over the target"); // said before the slow steps start
    file.as_file().sync_all()?; // the new bytes are on disk before the name points at them
    file.persist(path)?; // rename(2): the name switches from the old file to the new in one step
    File::open(dir)?.sync_all()?; // and the rename itself is on disk
    step!(RENAMED);
    Ok(())
}
// ANCHOR_END: write

// ANCHOR: update
/// Reads `path`, applies `change`, writes the result back (atomically), running `between` after
/// the read — all under an exclusive lock.
pub fn update_file(
    path: &Path,
    change: impl FnOnce(&str) -> String,
    between: impl FnOnce(),
) -> io::Result<()> {
    let lock = lock_file(path)?;
    step!(WANTS_THE_LOCK);
    lock.lock()?; // flock(LOCK_EX): one read-modify-write at a time, across threads and processes
    say!("locks the file");
    let old = fs::read_to_string(path)?;
    step!(READS, " {old:?}");
    between();
    let new = change(&old);
    write_file(path, new.as_bytes(), || {})?;
    say!("unlocks the file");
    lock.unlock() // (closing the file would unlock it too)
}
// ANCHOR_END: update

/// Opens (creating it if needed) the lock file that stands for `path`: `path` + `.lock`.
fn lock_file(path: &Path) -> io::Result<File> {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(PathBuf::from(name))
}
