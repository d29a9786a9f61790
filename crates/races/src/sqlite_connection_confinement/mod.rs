//! R11 `sqlite_connection_confinement` — one database, many threads: SQLite connections for Core
//! Data contexts.
//!
//! Ports the guide's "Core Data Concurrency" (L4958–5141). Core Data is Apple-only; SQLite — the
//! store Core Data itself usually sits on — is the portable stand-in, through `rusqlite` with its
//! `bundled` feature (SQLite compiled from source, so no system library is needed; see
//! `Cargo.toml`). A row plays a managed object and a plain [`User`] copied out of a row plays an
//! object ID. A `rusqlite::Connection` is *not* a managed object context: contexts reach the store
//! through a persistent store coordinator, which pools its SQLite connections — "1 writer
//! concurrently with multiple readers" in WAL mode (Apple, *What's New in Core Data in macOS 10.12,
//! iOS 10.0, tvOS 10.0, and watchOS 3.0*). A connection here stands for that store access.
//!
//! **What the compiler stops** (compile-fail cases in `tests/compile_fail/`, checked by
//! `racelab_testkit::compile_fail::check_with_crates`, which hands rustc the rusqlite the tests
//! were built with):
//! * the guide's `fetch` (L5093–5096) hands objects fetched in `backgroundContext` to callers on
//!   other threads — breaking its own rule "pass object IDs, not objects" (L5001, L5007). In Rust a
//!   `Connection` is `Send` but not `Sync`: it can move to a thread, not be shared by two
//!   (`sqlite_connection_shared.rs`, E0277);
//! * a row borrows its statement, so it cannot be returned out of the function that ran the query
//!   (`sqlite_rows_escape.rs`, E0515): values must be copied out.
//!
//! **What goes wrong at run time**, on real files in a temp dir, forced with gates (no sleeps) and
//! run under the [watchdog]:
//! * [`overlapping_writes`]: A holds a write transaction open while B writes. With a connection
//!   per operation ([`broken::Store`]) B is refused with `SQLITE_BUSY`; with the guide's own design
//!   — one background context, here one writer thread with a job queue ([`fixed::Store`]) — B's
//!   write waits its turn and lands. A connection per operation is a SQLite hazard; its Core Data
//!   analogue is two coordinators (or two processes) on one store, not a context per operation:
//!   `performBackgroundTask`'s new context per call shares the one coordinator, and its hazard is
//!   a merge conflict at save time under the default `NSErrorMergePolicy` (book page).
//! * [`save::two_grants`] (the second lesson, its own twin in [`save`]): A and B each add 10
//!   credits to a copy read at the same time. A blind save loses one; a save that checks a
//!   `version` column returns [`Conflict`], and the caller re-reads and retries.
//!
//! The store twins are a **declared rewrite**: a connection per operation and a writer thread with
//! a job queue are different shapes, not one changed line. The key lines: broken `perform` opens
//! `Connection::open(&self.path)` with `busy_timeout(Duration::ZERO)` and begins its own
//! transaction; fixed `open` moves the one connection into `Std::spawn("writer", …)`, and
//! `perform` boxes the work as a job, `jobs.send(job)`, and waits on `result.recv()`.
//!
//! Plumbing: a fresh database per check is in [`harness`]; the demo's report in [`narrate`].

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use racelab_kit::demo::{Demo, Variant};
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Step, Trace, traced};
use racelab_kit::watchdog::{self, Outcome};
use racelab_kit::{say, wait};
use rusqlite::{Connection, params};

pub mod broken;
pub mod fixed;
pub mod harness;
pub mod narrate;
pub mod save;

use harness::{database, names};

/// "is refused": the broken store's writer met SQLite's write lock (`SQLITE_BUSY`).
pub const REFUSED: Step = Step("is refused");
/// "hands its work": a writer queued its job for the fixed store's writer thread.
pub const HANDS_OFF: Step = Step("hands its work");

/// Creates the `users` table if it is not there.
pub fn create_schema(context: &Connection) -> rusqlite::Result<()> {
    context.execute_batch(
        "CREATE TABLE IF NOT EXISTS users (
             id INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             credits INTEGER NOT NULL DEFAULT 0,
             version INTEGER NOT NULL DEFAULT 0
         )",
    )
}

