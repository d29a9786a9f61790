//! R12, fixed: write a new file beside the old one and rename it over.
//!
//! [`write_file`] never touches the live file. It writes a temp file in the *same directory*
//! (`rename(2)` is atomic only within one file system), flushes it to disk, and renames it over
//! the target: the name points at the old file until it points at the complete new one, so a reader
//! sees one or the other, never a mix. `tempfile::NamedTempFile::persist` is that rename, and the
//! temp file is deleted if anything fails before it. Then the directory is flushed too, so that the
//! rename itself survives a crash. This is what Foundation's `.atomic` write option does.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use racelab_kit::{say, step};
use tempfile::NamedTempFile;

use super::{FIRST_HALF, RENAMED};

// ANCHOR: write
/// Writes `data` to `path` atomically, in two halves, running `between_halves` in between.
pub fn write_file(path: &Path, data: &[u8], between_halves: &dyn Fn()) -> io::Result<()> {
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
