//! A13's fixed read: the same wait, made cooperative. Between looks at the disk it awaits a
//! `tokio::time::sleep`, so the runtime thread stays free and every `.await` is a point where
//! `timeout` can drop the read. (A real blocking API goes to `spawn_blocking` instead: see the
//! tests.)

use std::time::Duration;

use super::Disk;
use racelab_kit::say;

/// The read.
#[derive(Debug)]
pub struct Read;

// ANCHOR: read
impl super::Read for Read {
    async fn read(disk: &Disk) -> &'static str {
        say!("reads block 7 from the disk");
        while !disk.answer.is_open() {
            tokio::time::sleep(Duration::from_millis(1)).await; // a cancel point, and the thread is free
        }
        "block 7"
    }
}
// ANCHOR_END: read
