//! A7's second lesson, one file because it has no broken twin: the guide's `DataManager`
//! (L808–825), whose GCD block captures `self` strongly, as Rust accepts it. The guide calls this
//! a retain cycle (L813). It is not one: the thread owns a reference to the manager, the manager
//! owns nothing of the thread, and the reference goes when the thread's closure ends.
//!
//! The Swift shape itself — a thread body that uses `self` — is rejected by Rust before it can
//! run (`tests/compile_fail/captures_and_cycles_*.rs`), and so is the data race the guide's
//! `[weak self]` "fix" still has (assigning `self.data` from a background thread): what compiles is
//! an `Arc` moved into the thread and the data behind a `Mutex`.

use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::{Arc, Mutex};

use racelab_kit::latch::Latch;
use racelab_kit::say;
use racelab_kit::sync::{JoinApi, Primitives, Std, lock_unpoisoned};

// ANCHOR: data_manager
/// `class DataManager { private var data: [String] }`, its data behind a lock because a background
/// thread writes it.
pub struct DataManager {
    data: Mutex<Vec<String>>,
    dropped: Arc<AtomicBool>,
}

impl DataManager {
    /// A manager that sets `dropped` when it is dropped.
    pub fn new(dropped: Arc<AtomicBool>) -> Arc<Self> {
        Arc::new(DataManager {
            data: Mutex::new(Vec::new()),
            dropped,
        })
    }

    /// `DispatchQueue.global().async { self.data = […] }`: the thread holds a strong reference to
    /// the manager until its closure ends. `go` holds the thread until the scenario lets it run.
    pub fn fetch_data(self: &Arc<Self>, go: Arc<Latch>) -> impl JoinApi<()> + use<> {
        let this = Arc::clone(self); // the guide's strong `self` in the block
        Std::spawn("fetch", move || {
            go.wait();
            *lock_unpoisoned(&this.data) = vec!["item1".into(), "item2".into(), "item3".into()];
            say!("sets data; its Arc is the last reference, and it goes as the closure ends");
        })
    }
}

impl Drop for DataManager {
    fn drop(&mut self) {
        self.dropped.store(true, SeqCst);
        say!("DataManager is dropped");
    }
}
// ANCHOR_END: data_manager

// ANCHOR: not_a_cycle
/// The guide's claim, tested: the caller drops its handle while the thread still holds the
/// manager; once the thread is joined, the manager must have been dropped.
pub fn strong_capture_in_a_thread_is_not_a_cycle() -> Result<(), String> {
    let dropped = Arc::new(AtomicBool::new(false));
    let manager = DataManager::new(Arc::clone(&dropped));
    let go = Arc::new(Latch::new());
    say!("calls fetch_data(), drops its own handle at once, lets the thread run and joins it");
    let fetch = manager.fetch_data(Arc::clone(&go));
    drop(manager);
    go.open();
    fetch.join();
    say!(
        "joined: the manager is {}",
        if dropped.load(SeqCst) {
            "gone"
        } else {
            "alive"
        }
    );
    if dropped.load(SeqCst) {
        Ok(())
    } else {
        Err("the manager outlived the thread that captured it".into())
    }
}
// ANCHOR_END: not_a_cycle
