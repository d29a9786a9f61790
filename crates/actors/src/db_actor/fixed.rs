//! A11's fixed `DatabaseManager`: the database thread owns a `Connection` — not an optional one.
//! `open()` returns the manager only once the connection is open; `close()` ends the thread, and
//! every operation after it returns `Err(DbError::Closed)`.

use racelab_kit::say;
use racelab_kit::sync::{Primitives, Std};
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::{DbError, MAILBOX, Reply, ask, connect, insert, select};

/// What the database thread can be asked to do.
#[derive(Debug)]
pub enum Job {
    /// `saveUser(_:)`.
    Save(String, Reply<()>),
    /// `fetchUsers()`.
    Fetch(Reply<Vec<String>>),
    /// Close the database.
    Close(Reply<()>),
}

// ANCHOR: serve
/// The database thread: owns the connection, one job at a time, until `Close`.
fn serve(database: Connection, mut jobs: mpsc::Receiver<Job>) {
    while let Some(job) = jobs.blocking_recv() {
        match job {
            Job::Save(user, reply) => {
                let _ = reply.send(insert(&database, &user));
            }
            Job::Fetch(reply) => {
                let _ = reply.send(select(&database));
            }
            Job::Close(done) => {
                jobs.close(); // refuse new jobs first: every later send fails, as Err(DbError::Closed)
                drop(database); // the connection closes here, and the thread ends with it
                say!("closes the database; the thread ends");
                let _ = done.send(Ok(()));
                // A job sent just before `close` is still queued: drop it, and with it its reply,
                // so its caller hears Err(DbError::Closed) instead of waiting for ever.
                while jobs.blocking_recv().is_some() {}
                return;
            }
        }
    }
}
// ANCHOR_END: serve

/// `actor DatabaseManager`: a handle to the database thread.
#[derive(Debug)]
pub struct DatabaseManager {
    jobs: mpsc::Sender<Job>,
}

// ANCHOR: open
impl DatabaseManager {
    /// Starts the database thread, which opens the connection first: the manager exists only if
    /// that worked — there is no "not initialised yet".
    pub async fn open() -> Result<Self, DbError> {
        let (jobs, inbox) = mpsc::channel(MAILBOX);
        let (opened, answer) = oneshot::channel();
        Std::spawn("db-thread", move || match connect() {
            Ok(database) => {
                let _ = opened.send(Ok(()));
                serve(database, inbox);
            }
            Err(e) => {
                let _ = opened.send(Err(e));
            }
        });
        answer.await.map_err(|_| DbError::Closed)??;
        Ok(DatabaseManager { jobs })
    }
}
// ANCHOR_END: open

impl super::UserStore for DatabaseManager {
    async fn open() -> Result<Self, DbError> {
        Self::open().await
    }

    async fn save_user(&self, user: &str) -> Result<(), DbError> {
        ask(&self.jobs, |reply| Job::Save(user.to_string(), reply)).await
    }

    async fn fetch_users(&self) -> Result<Vec<String>, DbError> {
        ask(&self.jobs, Job::Fetch).await
    }

    async fn close(&self) {
        let _ = ask(&self.jobs, Job::Close).await;
    }
}
