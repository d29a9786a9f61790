//! P8's broken `MemoryLeakDetector`, ported from the guide. This version is problematic: `isLeaked`
//! is inverted — it says "leaked" when the weak reference is empty, which means the object *was*
//! freed — so every correctly freed object is reported and every object still alive (the real
//! leaks, such as a reference cycle) is not; and the periodic detection's timer holds the
//! detector strongly, so the detector itself can never be freed.

use std::any::Any;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::{rt, say};
use tokio::task::JoinHandle;

use super::secs;

/// `class WeakReference`: what is tracked, weakly, and under which name.
#[derive(Debug)]
struct WeakReference {
    object: Weak<dyn Any + Send + Sync>,
    name: String,
}

// ANCHOR: is_leaked
impl WeakReference {
    /// `var isLeaked: Bool { return object == nil }`.
    fn is_leaked(&self) -> bool {
        self.object.upgrade().is_none()
    }
}
// ANCHOR_END: is_leaked

/// `class MemoryLeakDetector`; its serial queue is a mutex.
#[derive(Debug, Default)]
pub struct LeakTracker {
    tracked_objects: Mutex<Vec<WeakReference>>,
}

impl super::Tracker for LeakTracker {
    fn new() -> Self {
        Self::default()
    }

    fn expect_dropped<T: Any + Send + Sync>(&self, object: Weak<T>, name: &str) {
        let object: Weak<dyn Any + Send + Sync> = object;
        let name = name.to_string();
        lock_unpoisoned(&self.tracked_objects).push(WeakReference { object, name });
    }

    fn tracked(&self) -> usize {
        lock_unpoisoned(&self.tracked_objects).len()
    }

    // ANCHOR: detect
    fn detect_leaks(&self) -> Vec<String> {
        let mut leaks = Vec::new();
        lock_unpoisoned(&self.tracked_objects).retain(|weak_ref| {
            if weak_ref.is_leaked() {
                leaks.push(weak_ref.name.clone());
                return false; // Remove leaked object from tracking
            }
            true
        });
        leaks
    }
    // ANCHOR_END: detect

    // ANCHOR: periodic
    fn start_periodic_leak_detection(self: &Arc<Self>, interval: Duration) -> JoinHandle<()> {
        let detector = Arc::clone(self);
        rt::spawn("leak-timer", async move {
            loop {
                tokio::time::sleep(interval).await;
                let leaks = detector.detect_leaks();
                say!("checks for leaks at {}: {leaks:?}", secs());
            }
        })
    }
    // ANCHOR_END: periodic
}
