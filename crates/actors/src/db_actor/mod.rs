//! A11 `db_actor` — an actor around a database: who owns the connection, and what an operation
//! on a database that is not there returns.
//!
//! Ports the guide's `actor DatabaseManager` ("2. Database Operations", L5536–5576): an actor
//! that also keeps a serial `DispatchQueue`, an optional `database`, an `initialize()` that sets it
//! on the queue, and `saveUser`/`fetchUsers` that reach it through `self.database?`.
//!
//! * **It does not compile** (L5544, L5554, L5567): the `queue.async` closures touch the actor's
//!   `database` from outside the actor. Rust rejects the same shape — a `&mut self` method moving
//!   its borrow of `self.database` into `spawn_blocking` (`tests/compile_fail/
//!   db_actor_spawn_blocking.rs`, E0521). And if it were forced, two serialisers (the actor and
//!   the queue) would guard one field, so neither would.
//! * **`database?` turns "no database" into success** (L5554, L5567): `saveUser` before
//!   `initialize()` has run — or after a failed one — saves nothing and returns normally;
//!   `fetchUsers` returns `[]`. The caller cannot tell "saved" from "dropped".
//!
//! The Rust that compiles: a **database thread** owns the `rusqlite::Connection` and serves
//! [jobs](broken::Job) from a channel, one at a time, answering each on a `oneshot` — an actor
//! whose mailbox loop runs on its own OS thread, because SQLite calls block (a file database
//! `fsync`s) and must not stall the async runtime's threads. Not `racelab_actor`: its actors are
//! tokio tasks, and a blocking call inside one would hold up every task on that runtime thread.
//! (`tokio-rusqlite` packages the same design: one thread per connection, closures sent to it.)
//!
//! * [`broken`] keeps the guide's shape: `database: Option<Connection>`, `new()` then
//!   `initialize()`, and `if let Some(db)` — no database means `Ok(())`. `close()` sets it back to
//!   `None`, the only other state the guide's type has.
//! * [`fixed`] is created by `open() -> Result<Self, DbError>`: the thread opens the connection
//!   first and the handle exists only if that worked. `close()` ends the thread, which drops the
//!   connection; every operation after it returns `Err(DbError::Closed)`.
//!
//! This is a **declared rewrite** of the thread's loop (the key lines: broken's
//! `None => Ok(())` arms and `Job::Close` setting `database = None`; fixed's `serve(database:
//! Connection, …)` and `Job::Close` ending the loop), and of construction (`new` + `initialize`
//! against `open`). The handles' methods are the same.
//!
//! The check ([`closed_database_refuses_work`]): open, save Ann, read her back, close; then
//! `save_user("Bob")` and `fetch_users()` must both return an error. How it is caught: **one
//! forced schedule** — each call waits for the database thread's answer before the next is sent,
//! so the order of everything is fixed by the channels, on every run.

use std::fmt;
use std::future::Future;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::watchdog::{self, Outcome};
use racelab_kit::{rt, say};
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

pub mod broken;
pub mod fixed;

/// How many jobs wait in the database thread's channel before a caller's `send` waits.
pub const MAILBOX: usize = 32;

/// What an operation can fail with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbError {
    /// The database thread is gone: closed, or it never opened.
    Closed,
    /// SQLite refused.
    Sqlite(String),
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Closed => f.write_str("the database is closed"),
            DbError::Sqlite(e) => write!(f, "SQLite: {e}"),
        }
    }
}

impl std::error::Error for DbError {}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        DbError::Sqlite(e.to_string())
    }
}

/// Where a job's answer goes.
pub type Reply<T> = oneshot::Sender<Result<T, DbError>>;

/// Opens the database: SQLite in memory, with the `users` table.
pub fn connect() -> Result<Connection, DbError> {
    let db = Connection::open_in_memory()?;
    db.execute_batch("CREATE TABLE users (name TEXT NOT NULL)")?;
    say!("opens the database");
    Ok(db)
}

