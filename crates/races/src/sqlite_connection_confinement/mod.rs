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
//! * [`two_grants`]: A and B each add 10 credits to a copy read at the same time. A blind save
//!   ([`broken::update_user`], the guide's `updateUser`) loses one; a save that checks a `version`
//!   column ([`fixed::update_user`]) returns [`Conflict`], and the caller re-reads and retries.

use std::path::Path;
use std::sync::{Arc, mpsc};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::sync::{Primitives, Std};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::watchdog::{self, GATE_TIMEOUT, Outcome};
use rusqlite::{Connection, params};

pub mod broken;
pub mod fixed;

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

/// What the checks need from either twin.
pub trait UserStore: Send + Sync + Sized + 'static {
    /// Opens (creating it if needed) the database at `path`.
    fn open(path: &Path) -> rusqlite::Result<Self>;
    /// Runs `op` in a write transaction and commits it.
    fn perform<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> rusqlite::Result<T>;
    /// Saves a copy of a user.
    fn update_user(context: &Connection, user: &User) -> rusqlite::Result<Result<(), Conflict>>;
}

macro_rules! user_store {
    ($twin:ident) => {
        impl UserStore for $twin::Store {
            fn open(path: &Path) -> rusqlite::Result<Self> {
                $twin::Store::open(path)
            }
            fn perform<T: Send + 'static>(
                &self,
                op: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
            ) -> rusqlite::Result<T> {
                $twin::Store::perform(self, op)
            }
            fn update_user(
                context: &Connection,
                user: &User,
            ) -> rusqlite::Result<Result<(), Conflict>> {
                $twin::update_user(context, user)
            }
        }
    };
}
user_store!(broken);
user_store!(fixed);

/// A fresh database file in a fresh temp dir, with the schema and, if given, one user.
fn database(user: Option<&str>) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("users.db");
    let context = Connection::open(&path).expect("create the database");
    create_schema(&context).expect("create the schema");
    if let Some(name) = user {
        insert_user(&context, name).expect("insert the user");
    }
    (dir, path)
}

