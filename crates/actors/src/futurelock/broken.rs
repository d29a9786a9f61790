//! A17's broken `do_stuff`, as in RFD 609: `op1` is pinned on the stack and raced through
//! `&mut op1`. This version is problematic: when the sleep wins, `op1` stays queued for the lock
//! but is never polled again while the branch body awaits `op2` on the same lock — stuck for good.

use std::pin::pin;
use std::sync::Arc;

use racelab_kit::{rt, say};
use tokio::sync::Mutex;

use super::{SHORT, do_async_thing};

/// `do_stuff`.
#[derive(Debug)]
pub struct DoStuff;

// ANCHOR: do_stuff
impl super::DoStuff for DoStuff {
    async fn do_stuff(lock: Arc<Mutex<()>>) {
        let mut op1 = pin!(do_async_thing(lock.clone(), "op1"));
        tokio::select! {
            biased;
            _ = &mut op1 => say!("op1 is done"),
            () = tokio::time::sleep(SHORT) => {
                say!("gives up waiting for op1 at {}; does op2", rt::now());
                do_async_thing(lock, "op2").await;
            }
        }
    }
}
// ANCHOR_END: do_stuff
