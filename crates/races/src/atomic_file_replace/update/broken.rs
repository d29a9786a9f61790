//! R12's second lesson, broken: read-modify-write takes no lock.
//!
//! This version is problematic.
//!
//! [`update_file`] is what a caller of the guide's API does to change a file: `readFile`, change
//! the data, `writeFile` (the guide has no single read-modify-write operation). It already uses the
//! *fixed*, atomic write — and still loses updates: atomic replace stops torn reads, it does not
//! stop two writers from both starting from the same old content.

use std::fs;
use std::io;
use std::path::Path;

use racelab_kit::step;

use super::READS;
use crate::atomic_file_replace::fixed::write_file;

// ANCHOR: update
/// Reads `path`, applies `change`, writes the result back (atomically), running `between` after
/// the read.
pub fn update_file(path: &Path, change: fn(&str) -> String, between: &dyn Fn()) -> io::Result<()> {
    let old = fs::read_to_string(path)?;
    step!(READS, " {old:?}");
    between();
    let new = change(&old);
    write_file(path, new.as_bytes(), &|| {})?; // atomic, and still a lost update
    Ok(())
}
// ANCHOR_END: update
