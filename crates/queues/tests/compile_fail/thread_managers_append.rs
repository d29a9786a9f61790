// Q3: the guide's `ThreadBasedManager` (L225-241), ported literally: `threads` is a plain array,
// `startWork()` appends to it (L234) and may be called from any thread. In Rust a method that
// appends takes `&mut self`; through `&self` — all that two threads sharing the manager can have — the
// push is rejected (E0596), so the unsynchronized append cannot be written.
use std::sync::Arc;
use std::thread::{self, JoinHandle};

struct ThreadBasedManager {
    threads: Vec<JoinHandle<()>>,
}

impl ThreadBasedManager {
    fn start_work(&self) {
        let thread = thread::spawn(|| {
            // Work on background thread
        });
        self.threads.push(thread); // threads.append(thread)
    }
}

fn main() {
    let manager = Arc::new(ThreadBasedManager { threads: Vec::new() });
    let other = Arc::clone(&manager);
    let t = thread::spawn(move || other.start_work());
    manager.start_work();
    t.join().unwrap();
}
