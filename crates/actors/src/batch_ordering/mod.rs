//! A6 `batch_ordering` — a task group over database operations runs them in whatever order the
//! child tasks reach the queue, and each one on its own: no order, no atomicity.
//!
//! Ports the guide's `DatabaseManager.performBatchOperations` ("3. Database Operations",
//! L697–744): one child task per operation, each bridged onto a serial `DispatchQueue` with a
//! continuation. The same shape is `performBatchFileOperations` (L5209–5220). A serial queue runs
//! one block at a time — mutual exclusion — but in the order the blocks *arrive*, and the child
//! tasks of a group start in no promised order. So `[insert x, update x, delete x]` can land as
//! delete, insert, update and leave `x` alive; and every operation commits on its own, so a batch
//! whose second operation fails is half applied.
//!
//! The serial queue is [`Queue`]: an actor ([`racelab_actor`]) owning an in-memory SQLite
//! connection, handling one [`Job`] at a time; a job's operations run in one transaction (a job of
//! one operation is the guide's single statement). How long a child task takes to reach the queue
//! is the runtime's business; here it is scripted ([`hop_to_the_queue`]): job 0 takes 20 ms, job 1
//! 30 ms, job 2 10 ms — the third operation arrives first.
//!
//! The check ([`batches_keep_order_and_fail_whole`]) runs two batches, each on a fresh database:
//!
//! 1. `[insert x = v1, update x = v2, delete x]` on an empty table must leave it empty;
//! 2. `[update a = v1, insert b = "" (rejected: the table has CHECK (data <> '')), insert c = v1]`
//!    on `{a: v0}` must fail and leave the table as it was.
//!
//! * [`broken`] spawns one task per operation (a `JoinSet`): they run as delete, insert, update
//!   (`x` survives as `v2`), and the failed batch leaves `a = v1` and `c` behind.
//! * [`fixed`] sends the whole batch as one job: the queue runs it in order, in one transaction,
//!   and a failure rolls every operation back.
//!
//! The guide's `database` is an optional that nothing assigns (L704), so `self.database?.insert`
//! silently does nothing; that is A11's subject (`db_actor`). Here both twins get a database that
//! is open ([`Queue::open`] returns a `Result`), the benefit of the doubt, so that what fails is
//! order and atomicity.
//!
//! How it is caught: **one forced schedule**. The hops are distinct instants on the paused clock,
//! so the arrival order is the same on every run, and the queue handles one job at a time.

use std::fmt;
use std::time::Duration;

use racelab_actor::{Actor, Handle, Reply, WeakHandle, spawn};
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};
use rusqlite::{Connection, params};

pub mod broken;
pub mod fixed;

/// `enum DatabaseOperation`: ids and data are short strings here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `.insert(Data)`: a new row.
    Insert(&'static str, &'static str),
    /// `.update(id:data:)`: a row's new data (no such row: nothing changes).
    Update(&'static str, &'static str),
    /// `.delete(id:)` (no such row: nothing changes).
    Delete(&'static str),
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Insert(id, data) => write!(f, "insert {id} = {data:?}"),
            Op::Update(id, data) => write!(f, "update {id} = {data:?}"),
            Op::Delete(id) => write!(f, "delete {id}"),
        }
    }
}

/// What the queue can be sent.
#[derive(Debug)]
pub enum Job {
    /// Run these operations, in this order, in one transaction; answer with the outcome.
    Run(Vec<Op>, Reply<Result<(), String>>),
    /// The table's rows (`id = data`, by id), and every operation committed so far, in order.
    Look(Reply<(Vec<String>, Vec<Op>)>),
}

/// The serial queue: the one owner of the connection, one job at a time.
#[derive(Debug)]
pub struct Queue {
    db: Connection,
    applied: Vec<Op>,
}

impl Queue {
    /// An in-memory database with the table `items` holding `rows`. A queue that exists has a
    /// database: there is no "not initialised yet".
    pub fn open(rows: &[(&str, &str)]) -> rusqlite::Result<Self> {
        let db = Connection::open_in_memory()?;
        db.execute_batch(
            "CREATE TABLE items (id TEXT PRIMARY KEY, data TEXT NOT NULL CHECK (data <> ''))",
        )?;
        for (id, data) in rows {
            db.execute("INSERT INTO items VALUES (?1, ?2)", params![id, data])?;
        }
        Ok(Queue {
            db,
            applied: Vec::new(),
        })
    }

    // ANCHOR: run
    /// Runs `ops` in order in one transaction: all of them, or — at the first error — none.
    fn run(&mut self, ops: &[Op]) -> Result<(), String> {
        let tx = self.db.transaction().map_err(|e| e.to_string())?;
        let mut done = Vec::new();
        for op in ops {
            let changed = match *op {
                Op::Insert(id, data) => {
                    tx.execute("INSERT INTO items VALUES (?1, ?2)", params![id, data])
                }
                Op::Update(id, data) => tx.execute(
                    "UPDATE items SET data = ?2 WHERE id = ?1",
                    params![id, data],
                ),
                Op::Delete(id) => tx.execute("DELETE FROM items WHERE id = ?1", params![id]),
            };
            match changed {
                Ok(0) => say!("{op}: no such row, nothing changes"),
                Ok(_) => say!("{op}: done"),
                Err(e) => {
                    say!("{op}: rejected ({e})");
                    if ops.len() > 1 {
                        say!("rolls back: none of the {} operations is kept", ops.len());
                    }
                    return Err(format!("{op}: rejected"));
                }
            }
            done.push(*op);
        }
        tx.commit().map_err(|e| e.to_string())?;
        self.applied.extend(done);
        if ops.len() > 1 {
            say!("commits the {} operations as one", ops.len());
        }
        Ok(())
    }
    // ANCHOR_END: run

