//! A17's fixed `do_stuff`: `op1` runs as a task of its own, so the runtime keeps polling it while
//! the branch body awaits `op2`. `op1` takes the lock when its turn comes and lets go; `op2` is
//! next.

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
        let mut op1 = rt::spawn("op1", do_async_thing(lock.clone(), "op1")); // polled by the runtime
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
