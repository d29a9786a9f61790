//! P3's fixed `OfflineFirstManager`: a durable outbox. Each write saves the item *and* queues its
//! operation in one SQLite transaction (a table in the same file, so the two cannot part); each
//! operation has its own id — the outbox's `seq`, never reused — sent as its `Idempotency-Key`
//! and used to delete exactly its row; and one sync worker, woken by kicks that merge, is the only
//! code that sends. A declared rewrite of the guide's class: see the module docs.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::{rt, say};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension};
use tokio::sync::{mpsc, watch};

use super::harness::{Op, Request, Server, open_local, write_local};

/// The outbox: one row per operation not yet acknowledged, in the local database's file.
/// `AUTOINCREMENT`: a deleted row's `seq` is never handed out again, so a key is never reused.
const OUTBOX: &str = "CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, item TEXT NOT NULL, value TEXT)";

/// How many sync passes the worker has started and finished: what `sync()` waits on.
#[derive(Debug, Default, Clone, Copy)]
struct Passes {
    started: u64,
    finished: u64,
}

/// `class OfflineFirstManager`: the local database (with its outbox) and the sync worker's kicks.
#[derive(Debug)]
pub struct OfflineFirstManager {
    local: Arc<Mutex<Connection>>, // the items *and* the outbox: one file, one transaction
    online: Arc<AtomicBool>,
    kicks: mpsc::Sender<()>, // capacity 1: a kick sent while one is pending merges with it
    passes: watch::Receiver<Passes>,
}

// ANCHOR: manager
impl super::Outbox for OfflineFirstManager {
    fn open(path: &Path, server: Server) -> Result<Self, String> {
        let open = || -> rusqlite::Result<(Connection, i64)> {
            let local = open_local(path)?;
            local.execute_batch(OUTBOX)?;
            let waiting = local.query_row("SELECT count(*) FROM outbox", [], |row| row.get(0))?;
            Ok((local, waiting))
        };
        let (local, waiting) = open().map_err(|e| format!("cannot open the database: {e}"))?;
        say!("opens the local database: {waiting} operation(s) waiting in the outbox");
        let local = Arc::new(Mutex::new(local));
        let online = Arc::new(AtomicBool::new(true));
        let (kicks, inbox) = mpsc::channel(1);
        let (finished, passes) = watch::channel(Passes::default());
        let worker = worker(local.clone(), server, online.clone(), inbox, finished);
        rt::spawn("sync worker", worker);
        let _ = kicks.try_send(()); // resume what a previous run left in the outbox
        Ok(OfflineFirstManager {
            local,
            online,
            kicks,
            passes,
        })
    }

    async fn create_item(&self, id: &str, value: &str) -> Result<(), String> {
        self.queue(Op::create(id, value))
    }

    async fn update_item(&self, id: &str, value: &str) -> Result<(), String> {
        self.queue(Op::update(id, value))
    }

    async fn set_online(&self, online: bool) {
        self.online.store(online, SeqCst);
        say!("{}", if online { "back online" } else { "offline" });
        if online {
            self.kick();
        }
    }

    async fn sync(&self) {
        let mut passes = self.passes.clone();
        let after = passes.borrow().started + 1; // the first pass that starts after this kick
        self.kick();
        let _ = passes.wait_for(|p| p.finished >= after).await; // Err: the worker is gone
    }
}

impl OfflineFirstManager {
    /// Saves the item and queues its operation in one transaction, then kicks the worker.
    fn queue(&self, op: Op) -> Result<(), String> {
        let save = || -> rusqlite::Result<i64> {
            let mut local = lock_unpoisoned(&self.local);
            let tx = local.transaction()?;
            write_local(&tx, &op)?;
            tx.execute(
                "INSERT INTO outbox (kind, item, value) VALUES (?1, ?2, ?3)",
                (op.kind(), op.id(), op.value()),
            )?;
            let seq = tx.last_insert_rowid();
            tx.commit()?; // both rows, or neither
            Ok(seq)
        };
        let seq = save().map_err(|e| e.to_string())?;
        say!("saves {op} locally and queues it as op-{seq}, in one transaction");
        self.kick();
        Ok(())
    }

    /// Wakes the worker; if a kick is already pending, this one merges with it.
    fn kick(&self) {
        let _ = self.kicks.try_send(());
    }
}

/// The one sync worker: a pass over the outbox per kick, until the manager is dropped.
async fn worker(
    local: Arc<Mutex<Connection>>,
    server: Server,
    online: Arc<AtomicBool>,
    mut kicks: mpsc::Receiver<()>,
    passes: watch::Sender<Passes>,
) {
    while kicks.recv().await.is_some() {
        passes.send_modify(|p| p.started += 1);
        if let Err(e) = pass(&local, &server, &online).await {
            say!("stops this pass: {e}");
        }
        passes.send_modify(|p| p.finished += 1);
    }
}

/// Sends the outbox's rows oldest first; each row is deleted — by its own `seq` — only after the
/// server acknowledged it. Stops when the outbox is empty, on a fault, or when offline.
async fn pass(
    local: &Mutex<Connection>,
    server: &Server,
    online: &AtomicBool,
) -> rusqlite::Result<()> {
    while online.load(SeqCst) {
        let Some((seq, op)) = oldest(&lock_unpoisoned(local))? else {
            return Ok(());
        };
        let key = format!("op-{seq}");
        say!("sends {op} with Idempotency-Key {key}");
        let request = Request {
            key: Some(key.clone()),
            op,
        };
        if let Err(fault) = server.send(request).await {
            say!("{fault}: keeps {key} for the next kick");
            return Ok(());
        }
        lock_unpoisoned(local).execute("DELETE FROM outbox WHERE seq = ?1", [seq])?;
        say!("deletes {key} from the outbox");
    }
    say!("offline: stops until the network is back");
    Ok(())
}
// ANCHOR_END: manager

/// The oldest row of the outbox, if any.
fn oldest(local: &Connection) -> rusqlite::Result<Option<(i64, Op)>> {
    let query = "SELECT seq, kind, item, value FROM outbox ORDER BY seq LIMIT 1";
    local
        .query_row(query, [], |row| {
            let kind: String = row.get(1)?;
            let op = Op::from_row(&kind, row.get(2)?, row.get(3)?);
            let bad = || rusqlite::Error::InvalidColumnType(1, kind.clone(), Type::Text);
            Ok((row.get(0)?, op.ok_or_else(bad)?))
        })
        .optional()
}
