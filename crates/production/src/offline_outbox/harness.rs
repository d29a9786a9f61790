//! P3's plumbing, not the lesson: the operations, the server the outbox talks to (the chapter's
//! [`Scripted`] service wrapped in a small in-memory store that applies each idempotency key
//! once), a scratch database file, and a look at the local database on a connection of the
//! check's own.
//!
//! What this adds to [`Scripted`] (which it does not change): the *effect* of a call. `Scripted`
//! decides when a call answers and with what; [`Server::send`] applies the operation to its store
//! once the request leg is over — unless its key was seen before — and can hold the *answer* leg
//! on a gate of its own ([`Server::stepped`]), so a test can stop the client between "the server
//! applied it" and "the client heard so".

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use racelab_kit::rt::Gate;
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::as_actor;
use rusqlite::Connection;
use tower::{Service, ServiceExt};

use crate::scripted::{Scripted, Step};

/// What an operation does to one item (an item is `id = value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `createItem`.
    Create {
        /// The item's id.
        id: String,
        /// Its value.
        value: String,
    },
    /// `updateItem`.
    Update {
        /// The item's id.
        id: String,
        /// Its new value.
        value: String,
    },
    /// `deleteItem`.
    Delete {
        /// The item's id.
        id: String,
    },
}

impl Op {
    /// `create id=value`.
    pub fn create(id: &str, value: &str) -> Self {
        Op::Create {
            id: id.into(),
            value: value.into(),
        }
    }

    /// `update id=value`.
    pub fn update(id: &str, value: &str) -> Self {
        Op::Update {
            id: id.into(),
            value: value.into(),
        }
    }

    /// The item it touches.
    pub fn id(&self) -> &str {
        match self {
            Op::Create { id, .. } | Op::Update { id, .. } | Op::Delete { id } => id,
        }
    }

    /// `create`, `update` or `delete`: the outbox's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Create { .. } => "create",
            Op::Update { .. } => "update",
            Op::Delete { .. } => "delete",
        }
    }

    /// The value it writes, if any: the outbox's `value` column.
    pub fn value(&self) -> Option<&str> {
        match self {
            Op::Create { value, .. } | Op::Update { value, .. } => Some(value),
            Op::Delete { .. } => None,
        }
    }

    /// Back from an outbox row's `kind`, `id` and `value`.
    pub fn from_row(kind: &str, id: String, value: Option<String>) -> Option<Self> {
        match (kind, value) {
            ("create", Some(value)) => Some(Op::Create { id, value }),
            ("update", Some(value)) => Some(Op::Update { id, value }),
            ("delete", None) => Some(Op::Delete { id }),
            _ => None,
        }
    }

    /// Applies it to a map of items (the local database and the server's store both do).
    fn apply_to(&self, items: &mut BTreeMap<String, String>) {
        match self {
            Op::Create { id, value } | Op::Update { id, value } => {
                items.insert(id.clone(), value.clone());
            }
            Op::Delete { id } => {
                items.remove(id);
            }
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Create { id, value } => write!(f, "create {id}={value}"),
            Op::Update { id, value } => write!(f, "update {id}={value}"),
            Op::Delete { id } => write!(f, "delete {id}"),
        }
    }
}

/// What goes over the wire: the operation, and the `Idempotency-Key` header if the client set
/// one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The `Idempotency-Key`.
    pub key: Option<String>,
    /// The operation.
    pub op: Op,
}

/// A request the server did not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 503: transient — the same request may succeed later.
    Unavailable,
    /// 422: permanent — this request will never be applied, however often it is sent.
    Rejected,
}

impl Fault {
    /// Whether sending the same request again can succeed.
    pub fn is_transient(self) -> bool {
        matches!(self, Fault::Unavailable)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fault::Unavailable => "503 Service Unavailable",
            Fault::Rejected => "422 Unprocessable Content",
        })
    }
}

/// What the server has seen and done. It outlives the client: a crashed client restarts against
/// the same store.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Store {
    /// The items, as the server holds them.
    pub items: BTreeMap<String, String>,
    /// Every operation the server applied, in order.
    pub applied: Vec<Op>,
    /// Requests that reached the server (a request still on the wire does not count).
    pub received: usize,
    /// Requests whose key was seen before: received, answered, not applied again.
    pub deduplicated: usize,
    keys: BTreeSet<String>,
}

/// The server: the chapter's [`Scripted`] service decides when each request gets through and
/// what it answers; the store applies each operation whose key it has not seen (and every
/// operation without a key). Clones share the script and the store.
#[derive(Debug, Clone)]
pub struct Server {
    scripted: Scripted<Request, (), Fault>,
    store: Arc<Mutex<Store>>,
    /// The answer to call *n* waits at `answers[n - 1]`, if there is one.
    answers: Arc<[Gate]>,
}

