//! P8's fixed `MemoryLeakDetector`: an object is leaked when it is still *alive* at the checkpoint
//! (`upgrade` succeeds); a checkpoint settles every entry, so the tracker forgets the freed objects
//! as well as the leaks it reports (the guide's `retain`, flipped with `isLeaked`, would keep every
//! freed object's `Weak` — and with it the object's allocation — for ever); and the periodic
//! detection's task holds the detector weakly, so it stops once the last handle to the detector is
//! gone.
//!
//! The contract: `expect_dropped` is called once the object's last owner has let go. With periodic
//! detection the checkpoint is any timer tick, so an object tracked while still in use (at
//! creation, as the guide's usage does) is reported at the next tick.

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
    /// `var isLeaked: Bool { return object == nil }`, the right way round.
    fn is_leaked(&self) -> bool {
        self.object.upgrade().is_some() // still alive at the checkpoint: that is the leak
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
            false // freed: settled too — a `Weak` kept would pin its allocation for ever
        });
        leaks
    }
    // ANCHOR_END: detect

    // ANCHOR: periodic
    fn start_periodic_leak_detection(self: &Arc<Self>, interval: Duration) -> JoinHandle<()> {
        let detector = Arc::downgrade(self); // weak: the timer must not keep the detector alive
        rt::spawn("leak-timer", async move {
            loop {
                tokio::time::sleep(interval).await;
                let Some(detector) = detector.upgrade() else {
                    say!("finds the detector gone at {}: stops", secs());
                    return;
                };
                let leaks = detector.detect_leaks();
                say!("checks for leaks at {}: {leaks:?}", secs());
            }
        })
    }
    // ANCHOR_END: periodic
}
