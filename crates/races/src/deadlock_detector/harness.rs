//! The adapters from R8's two detectors to the [`Detector`] the paper checks use — hand-written,
//! because the twins' APIs really differ: the guide's detector is never told that a lock was
//! taken (its `request` is all it knows, recorded as if it were ownership), the fixed one is
//! (`acquired`). Both take `(lock, thread)`, as in the guide; the checks say `(thread, lock)`.

use super::{Detector, broken, fixed};

impl Detector for broken::DeadlockDetector {
    fn new() -> Self {
        broken::DeadlockDetector::new()
    }
    fn request(&self, thread: &str, lock: &str) -> bool {
        self.acquire_lock(lock, thread)
    }
    fn acquired(&self, _thread: &str, _lock: &str) {}
    fn would_deadlock(&self, thread: &str, lock: &str) -> bool {
        self.would_cause_deadlock(lock, thread)
    }
    fn edges(&self) -> Vec<String> {
        broken::DeadlockDetector::edges(self)
    }
}

impl Detector for fixed::DeadlockDetector {
    fn new() -> Self {
        fixed::DeadlockDetector::new()
    }
    fn request(&self, thread: &str, lock: &str) -> bool {
        self.acquire_lock(lock, thread)
    }
    fn acquired(&self, thread: &str, lock: &str) {
        fixed::DeadlockDetector::acquired(self, lock, thread)
    }
    fn would_deadlock(&self, thread: &str, lock: &str) -> bool {
        self.would_cause_deadlock(lock, thread)
    }
    fn edges(&self) -> Vec<String> {
        fixed::DeadlockDetector::edges(self)
    }
}
