// Q3: the guide's thread body calls `self.performWork()` (L231), which in Swift retains the
// manager for as long as the thread runs. In Rust the closure would borrow `self`, and a spawned
// thread may outlive that borrow: rejected (E0521). The Rust answers are to move an `Arc` of what
// the thread needs into it, or to scope the threads (`std::thread::scope`).
use std::thread::{self, JoinHandle};
use std::sync::Mutex;

struct ThreadBasedManager {
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl ThreadBasedManager {
    fn start_work(&self) {
        let thread = thread::spawn(|| {
            self.perform_work(); // self.performWork()
        });
        self.threads.lock().unwrap().push(thread);
    }

    fn perform_work(&self) {}
}

fn main() {
    let manager = ThreadBasedManager {
        threads: Mutex::new(Vec::new()),
    };
    manager.start_work();
}