impl Server {
    /// A server answering from `steps` (see [`Scripted::new`]), with an empty store.
    pub fn new(steps: impl IntoIterator<Item = Step<(), Fault>>) -> Self {
        Server {
            scripted: Scripted::new(steps),
            store: Arc::default(),
            answers: Arc::new([]),
        }
    }

    /// A server whose first `calls` requests and answers each wait at a gate of their own, and
    /// those gates in the order one send meets them: request 1, answer 1, request 2, …
    pub fn stepped(calls: usize) -> (Self, Vec<Gate>) {
        let mut legs = Vec::new();
        let (mut steps, mut answers) = (Vec::new(), Vec::new());
        for n in 1..=calls {
            let request = Gate::new(&format!("request {n} on the wire"));
            let answer = Gate::new(&format!("answer {n} on the wire"));
            steps.push(Step::ok(()).held_by(&request));
            answers.push(answer.clone());
            legs.extend([request, answer]);
        }
        let mut server = Server::new(steps);
        server.answers = answers.into();
        (server, legs)
    }

    /// The same server (the same store) with a new script: what the client meets after a
    /// restart.
    pub fn with_script(&self, steps: impl IntoIterator<Item = Step<(), Fault>>) -> Self {
        Server {
            scripted: Scripted::new(steps),
            store: Arc::clone(&self.store),
            answers: Arc::new([]),
        }
    }

    /// One request: the request leg (the script's hold and delay), then the server applies it
    /// — or sees its key again and does not — then the answer leg.
    ///
    /// The call's number is read from `count()` right after `call`: nothing else can call the
    /// script in between on the `current_thread` runtime every check uses (no `.await` between
    /// the two). On a multi-threaded runtime another call could land there, and this one would
    /// wait at the wrong answer gate: match the call by its `request` in `calls()` instead.
    pub async fn send(&self, request: Request) -> Result<(), Fault> {
        let mut service = self.scripted.clone();
        let call = service.ready().await?.call(request.clone());
        let n = self.scripted.count(); // this call's number: nothing ran since `call`
        call.await?;
        self.apply(&request);
        if let Some(answer) = self.answers.get(n - 1) {
            answer.wait().await;
        }
        Ok(())
    }

    fn apply(&self, request: &Request) {
        let mut store = lock_unpoisoned(&self.store);
        store.received += 1;
        let Request { key, op } = request;
        if let Some(key) = key
            && !store.keys.insert(key.clone())
        {
            store.deduplicated += 1;
            as_actor("server", || {
                say!("{op}: key {key} seen before, not applied again");
            });
            return;
        }
        op.apply_to(&mut store.items);
        store.applied.push(op.clone());
        let key = key
            .as_deref()
            .map_or("no key".into(), |k| format!("key {k}"));
        as_actor("server", || say!("applies {op} ({key})"));
    }

    /// How many requests have been sent (the ones still on the wire included).
    pub fn requests(&self) -> usize {
        self.scripted.count()
    }

    /// When each request was sent, in order (paused-clock time since the runtime started).
    pub fn sent_at(&self) -> Vec<std::time::Duration> {
        self.scripted.calls().iter().map(|c| c.at).collect()
    }

    /// What the server holds now.
    pub fn store(&self) -> Store {
        lock_unpoisoned(&self.store).clone()
    }
}

/// A fresh directory for one check's database file (`outbox.sqlite` inside it); deleted when
/// the returned guard drops.
pub fn scratch() -> Result<(tempfile::TempDir, PathBuf), String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a scratch dir: {e}"))?;
    let path = dir.path().join("outbox.sqlite");
    Ok((dir, path))
}

/// Opens (creating if needed) the local database with its `items` table.
pub fn open_local(path: &Path) -> rusqlite::Result<Connection> {
    let db = Connection::open(path)?;
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, value TEXT NOT NULL);",
    )?;
    Ok(db)
}

/// Writes `op` to the local database (`localDatabase.save/update/delete`).
pub fn write_local(db: &Connection, op: &Op) -> rusqlite::Result<()> {
    match op {
        Op::Create { id, value } | Op::Update { id, value } => db.execute(
            "INSERT INTO items (id, value) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET value = excluded.value",
            [id, value],
        )?,
        Op::Delete { id } => db.execute("DELETE FROM items WHERE id = ?1", [id])?,
    };
    Ok(())
}

/// The local database's items, read on a connection of the caller's own.
pub fn local_items(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let read = || -> rusqlite::Result<BTreeMap<String, String>> {
        let db = Connection::open(path)?;
        let mut query = db.prepare("SELECT id, value FROM items")?;
        query
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect()
    };
    read().map_err(|e| format!("cannot read the local database: {e}"))
}
