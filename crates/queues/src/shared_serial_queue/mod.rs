//! Q1 `shared_serial_queue` — a serial queue created inside the method serializes nothing: every
//! call gets its own queue, and two saves run at once.
//!
//! Ports the guide's GCD example "Serial queue for critical operations" (L45–79; the code is
//! L61–79, the serial queue L73–78). The guide creates `let criticalQueue = DispatchQueue(label:
//! "critical.operations")` right where it uses it; a serial queue only orders the jobs sent to the
//! *same* instance, so the database writes it is meant to protect are not serialized at all. The
//! label does not help: labels are names for debugging, two queues with the same label are two
//! queues.
//!
//! * **The check (loom)**: a store saves twice; each save is a non-atomic read-then-write of the
//!   database's record count (`load`, then `store`); afterwards the count must be 2. A serial queue
//!   is modelled as one thread per queue instance that runs its jobs in order ([`model_queue`]) —
//!   a simplification: a GCD serial queue has no thread of its own, and runs its jobs one at a time
//!   on whichever pool thread is free (Q8).
//! * **broken** ([`broken`]): a new queue per call → two threads → loom finds the lost update.
//! * **fixed** ([`fixed`]): the queue is a field, made once → one queue runs both saves, one after
//!   the other (in the model, on its one thread) → always 2.
//! * **Real threads** ([`real_threads`]): the same with the crate's real
//!   [`SerialQueue`]: per-call queues run the two saves on two different threads,
//!   a shared queue on one — counted by thread id, no timing involved.
//!
//! **Why a model, not the library**: loom explores only what runs on its own primitives and threads;
//! the library's `SerialQueue` runs on std threads and channels loom cannot see. So the loom check
//! runs on [`model_queue`], a model of GCD's serial queues in this folder; the real-thread section
//! uses the library's `SerialQueue`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::say;
use racelab_kit::sync::prelude::*;

use model_queue::Gcd;
use racelab_dispatch::serial_queue::SerialQueue;

pub mod broken;
pub mod fixed;
pub mod model_queue;

/// The guide's queue label.
pub const LABEL: &str = "critical.operations";

// ANCHOR: database
/// The database `saveToDatabase` writes to: a record count, updated read-then-write — which is
/// exactly why it needs the serial queue.
pub struct Database<P: Primitives> {
    records: P::AtomicUsize,
}

impl<P: Primitives> Database<P> {
    /// An empty database.
    pub fn new() -> Self {
        Database {
            records: P::AtomicUsize::new(0),
        }
    }

    /// Appends a record: reads the count, then writes it back plus one (not atomic, on purpose).
    pub fn save_to_database(&self) {
        let seen = self.records.load(SeqCst);
        say!("reads {seen} records");
        self.records.store(seen + 1, SeqCst);
        say!("writes {} records", seen + 1);
    }

    /// How many records were saved.
    pub fn records(&self) -> usize {
        self.records.load(SeqCst)
    }
}
// ANCHOR_END: database

impl<P: Primitives> Default for Database<P> {
    fn default() -> Self {
        Self::new()
    }
}

/// What the check needs from a store; both twins have it.
pub trait Store<P: Primitives> {
    /// A store writing to `db`, making queues with `gcd`.
    fn new(db: Arc<Database<P>>, gcd: &Gcd) -> Self;
    /// Saves one record on the critical queue.
    fn save(&self);
}

// ANCHOR: check
/// `main` calls `save` twice; the queues run; then the database must hold 2 records.
pub fn two_saves<P: Primitives, S: Store<P>>() {
    let db = Arc::new(Database::<P>::new());
    let gcd = Gcd::default();
    let store = S::new(db.clone(), &gcd);
    store.save();
    store.save();
    gcd.run::<P>(); // one thread per queue made, each running its jobs in order
    let records = db.records();
    if records != 2 {
        panic!("lost update: 2 saves, but the database holds {records} record(s)");
    }
}
// ANCHOR_END: check

/// Runs the check under loom for one twin.
pub fn explore_variant(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(two_saves::<Loom, broken::Store<Loom>>),
        Variant::Fixed => explore(two_saves::<Loom, fixed::Store<Loom>>),
    }
}

// ANCHOR: real
/// On real threads with the crate's [`SerialQueue`]: two saves, each enqueued on a queue made per
/// call (broken) or on one shared queue (fixed). Returns how many different threads ran them.
pub fn real_threads(variant: Variant) -> usize {
    let threads = Arc::new(Mutex::new(HashSet::new()));
    let save = || {
        let threads = threads.clone();
        move || {
            threads.lock().unwrap().insert(std::thread::current().id());
        }
    };
    let queues = match variant {
        Variant::Broken => (0..2)
            .map(|_| {
                let critical_queue = SerialQueue::new(LABEL); // a new queue per call
                critical_queue.dispatch_async(save());
                critical_queue
            })
            .collect(),
        Variant::Fixed => {
            let critical_queue = SerialQueue::new(LABEL); // one queue, made once
            (0..2).for_each(|_| critical_queue.dispatch_async(save()));
            vec![critical_queue]
        }
    };
    for queue in queues {
        queue.sync(|| ()).expect("main is not on the queue"); // wait for the queue to drain
    }
    threads.lock().unwrap().len()
}
// ANCHOR_END: real

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q1",
    name: "shared_serial_queue",
    summary: "a serial queue made per call serializes nothing: two saves race; a shared queue does not",
    run: demo,
};

/// The demo: the loom search, then the same on real threads.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "loom: main calls save() twice; each save runs on the {LABEL} queue; every interleaving"
    ));
    let x = explore_variant(variant);
    report.exploration(&x);
    report.heading(format!(
        "real threads: the same two saves on SerialQueue(\"{LABEL}\")"
    ));
    let threads = real_threads(variant);
    report.line(format!("=> the 2 saves ran on {threads} thread(s)."));
    let bug = match (x.failure, threads) {
        (Some(f), _) => Some(f.message),
        (None, 1) => None,
        (None, n) => Some(format!("the 2 saves ran on {n} threads at once")),
    };
    report.conclude(
        bug,
        format!(
            "2 saves on one shared queue hold 2 records in {}, on 1 thread",
            racelab_kit::demo::all_interleavings(x.interleavings)
        ),
    );
    report
}
