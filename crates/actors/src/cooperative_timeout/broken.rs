//! A13's broken read: an `async fn` that reads synchronously, as `std::fs::read` would. This
//! version is problematic: the wait happens inside `poll`, with no `.await` to stop at, so a
//! timeout cannot cancel it — and on a `current_thread` runtime it holds the only thread, the one
//! that would fire the timer.

use super::Disk;
use racelab_kit::say;

/// The read.
#[derive(Debug)]
pub struct Read;

// ANCHOR: read
impl super::Read for Read {
    async fn read(disk: &Disk) -> &'static str {
        say!("reads block 7 from the disk");
        disk.answer.wait();
        "block 7"
    }
}
// ANCHOR_END: read
