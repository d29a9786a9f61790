//! R12, broken: the file is rewritten in place.
//!
//! This version is problematic.
//!
//! [`write_file`] is the guide's `writeFile` (L5172–5188) with what actually touches the disk:
//! `data.write(to:)` without `.atomic` (L5178) opens the live file, truncates it, and writes the
//! new bytes into it. Anyone who reads the file meanwhile — another process, an app extension, any
//! code that does not go through the same `NSFileCoordinator` — sees it empty or half written. The
//! pause halfway (`between_halves`) is where a test puts a gate, so that a reader lands there every
//! time instead of once in a while. (The second lesson, two read-modify-writes, is its own twin in
//! [`super::update`].)

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use racelab_kit::{say, step};

use super::FIRST_HALF;

// ANCHOR: write
/// Writes `data` to `path` in place, in two halves, running `between_halves` in between.
pub fn write_file(path: &Path, data: &[u8], between_halves: &dyn Fn()) -> io::Result<()> {
    let mut file = File::create(path)?; // truncates the live file: readers now see it empty
    let (first, second) = data.split_at(data.len() / 2);
    file.write_all(first)?;
    step!(FIRST_HALF, " into the file itself");
    between_halves();
    file.write_all(second)?;
    say!("has written the second half");
    Ok(())
}
// ANCHOR_END: write
