//! A11's broken `DatabaseManager`: the guide's optional database, on a thread that owns it. This
//! version is problematic: with no database — before `initialize()`, after a failed one, after
//! `close()` — `save_user` saves nothing and returns `Ok(())`, and `fetch_users` returns no users.

use racelab_kit::say;
use racelab_kit::sync::{Primitives, Std};
use rusqlite::Connection;
use tokio::sync::mpsc;

use super::{DbError, MAILBOX, Reply, ask, connect, insert, select};

/// What the database thread can be asked to do.
#[derive(Debug)]
pub enum Job {
    /// `initialize()`.
    Initialize(Reply<()>),
    /// `saveUser(_:)`.
    Save(String, Reply<()>),
    /// `fetchUsers()`.
    Fetch(Reply<Vec<String>>),
    /// Close the database.
    Close(Reply<()>),
}

// ANCHOR: serve
/// The database thread (the guide's serial `queue`): one job at a time.
fn serve(mut jobs: mpsc::Receiver<Job>) {
    let mut database: Option<Connection> = None; // private var database: Database?
    while let Some(job) = jobs.blocking_recv() {
        match job {
            Job::Initialize(done) => {
                database = connect().ok(); // a failure to open is just `nil` again
                let _ = done.send(Ok(()));
            }
            Job::Save(user, reply) => {
                let saved = match &database {
                    Some(db) => insert(db, &user),
                    None => {
                        say!("has no database: skips saving {user}, answers OK");
                        Ok(()) // try self.database?.save(user): nil, so nothing, and no error
                    }
                };
                let _ = reply.send(saved);
            }
            Job::Fetch(reply) => {
                let users = match &database {
                    Some(db) => select(db),
                    None => {
                        say!("has no database: answers no users");
                        Ok(Vec::new()) // try self.database?.fetchUsers() ?? []
                    }
                };
                let _ = reply.send(users);
            }
            Job::Close(done) => {
                database = None;
                say!("closes the database (database = nil)");
                let _ = done.send(Ok(()));
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

// ANCHOR: new
impl DatabaseManager {
    /// `DatabaseManager()`: the thread starts with no database.
    pub fn new() -> Self {
        let (jobs, inbox) = mpsc::channel(MAILBOX);
        Std::spawn("db-thread", move || serve(inbox));
        DatabaseManager { jobs }
    }

    /// `initialize()`: opens the database on the thread.
    pub async fn initialize(&self) {
        let _ = ask(&self.jobs, Job::Initialize).await;
    }
}
// ANCHOR_END: new

impl Default for DatabaseManager {
    fn default() -> Self {
        Self::new()
    }
}

impl super::UserStore for DatabaseManager {
    async fn open() -> Result<Self, DbError> {
        let manager = Self::new();
        manager.initialize().await; // the guide leaves this call to the caller
        Ok(manager)
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