/// `database.save(user)`.
pub fn insert(db: &Connection, user: &str) -> Result<(), DbError> {
    db.execute("INSERT INTO users (name) VALUES (?1)", [user])?;
    say!("saves {user}");
    Ok(())
}

/// `database.fetchUsers()`.
pub fn select(db: &Connection) -> Result<Vec<String>, DbError> {
    let mut query = db.prepare("SELECT name FROM users ORDER BY rowid")?;
    let users = query
        .query_map([], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    say!("reads {users:?}");
    Ok(users)
}

// ANCHOR: ask
/// Sends the job `job` builds around a reply to the database thread and waits for the answer.
/// A thread that is gone — its channel closed, or the reply dropped unanswered — is
/// [`DbError::Closed`]: never a hang, never a made-up success.
pub async fn ask<J, T>(
    jobs: &mpsc::Sender<J>,
    job: impl FnOnce(Reply<T>) -> J,
) -> Result<T, DbError> {
    let (reply, answer) = oneshot::channel();
    jobs.send(job(reply)).await.map_err(|_| DbError::Closed)?;
    answer.await.map_err(|_| DbError::Closed)?
}
// ANCHOR_END: ask

/// What the check needs of a `DatabaseManager`.
pub trait UserStore: Sized {
    /// A manager whose database is open and ready.
    fn open() -> impl Future<Output = Result<Self, DbError>>;
    /// `saveUser(_:)`.
    fn save_user(&self, user: &str) -> impl Future<Output = Result<(), DbError>>;
    /// `fetchUsers()`.
    fn fetch_users(&self) -> impl Future<Output = Result<Vec<String>, DbError>>;
    /// Closes the database (the guide has no `close`; the broken twin sets `database = nil`).
    fn close(&self) -> impl Future<Output = ()>;
}

// ANCHOR: check
/// Open, save Ann, read her back, close; after that, saving Bob and reading must both fail.
pub async fn closed_database_refuses_work<M: UserStore>() -> Result<(), String> {
    let db = M::open().await.map_err(|e| format!("open failed: {e}"))?;
    db.save_user("Ann").await.map_err(|e| e.to_string())?;
    let users = db.fetch_users().await.map_err(|e| e.to_string())?;
    say!("saved Ann and read back {users:?}");
    db.close().await;

    let saved = db.save_user("Bob").await;
    say!("saveUser(Bob) after close: {saved:?}");
    let fetched = db.fetch_users().await;
    say!("fetchUsers() after close: {fetched:?}");

    let mut problems = Vec::new();
    if saved.is_ok() {
        problems.push("saveUser(Bob) after close returned Ok(()) and saved nothing");
    }
    if fetched.is_ok() {
        problems.push("fetchUsers() after close returned Ok: no users, it claims");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}
// ANCHOR_END: check

/// Runs the check for one twin, with a trace installed, under the watchdog: the database thread is
/// a real thread, which a paused clock cannot see. Every wait ends with an answer or a closed
/// channel, so the scenario always finishes; the watchdog is the backstop the kit asks for.
pub fn run(variant: Variant) -> (Outcome<Result<(), String>>, Trace) {
    traced(|_| {
        watchdog::watch(move || match variant {
            Variant::Broken => rt::run_as(
                "caller",
                closed_database_refuses_work::<broken::DatabaseManager>(),
            ),
            Variant::Fixed => rt::run_as(
                "caller",
                closed_database_refuses_work::<fixed::DatabaseManager>(),
            ),
        })
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A11",
    name: "db_actor",
    summary: "`database?` makes a missing database look like success; open() -> Result, Err after close",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("a database thread owns the connection; the caller saves, closes, saves again");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    let bug = match outcome {
        Outcome::Finished(result) => result.err(),
        Outcome::Deadlocked(proof) => Some(report.deadlocked(&proof)),
        Outcome::Stalled { idle } => report.stall(idle, &trace),
    };
    report.conclude(
        bug,
        "after close, saveUser and fetchUsers both returned Err(the database is closed)",
    );
    report
}
