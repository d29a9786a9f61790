//! Q8, fixed: the session keeps its connection itself, so every job of its queue finds it,
//! whichever thread runs the job.
//!
//! The connection moves from a thread-local into the session (the state the queue protects lives
//! with the queue's owner, not in a thread). The `Mutex` is never contended — the serial queue
//! already runs one statement at a time — but Rust asks for it: the jobs that share the session
//! run on different threads, so its state must be `Sync`. GCD's own answer to "which queue am I
//! on?" is likewise a per-*queue* key (`dispatch_queue_set_specific`), never a per-thread one.

use std::sync::Arc;
use std::sync::Mutex;

use super::{Connection, Database};

// ANCHOR: session
/// A database session whose statements all run as jobs on one serial queue.
pub struct Session {
    db: Arc<Database>,
    connection: Mutex<Option<Connection>>, // the session's own, on every thread
}

impl Session {
    /// A session on `db`, with no connection yet.
    pub fn new(db: Arc<Database>) -> Self {
        let connection = Mutex::new(None);
        Session { db, connection }
    }

    /// Runs `sql` on the session's connection, opening it on first use.
    pub fn execute(&self, sql: &str) {
        let mut connection = self.connection.lock().unwrap();
        let connection = connection.get_or_insert_with(|| self.db.open());
        connection.execute(&self.db, sql);
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
