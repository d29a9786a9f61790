//! Q1, fixed: the critical queue is created once, with the store, and every call uses it.
//!
//! Moving `let criticalQueue = DispatchQueue(label:)` out of the method into a stored property is
//! the whole fix: now every save goes to the same serial queue, which runs them one after another
//! (in the model, on the queue's one thread; in GCD, on whichever pool thread is free), so no two
//! saves overlap.

use std::sync::Arc;

use super::Database;
use super::model_queue::{Gcd, Queue};
use racelab_kit::sync::prelude::*;

// ANCHOR: store
/// The guide's owner of `saveToDatabase`.
pub struct Store<P: Primitives> {
    db: Arc<Database<P>>,
    critical_queue: Queue,
}

impl<P: Primitives> Store<P> {
    /// A store writing to `db`, with its one critical queue made by `gcd`.
    pub fn new(db: Arc<Database<P>>, gcd: &Gcd) -> Self {
        Store {
            db,
            critical_queue: gcd.queue("critical.operations"), // ONE queue, made once
        }
    }

    /// Saves one record on the critical queue.
    pub fn save(&self) {
        let db = self.db.clone();
        self.critical_queue
            .dispatch_async(move || db.save_to_database());
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
