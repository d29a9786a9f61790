//! R11, fixed: one writer thread owns the one write connection.
//!
//! [`Store`] is what the guide's `performOnBackgroundContext` (L5055–5071) gets right, made
//! explicit: one background context's queue — here a queue of jobs that one thread runs one at a
//! time — and one write connection, owned by that thread (in Core Data the coordinator owns the
//! connections; a context is not one). `Store::perform` ([`super::UserStore::perform`]) sends the job (a closure) to that thread
//! and waits for its result, as `backgroundContext.perform` plus the continuation do. Writers no
//! longer race for SQLite's write lock; they wait their turn in the queue, however long the
//! transaction ahead of them takes.
//!
//! The types do the rest. The connection never leaves the writer thread: it is moved there once
//! (`Connection: Send`) and cannot be shared (`Connection: !Sync`). A job must be `Send + 'static`
//! and so must its result, so a job cannot hand out a row (which borrows its statement) — only
//! values copied out of it, like [`User`](super::User) or an ID: the guide's "pass object IDs, not objects"
//! (L5001), enforced by the compiler instead of a code review.
//!
//! (The second lesson, saves that check a version, is its own twin in [`super::save`].)

use racelab_kit::sync::Joined;
use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;

use racelab_kit::step;
use racelab_kit::sync::{Primitives, Std};
use rusqlite::{Connection, TransactionBehavior};

use super::{HANDS_OFF, create_schema};

/// A job for the writer thread.
type Job = Box<dyn FnOnce(&mut Connection) + Send>;

// ANCHOR: store
/// The store: the queue of the one writer thread, which owns the one connection.
pub struct Store {
    jobs: Option<mpsc::Sender<Job>>,
    writer: Option<Joined<JoinHandle<()>>>,
}

impl super::UserStore for Store {
    /// Creates the database at `path` and starts the writer thread, which owns the connection.
    fn open(path: &Path) -> rusqlite::Result<Self> {
        let mut context = Connection::open(path)?;
        create_schema(&context)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        let writer = Std::spawn("writer", move || {
            queue.iter().for_each(|job| job(&mut context))
        });
        Ok(Store {
            jobs: Some(jobs),
            writer: Some(writer),
        })
    }

    /// Runs `op` in a write transaction on the writer thread, commits it, and returns its result.
    fn perform<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> rusqlite::Result<T> {
        step!(HANDS_OFF, " to the writer thread");
        let (reply, result) = mpsc::channel();
        let job: Job = Box::new(move |context| {
            let run = || {
                let transaction =
                    context.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let value = op(&transaction)?;
                transaction.commit()?;
                Ok(value)
            };
            let _ = reply.send(run());
        });
        let jobs = self.jobs.as_ref().expect("the store is open");
        jobs.send(job).expect("the writer thread is running"); // queued: runs after the jobs ahead
        result.recv().expect("the writer thread replies")
    }
}
// ANCHOR_END: store

impl Drop for Store {
    fn drop(&mut self) {
        // Closing the queue ends the writer's loop; joining closes the connection before the caller
        // goes on (and, say, deletes the directory).
        drop(self.jobs.take());
        if let Some(writer) = self.writer.take() {
            writer.join();
        }
    }
}
