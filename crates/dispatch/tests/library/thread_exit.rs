//! A probe that hears when a thread ends — how the tests check "dropping the last handle lets the
//! queue's worker exit" without sleeping or looking at the clock. A job calls the probe on the
//! worker; a thread-local it leaves there is dropped when that thread ends, and tells the receiver.

use std::cell::RefCell;
use std::sync::mpsc;

/// Sends once, when dropped: here, when the thread that holds it ends.
struct Tell(mpsc::Sender<()>);

impl Drop for Tell {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

thread_local! {
    static ON_EXIT: RefCell<Vec<Tell>> = const { RefCell::new(Vec::new()) };
}

/// A closure to run on the thread to watch (in a job), and the receiver that gets `Ok(())` when
/// that thread has ended. If the closure never runs, the receiver reports the sender gone
/// (`Err(Disconnected)`), not an exit.
pub fn exit_probe() -> (impl FnOnce() + Send + 'static, mpsc::Receiver<()>) {
    let (tx, rx) = mpsc::channel();
    let arm = move || ON_EXIT.with(|tells| tells.borrow_mut().push(Tell(tx)));
    (arm, rx)
}
