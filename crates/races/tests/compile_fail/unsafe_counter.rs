//! R1: the guide's `UnsafeCounter` (L317-327), ported literally: a class with a mutable `count`,
//! shared by two threads that both call `increment()`. Rust rejects it: `Cell` is not `Sync`, so a
//! `&UnsafeCounter` cannot be sent to another thread (E0277).
use std::cell::Cell;
use std::sync::Arc;
use std::thread;

struct UnsafeCounter {
    count: Cell<usize>,
}

impl UnsafeCounter {
    fn increment(&self) {
        self.count.set(self.count.get() + 1); // count += 1
    }
}

fn main() {
    let counter = Arc::new(UnsafeCounter { count: Cell::new(0) });
    let other = Arc::clone(&counter);
    let t = thread::spawn(move || other.increment());
    counter.increment();
    t.join().unwrap();
}
