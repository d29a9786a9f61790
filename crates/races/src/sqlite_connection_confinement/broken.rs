//! R11, broken: every operation opens a connection of its own.
//!
//! This version is problematic.
//!
//! `Store::perform` ([`super::UserStore::perform`]) is the guide's `performOnBackgroundContext` (L5055–5071) without anything
//! that serializes its writers: no single `backgroundContext` whose queue runs one block at a time,
//! and no persistent store coordinator pooling the store's connections. Here each call opens its
//! own connection to the same file — the tempting shortcut when a connection cannot be shared
//! between threads, and in Core Data terms closer to a coordinator per operation than to a context
//! per operation (contexts share their coordinator's pool). SQLite allows one writer at a time, so a
//! second writer that arrives while a transaction is open is refused with `SQLITE_BUSY` ("database
//! is locked"). `busy_timeout(0)` makes that refusal immediate; with rusqlite's default of 5 s the
//! same write fails whenever the other transaction stays open longer than that (a big import, a
//! transaction waiting on the user), so a timeout only moves the failure.
//!
//! (The second lesson, saves that overwrite blindly, is its own twin in [`super::save`].)

use std::path::{Path, PathBuf};
use std::time::Duration;

use racelab_kit::{say, step};
use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use super::{REFUSED, create_schema};

// ANCHOR: store
/// The store: where the database file is.
pub struct Store {
    path: PathBuf,
}

impl super::UserStore for Store {
    /// Creates the database at `path`.
    fn open(path: &Path) -> rusqlite::Result<Self> {
        create_schema(&Connection::open(path)?)?;
        Ok(Store {
            path: path.to_path_buf(),
        })
    }

    /// Runs `op` in a write transaction and commits it.
    fn perform<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> rusqlite::Result<T> {
        say!("opens a connection of its own");
        let mut context = Connection::open(&self.path)?; // one more writer on the same file
        context.busy_timeout(Duration::ZERO)?; // a locked database is an error, at once
        let transaction = context
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .inspect_err(|e| step!(REFUSED, ": {e} ({})", code(e)))?;
        let result = op(&transaction)?;
        transaction.commit()?;
        Ok(result)
    }
}
// ANCHOR_END: store

/// The SQLite result code of `e`, by its C name where the demo expects it.
fn code(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy) => "SQLITE_BUSY".to_string(),
        other => format!("{other:?}"),
    }
}