/// The names in the `users` table, read on a connection of the check's own.
fn names(path: &Path) -> Vec<String> {
    let context = Connection::open(path).expect("open the database");
    let mut query = context
        .prepare("SELECT name FROM users ORDER BY id")
        .expect("prepare");
    query
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("read the names")
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
pub fn overlapping_writes<S: UserStore>(trace: &Trace) -> Outcome<Overlap> {
    let trace = trace.clone();
    watchdog::watch(move || {
        let (_dir, path) = database(None);
        let store = Arc::new(S::open(&path).expect("open the store"));
        let (opened, is_open) = mpsc::channel();
        let a = {
            let (store, trace) = (store.clone(), trace.clone());
            Std::spawn("A", move || {
                let insert_ann = move |context: &Connection| {
                    insert_user(context, "ann")?;
                    say!("inserts ann; the transaction stays open");
                    let _ = opened.send(());
                    trace.gate("B", &["is refused", "hands its work"]);
                    Ok(())
                };
                store.perform(insert_ann).map_err(|e| e.to_string())
            })
        };
        is_open
            .recv_timeout(GATE_TIMEOUT)
            .expect("A opens its transaction");
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

// ANCHOR: grant
/// Reads a copy of user `id`, adds 10 credits to it and saves it — again from a fresh copy if the
/// save reports a conflict. `after_read` runs after every read.
pub fn grant<S: UserStore>(store: &S, id: i64, after_read: impl Fn()) -> rusqlite::Result<()> {
    loop {
        let mut copy = store.perform(move |context| fetch_user(context, id))?;
        say!(
            "has a copy: {} credits, version {}",
            copy.credits,
            copy.version
        );
        after_read();
        copy.credits += 10;
        let credits = copy.credits;
        match store.perform(move |context| S::update_user(context, &copy))? {
            Ok(()) => {
                say!("saves ann with {credits} credits");
                return Ok(());
            }
            Err(Conflict) => say!("is told: conflict, ann was saved since it read her; again"),
        }
    }
}
// ANCHOR_END: grant

// ANCHOR: grants
/// A and B each grant ann 10 credits. A reads, then waits until B has read too; B saves only after
/// A has saved. Ann must end with 20 credits.
pub fn two_grants<S: UserStore>(trace: &Trace) -> Outcome<i64> {
    let trace = trace.clone();
    watchdog::watch(move || {
        let (_dir, path) = database(Some("ann"));
        let store = Arc::new(S::open(&path).expect("open the store"));
        let a = {
            let (store, trace) = (store.clone(), trace.clone());
            Std::spawn("A", move || {
                grant(&*store, 1, || trace.gate("B", &["has a copy"])).expect("A's grant")
            })
        };
        trace.gate("A", &["has a copy"]);
        let b = {
            let (store, trace) = (store.clone(), trace.clone());
            Std::spawn("B", move || {
                grant(&*store, 1, || trace.gate("A", &["saves"])).expect("B's grant")
            })
        };
        a.join();
        b.join();
        drop(store);
        let context = Connection::open(&path).expect("open the database");
        fetch_user(&context, 1).expect("read ann").credits
    })
}
// ANCHOR_END: grants

/// [`overlapping_writes`] for one twin.
pub fn run_overlapping_writes(variant: Variant) -> (Outcome<Overlap>, Trace) {
    match variant {
        Variant::Broken => traced(overlapping_writes::<broken::Store>),
        Variant::Fixed => traced(overlapping_writes::<fixed::Store>),
    }
}

/// [`two_grants`] for one twin.
pub fn run_two_grants(variant: Variant) -> (Outcome<i64>, Trace) {
    match variant {
        Variant::Broken => traced(two_grants::<broken::Store>),
        Variant::Fixed => traced(two_grants::<fixed::Store>),
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R11",
    name: "sqlite_connection_confinement",
    summary: "a connection per writer is refused with SQLITE_BUSY and saves overwrite; one writer thread and a version column do not",
    run: demo,
};

/// The demo: two overlapping writes, then two grants from copies read at the same time.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let mut bugs = Vec::new();

    report.heading("A keeps a write transaction open while B writes to the same database");
    let (watched, trace) = run_overlapping_writes(variant);
    report.trace(&trace);
    match watched {
        Outcome::Finished(overlap) => {
            report.line(format!("=> the table holds {:?}.", overlap.users));
            if let Some(failure) = overlap.failure() {
                report.line(format!("=> {failure}."));
                bugs.push(failure);
            }
        }
        Outcome::Deadlocked(proof) => {
            report.deadlocked(&proof);
            bugs.push("the writes got stuck".to_string());
        }
        Outcome::Stalled { idle } => {
            report.stalled(idle, &trace);
            bugs.push("the writes stalled".to_string());
        }
    }

    report.heading("A and B each grant ann 10 credits, from copies read at the same time");
    let (watched, trace) = run_two_grants(variant);
    report.trace(&trace);
    match watched {
        Outcome::Finished(20) => report.line("=> 2 grants of 10: ann has 20 credits."),
        Outcome::Finished(credits) => {
            bugs.push(format!("a lost update (2 grants of 10, {credits} credits)"));
            report.line(format!(
                "=> lost update: 2 grants of 10, but ann has {credits} credits."
            ))
        }
        Outcome::Deadlocked(proof) => {
            bugs.push("the grants got stuck".to_string());
            report.deadlocked(&proof);
            &mut report
        }
        Outcome::Stalled { idle } => {
            bugs.push("the grants stalled".to_string());
            report.stalled(idle, &trace);
            &mut report
        }
    };

    report.conclude(
        (!bugs.is_empty()).then(|| bugs.join("; ")),
        "an overlapping write waits its turn; a stale save is a conflict, retried, not a loss",
    );
    report
}
