//! Q8, broken: a session keeps "the serial queue's" database connection in a thread-local.
//!
//! This version is problematic.
//!
//! The guide's table says a serial queue uses "a single thread" (L1752), so per-queue state may as
//! well live in a `thread_local!` — one connection per thread is one per queue. On a queue with a
//! dedicated thread that is even true. On a GCD-style serial queue it is not: the queue's next job
//! may run on another pool thread, finds no connection there, and opens a second one (and a thread
//! shared by several queues would hand one queue's connection to another).

use std::cell::RefCell;
use std::sync::Arc;

use super::{Connection, Database};

// The connection of "the queue's thread".
thread_local!(static CONNECTION: RefCell<Option<Connection>> = const { RefCell::new(None) });

// ANCHOR: session
/// A database session whose statements all run as jobs on one serial queue.
pub struct Session {
    db: Arc<Database>,
}

impl Session {
    /// A session on `db`, with no connection yet.
    pub fn new(db: Arc<Database>) -> Self {
        Session { db }
    }

    /// Runs `sql` on the session's connection, opening it on first use.
    pub fn execute(&self, sql: &str) {
        CONNECTION.with_borrow_mut(|connection| {
            // one connection per THREAD, taken for one per queue
            let connection = connection.get_or_insert_with(|| self.db.open());
            connection.execute(&self.db, sql);
        });
    }
}
// ANCHOR_END: session

impl super::Session for Session {
    fn new(db: Arc<Database>) -> Self {
        Session::new(db)
    }
    fn execute(&self, sql: &str) {
        Session::execute(self, sql)
    }
}