// ANCHOR: user
/// A user as plain values, copied out of its row: safe to hand to any thread, like an object ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The row's ID.
    pub id: i64,
    /// The name.
    pub name: String,
    /// A balance two writers may both change.
    pub credits: i64,
    /// Bumped by every versioned save; a copy remembers the version it was read at.
    pub version: i64,
}

/// A save refused because the row changed after the copy was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict;

/// Reads the user `id` and copies it out of the row (the row itself cannot leave this function).
pub fn fetch_user(context: &Connection, id: i64) -> rusqlite::Result<User> {
    context.query_row(
        "SELECT id, name, credits, version FROM users WHERE id = ?1",
        params![id],
        |row| {
            Ok(User {
                id: row.get(0)?,
                name: row.get(1)?,
                credits: row.get(2)?,
                version: row.get(3)?,
            })
        },
    )
}
// ANCHOR_END: user

/// Inserts a user called `name`; returns its ID.
pub fn insert_user(context: &Connection, name: &str) -> rusqlite::Result<i64> {
    context.execute("INSERT INTO users (name) VALUES (?1)", params![name])?;
    Ok(context.last_insert_rowid())
}

/// What the checks need from either twin's `Store`; each implements it in its own file.
pub trait UserStore: Send + Sync + Sized + 'static {
    /// Opens (creating it if needed) the database at `path`.
    fn open(path: &Path) -> rusqlite::Result<Self>;
    /// Runs `op` in a write transaction and commits it.
    fn perform<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> rusqlite::Result<T>;
}

/// What became of two writes that overlapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// A's write: `Ok`, or the error in words.
    pub a: Result<(), String>,
    /// B's write.
    pub b: Result<(), String>,
    /// The names in the table afterwards.
    pub users: Vec<String>,
}

impl Overlap {
    /// The check: both writes succeeded and both rows are there.
    pub fn failure(&self) -> Option<String> {
        match (&self.a, &self.b) {
            (Ok(()), Ok(())) if self.users == ["ann", "bob"] => None,
            (Err(e), _) => Some(format!("A's write failed: {e}")),
            (_, Err(e)) => Some(format!("B's write failed: {e}")),
            _ => Some(format!(
                "both writes succeeded, yet the table holds {:?}",
                self.users
            )),
        }
    }
}

// ANCHOR: overlap
/// A inserts ann and keeps its transaction open until B has tried to insert bob (B was refused,
/// or B's work is queued); only then does A commit. Both rows must be saved.
pub fn overlapping_writes<S: UserStore>() -> Outcome<Overlap> {
    watchdog::watch(move || {
        let (_dir, path) = database(None);
        let store = Arc::new(S::open(&path).expect("open the store"));
        let open = Arc::new(AtomicBool::new(false));
        let a = {
            let (store, open) = (store.clone(), open.clone());
            Std::spawn("A", move || {
                let insert_ann = move |context: &Connection| {
                    insert_user(context, "ann")?;
                    say!("inserts ann; the transaction stays open");
                    open.store(true, SeqCst);
                    wait::until("B is refused or queued", || {
                        wait::reached("B", REFUSED) || wait::reached("B", HANDS_OFF)
                    });
                    Ok(())
                };
                store.perform(insert_ann).map_err(|e| e.to_string())
            })
        };
        wait::until("A opens its transaction", || open.load(SeqCst));
        let b = {
            let store = store.clone();
            Std::spawn("B", move || {
                let insert_bob = |context: &Connection| {
                    insert_user(context, "bob")?;
                    say!("inserts bob");
                    Ok(())
                };
                store.perform(insert_bob).map_err(|e| e.to_string())
            })
        };
        let (a, b) = (a.join(), b.join());
        drop(store);
        Overlap {
            a,
            b,
            users: names(&path),
        }
    })
}
// ANCHOR_END: overlap

/// [`overlapping_writes`] for one twin.
pub fn run_overlapping_writes(variant: Variant) -> (Outcome<Overlap>, Trace) {
    match variant {
        Variant::Broken => traced(|_| overlapping_writes::<broken::Store>()),
        Variant::Fixed => traced(|_| overlapping_writes::<fixed::Store>()),
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R11",
    name: "sqlite_connection_confinement",
    summary: "a connection per writer is refused with SQLITE_BUSY and saves overwrite; one writer thread and a version column do not",
    run: narrate::demo,
};
