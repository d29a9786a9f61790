//! R6: the guide's `consume` (L4409-4420) waits on its condition without ever locking it (L4413).
//! std's `Condvar::wait` takes the `MutexGuard` (the proof that the lock is held) and gives it
//! back when it wakes, so a wait without the lock cannot be written (E0061: argument missing).
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

struct ProducerConsumerQueue {
    items: Mutex<VecDeque<u32>>,
    condition: Condvar,
}

impl ProducerConsumerQueue {
    fn consume(&self) -> u32 {
        while self.items.lock().unwrap().is_empty() {
            self.condition.wait(); // wait for items, without holding the lock
        }
        self.items.lock().unwrap().pop_front().unwrap()
    }
}

fn main() {
    let queue = ProducerConsumerQueue {
        items: Mutex::new(VecDeque::new()),
        condition: Condvar::new(),
    };
    queue.consume();
}
