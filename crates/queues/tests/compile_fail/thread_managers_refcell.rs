// Q3: the guide's `ThreadBasedManager` (L225-241) as a Swift class really is: a reference type
// whose array can be mutated through any reference — in Rust, a `RefCell`. Two threads calling
// `startWork()` on the shared manager is then rejected: `RefCell` is not `Sync`, so an
// `Arc<ThreadBasedManager>` cannot be sent to another thread (E0277). The data race on
// `threads.append(thread)` (L234) does not compile.
use std::cell::RefCell;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

struct ThreadBasedManager {
    threads: RefCell<Vec<JoinHandle<()>>>,
}

impl ThreadBasedManager {
    fn start_work(&self) {
        let thread = thread::spawn(|| {
            // Work on background thread
        });
        self.threads.borrow_mut().push(thread); // threads.append(thread)
    }
}

fn main() {
    let manager = Arc::new(ThreadBasedManager {
        threads: RefCell::new(Vec::new()),
    });
    let other = Arc::clone(&manager);
    let t = thread::spawn(move || other.start_work());
    manager.start_work();
    t.join().unwrap();
}
