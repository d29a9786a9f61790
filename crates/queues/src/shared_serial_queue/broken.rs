//! Q1, broken: the guide's `criticalQueue`, created inside the method — a new queue per call.
//!
//! This version is problematic.
//!
//! `let criticalQueue = DispatchQueue(label: "critical.operations")` sits next to the
//! `criticalQueue.async { self.saveToDatabase(data) }` that uses it, so every call makes a fresh
//! serial queue. A serial queue orders only the jobs sent to *that* queue: two calls, two queues,
//! two threads — and the two saves run at the same time.

use std::sync::Arc;

use super::Database;
use super::model_queue::Gcd;
use racelab_kit::sync::prelude::*;

// ANCHOR: store
/// The guide's owner of `saveToDatabase`.
pub struct Store<P: Primitives> {
    db: Arc<Database<P>>,
    gcd: Gcd,
}

impl<P: Primitives> Store<P> {
    /// A store writing to `db`, making its queues with `gcd`.
    pub fn new(db: Arc<Database<P>>, gcd: &Gcd) -> Self {
        Store {
            db,
            gcd: gcd.clone(),
        }
    }

    /// Saves one record on the critical queue.
    pub fn save(&self) {
        let critical_queue = self.gcd.queue("critical.operations"); // a NEW queue on every call
        let db = self.db.clone();
        critical_queue.dispatch_async(move || db.save_to_database());
    }
}
// ANCHOR_END: store

impl<P: Primitives> super::Store<P> for Store<P> {
    fn new(db: Arc<Database<P>>, gcd: &Gcd) -> Self {
        Store::new(db, gcd)
    }
    fn save(&self) {
        Store::save(self)
    }
}
