//! R15: the *correct* code under test, and the guide's workloads that drive it.
//!
//! An oracle is only worth something if it passes correct code and fails broken code. To judge the
//! guide's oracles we therefore need code we know is correct: the guide's `UnsafeArrayManager` and
//! `UnsafeDataManager` (L6995–7023) made thread-safe with one lock each — the shape the guide itself
//! recommends elsewhere. The one change that matters for testing: `remove_first` says whether it
//! removed anything (the guide's `removeItem` returns nothing, so its test cannot know, L7002–7006).
//!
//! The workloads are the guide's task-group bodies (L6842–6861, L6892–6910), shrunk, and each
//! returns what happened as a run record (`ArrayRun`, `DataRun`) that an oracle then judges. They
//! are generic over the world, so the same workload runs under loom (every interleaving) and on
//! real threads (with gates that force one order, or in a plain stress loop).

use std::sync::Arc;

use racelab_kit::say;
use racelab_kit::sync::{JoinApi, MutexApi, Primitives};

// ANCHOR: managers
/// `UnsafeArrayManager` with its array behind a lock: correct.
pub struct ArrayManager<P: Primitives> {
    items: P::Mutex<Vec<String>>,
}

impl<P: Primitives> ArrayManager<P> {
    /// An empty array.
    pub fn new() -> Self {
        ArrayManager {
            items: P::Mutex::new(Vec::new()),
        }
    }

    /// `addItem`.
    pub fn add_item(&self, item: String) {
        self.items.lock().push(item.clone());
        say!("adds {item}");
    }

    /// `removeItem(at: 0)`, which also says whether there was anything to remove.
    pub fn remove_first(&self) -> bool {
        let mut items = self.items.lock();
        if items.is_empty() {
            drop(items);
            say!("finds nothing to remove");
            return false;
        }
        let item = items.remove(0);
        drop(items);
        say!("removes {item}");
        true
    }

    /// `getItemCount`.
    pub fn count(&self) -> usize {
        self.items.lock().len()
    }
}

/// `UnsafeDataManager` with its value behind a lock: correct.
pub struct DataManager<P: Primitives> {
    value: P::Mutex<String>,
}

impl<P: Primitives> DataManager<P> {
    /// Holds `"Initial"`.
    pub fn new() -> Self {
        DataManager {
            value: P::Mutex::new("Initial".to_string()),
        }
    }

    /// `setValue`.
    pub fn set_value(&self, value: String) {
        *self.value.lock() = value.clone();
        say!("writes {value:?}");
    }

    /// `getValue`.
    pub fn get_value(&self) -> String {
        self.value.lock().clone()
    }
}
// ANCHOR_END: managers

impl<P: Primitives> Default for ArrayManager<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Primitives> Default for DataManager<P> {
    fn default() -> Self {
        Self::new()
    }
}

/// What happened in one run of the array workload: everything an oracle may look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrayRun {
    /// Items added (adders × iterations).
    pub adds: usize,
    /// Times a remover went round its loop (removers × iterations), removed or not.
    pub remove_tries: usize,
    /// Removes that actually removed an item (`remove_first` returned `true`).
    pub removed: usize,
    /// `getItemCount()` at the end.
    pub final_count: usize,
}

/// What happened in one run of the data workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRun {
    /// How many writer threads.
    pub writers: usize,
    /// Writes per writer; writer `i` writes `"Value i-0"` … `"Value i-(iterations-1)"`.
    pub iterations: usize,
    /// `getValue()` at the end.
    pub final_value: String,
}

/// What happened in one run of the counter workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterRun {
    /// How many incrementing threads.
    pub threads: usize,
    /// Increments per thread.
    pub iterations: usize,
    /// `getCount()` at the end.
    pub final_count: usize,
}

// ANCHOR: remover
/// One remover task of `testArrayRaceCondition` (L6853–6860): `iterations` times, "if there is
/// something, remove it". Returns how many removes really removed one.
pub fn remover<P: Primitives>(manager: &ArrayManager<P>, iterations: usize) -> usize {
    let mut removed = 0;
    for _ in 0..iterations {
        if manager.count() > 0 {
            removed += usize::from(manager.remove_first());
        } else {
            say!("sees 0 items, so removes nothing");
        }
    }
    removed
}
// ANCHOR_END: remover

/// One adder task (L6844–6849): adds `"Item i-0"` … `"Item i-(iterations-1)"`.
pub fn adder<P: Primitives>(manager: &ArrayManager<P>, i: usize, iterations: usize) {
    for j in 0..iterations {
        manager.add_item(format!("Item {i}-{j}"));
    }
}

/// One writer task (L6903–6908): writes `"Value i-0"` … `"Value i-(iterations-1)"`.
pub fn writer<P: Primitives>(manager: &DataManager<P>, i: usize, iterations: usize) {
    for j in 0..iterations {
        manager.set_value(format!("Value {i}-{j}"));
    }
}

/// The array workload with no ordering at all: `adders` and `removers` threads, `iterations` each,
/// spawned adders first as in the guide. Under loom this is every interleaving; on real threads
/// it is whatever the OS does.
pub fn array_workload<P: Primitives>(
    adders: usize,
    removers: usize,
    iterations: usize,
) -> ArrayRun {
    let manager = Arc::new(ArrayManager::<P>::new());
    let adding: Vec<_> = (0..adders)
        .map(|i| {
            let manager = manager.clone();
            P::spawn(&format!("A{i}"), move || adder(&manager, i, iterations))
        })
        .collect();
    let removing: Vec<_> = (0..removers)
        .map(|i| {
            let manager = manager.clone();
            P::spawn(&format!("R{i}"), move || remover(&manager, iterations))
        })
        .collect();
    adding.into_iter().for_each(JoinApi::join);
    let removed = removing.into_iter().map(JoinApi::join).sum();
    ArrayRun {
        adds: adders * iterations,
        remove_tries: removers * iterations,
        removed,
        final_count: manager.count(),
    }
}

/// The data workload with no ordering: `readers` threads read `iterations` times, `writers`
/// threads write `iterations` values each (L6892–6910).
pub fn data_workload<P: Primitives>(readers: usize, writers: usize, iterations: usize) -> DataRun {
    let manager = Arc::new(DataManager::<P>::new());
    let reading: Vec<_> = (0..readers)
        .map(|i| {
            let manager = manager.clone();
            P::spawn(&format!("reader{i}"), move || {
                for _ in 0..iterations {
                    let _ = manager.get_value();
                }
            })
        })
        .collect();
    let writing: Vec<_> = (0..writers)
        .map(|i| {
            let manager = manager.clone();
            P::spawn(&format!("W{i}"), move || writer(&manager, i, iterations))
        })
        .collect();
    reading.into_iter().chain(writing).for_each(JoinApi::join);
    DataRun {
        writers,
        iterations,
        final_value: manager.get_value(),
    }
}