    /// Every row, as `id = data`, by id.
    fn rows(&self) -> Vec<String> {
        let mut rows = self
            .db
            .prepare("SELECT id, data FROM items ORDER BY id")
            .expect("the table exists");
        rows.query_map([], |row| {
            Ok(format!(
                "{} = {}",
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?
            ))
        })
        .and_then(Iterator::collect)
        .expect("every row has an id and data")
    }
}

impl Actor for Queue {
    type Message = Job;

    async fn handle(&mut self, job: Job, _me: &WeakHandle<Self>) {
        match job {
            Job::Run(ops, reply) => {
                let outcome = self.run(&ops);
                let _ = reply.send(outcome);
            }
            Job::Look(reply) => {
                let _ = reply.send((self.rows(), self.applied.clone()));
            }
        }
    }
}

/// How long job `index` of a batch takes to reach the queue: a child task's start, which the
/// runtime schedules in no promised order — scripted here as 20, 30, 10 ms, so the third arrives
/// first, then the first, then the second.
pub async fn hop_to_the_queue(index: usize) {
    const HOPS: [u64; 3] = [20, 30, 10];
    tokio::time::sleep(Duration::from_millis(HOPS[index % HOPS.len()])).await;
}

/// `queue.async { … }` inside `withCheckedThrowingContinuation`: runs `ops` as one job on the
/// queue and waits for the outcome.
pub async fn on_the_queue(queue: &Handle<Queue>, ops: Vec<Op>) -> Result<(), String> {
    let gone = |e: racelab_actor::Gone| e.to_string();
    queue
        .ask(|reply| Job::Run(ops, reply))
        .await
        .map_err(gone)?
}

/// Opens a queue on `rows`, runs `batch` through `perform`, and returns its outcome, the rows
/// after it, and the operations in the order they were committed.
async fn one_batch(
    rows: &[(&str, &str)],
    batch: &[Op],
    perform: &impl AsyncFn(&Handle<Queue>, Vec<Op>) -> Result<(), String>,
) -> Result<(Result<(), String>, Vec<String>, Vec<Op>), String> {
    let (queue, task) = spawn("db-queue", Queue::open(rows).map_err(|e| e.to_string())?);
    let listed = batch.iter().map(Op::to_string).collect::<Vec<_>>();
    say!("performs the batch [{}]", listed.join(", "));
    let outcome = perform(&queue, batch.to_vec()).await;
    let gone = |e: racelab_actor::Gone| e.to_string();
    let (after, applied) = queue.ask(Job::Look).await.map_err(gone)?;
    match &outcome {
        Ok(()) => say!("hears OK; the table holds {after:?}"),
        Err(e) => say!("hears the error ({e}); the table holds {after:?}"),
    }
    drop(queue);
    task.await.map_err(|e| e.to_string())?;
    Ok((outcome, after, applied))
}

/// The operations' names, `[delete x, insert x, update x]`.
fn names(ops: &[Op]) -> String {
    let names = ops.iter().map(|op| match op {
        Op::Insert(id, _) => format!("insert {id}"),
        Op::Update(id, _) => format!("update {id}"),
        Op::Delete(id) => format!("delete {id}"),
    });
    format!("[{}]", names.collect::<Vec<_>>().join(", "))
}

// ANCHOR: check
/// Two batches, each on a fresh database: insert, update, delete of one row must leave the table
/// empty; a batch whose second operation is rejected must fail and change nothing.
pub async fn batches_keep_order_and_fail_whole(
    perform: impl AsyncFn(&Handle<Queue>, Vec<Op>) -> Result<(), String>,
) -> Result<(), String> {
    let mut problems = Vec::new();

    let batch = [
        Op::Insert("x", "v1"),
        Op::Update("x", "v2"),
        Op::Delete("x"),
    ];
    let (outcome, after, applied) = one_batch(&[], &batch, &perform).await?;
    if outcome.is_err() || !after.is_empty() {
        problems.push(format!(
            "the batch ran as {}, leaving {after:?}",
            names(&applied)
        ));
    }

    let before = [("a", "v0")];
    let batch = [
        Op::Update("a", "v1"),
        Op::Insert("b", ""),
        Op::Insert("c", "v1"),
    ];
    let (outcome, after, _) = one_batch(&before, &batch, &perform).await?;
    if outcome.is_ok() {
        problems.push("a batch with a rejected operation reported success".into());
    }
    if after != ["a = v0"] {
        problems.push(format!("a failed batch left {after:?}"));
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "caller",
            batches_keep_order_and_fail_whole(broken::perform_batch_operations),
        ),
        Variant::Fixed => rt::run_as(
            "caller",
            batches_keep_order_and_fail_whole(fixed::perform_batch_operations),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A6",
    name: "batch_ordering",
    summary: "one task per DB operation: they land in any order, each on its own; send one job",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(
        "paused clock: job 0 of a batch reaches the queue after 20 ms, job 1 after 30, job 2 after 10",
    );
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "insert, update, delete ran in order; the failed batch changed nothing",
    );
    report
}
