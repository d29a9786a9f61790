// R10: the guide's `PriorityInheritanceLock` (L4910-4953) keeps `waitingThreads`, a plain Array,
// and appends to it on whichever thread calls `lock()` before that thread holds the lock (L4922):
// no synchronization. Ported literally: a `Vec` behind `&self` (so in a `RefCell`), and the lock
// shared by two threads that both call `lock()`. Rust rejects it: `RefCell` is not `Sync`, so an
// `Arc<PriorityInheritanceLock>` cannot be sent to another thread (E0277).
use std::cell::RefCell;
use std::sync::Arc;
use std::thread::{self, ThreadId};

struct PriorityInheritanceLock {
    waiting_threads: RefCell<Vec<ThreadId>>,
}

impl PriorityInheritanceLock {
    fn lock(&self) {
        let current_thread = thread::current().id();
        // waitingThreads.append(currentThread)
        self.waiting_threads.borrow_mut().push(current_thread);
        // (wait for the lock), then waitingThreads.removeAll { $0 == currentThread }
        self.waiting_threads.borrow_mut().retain(|t| *t != current_thread);
    }
}

fn main() {
    let lock = Arc::new(PriorityInheritanceLock {
        waiting_threads: RefCell::new(Vec::new()),
    });
    let other = Arc::clone(&lock);
    let t = thread::spawn(move || other.lock());
    lock.lock();
    t.join().unwrap();
}
