//! P3's fixed `OfflineFirstManager`: a durable outbox. Each write saves the item *and* queues its
//! operation in one SQLite transaction (a table in the same file, so the two cannot part); each
//! operation gets its own `Idempotency-Key` when it is queued — from [`Keys`], unique across
//! database files, stored in its row — and its row is deleted by its own `seq`; one sync worker,
//! woken by kicks that merge, is the only code that sends. A transient fault (503) is retried
//! after a backoff on tokio's clock (P5's [`Backoff`]: capped, with jitter) unless a kick comes
//! first; a permanent one (422) moves the row to `outbox_failed`, reported once, and the rows
//! behind it go on. A declared rewrite of the guide's class: see the module docs.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::{rt, say};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension};
use tokio::sync::{mpsc, watch};

use super::Keys;
use super::harness::{Op, Request, Server, open_local, write_local};
use crate::backoff_strategies::fixed::{Backoff, SplitMix64};

/// The outbox: one row per operation not yet acknowledged, in the local database's file, with
/// the key made for it when it was queued. `seq` (`AUTOINCREMENT`, never handed out again) only
/// orders the rows and names the one to delete; the key is what the server sees. A row the
/// server rejected for good moves to `outbox_failed`, so it cannot hold up the rows behind it.
const OUTBOX: &str = "CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL, item TEXT NOT NULL, value TEXT);
    CREATE TABLE IF NOT EXISTS outbox_failed (
    seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL, item TEXT NOT NULL, value TEXT, reason TEXT NOT NULL);";

/// The worker's delays between retries after a 503: 1 s doubling to at most 60 s, each cut by up
/// to half at random (P5's fixed backoff), seeded per launch (per [`Keys`]: [`Keys::seed`]), in
/// whole milliseconds (tokio's timer resolution: a finer delay would fire up to 1 ms late).
pub fn retry_backoff(seed: u64) -> Delays {
    let (base, cap) = (Duration::from_secs(1), Duration::from_secs(60));
    let whole_ms: fn(Duration) -> Duration =
        |d| Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    Backoff::new(base, 2.0, cap, 0.5, SplitMix64(seed)).map(whole_ms)
}

/// What [`retry_backoff`] returns: an endless iterator of delays.
pub type Delays = std::iter::Map<Backoff, fn(Duration) -> Duration>;

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
    keys: Keys,
}

// ANCHOR: manager
impl super::Outbox for OfflineFirstManager {
    fn open(path: &Path, server: Server, keys: Keys) -> Result<Self, String> {
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
        let backoff = retry_backoff(keys.seed());
        let worker = worker(
            local.clone(),
            server,
            online.clone(),
            (inbox, backoff),
            finished,
        );
        rt::spawn("sync worker", worker);
        let _ = kicks.try_send(()); // resume what a previous run left in the outbox
        Ok(OfflineFirstManager {
            local,
            online,
            kicks,
            passes,
            keys,
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
    /// Saves the item and queues its operation, with a new key, in one transaction, then kicks
    /// the worker.
    fn queue(&self, op: Op) -> Result<(), String> {
        let key = self.keys.next(); // made once, here; every resend reads it from the row
        let save = || -> rusqlite::Result<()> {
            let mut local = lock_unpoisoned(&self.local);
            let tx = local.transaction()?;
            write_local(&tx, &op)?;
            tx.execute(
                "INSERT INTO outbox (key, kind, item, value) VALUES (?1, ?2, ?3, ?4)",
                (&key, op.kind(), op.id(), op.value()),
            )?;
            tx.commit() // both rows, or neither
        };
        save().map_err(|e| e.to_string())?;
        say!("saves {op} locally and queues it as {key}, in one transaction");
        self.kick();
        Ok(())
    }

    /// Wakes the worker; if a kick is already pending, this one merges with it.
    fn kick(&self) {
        let _ = self.kicks.try_send(());
    }

    /// The operations the server rejected for good, oldest first, with the reason: what the app
    /// shows the user (each was narrated once, when it was parked).
    pub fn failed(&self) -> Result<Vec<(String, Op, String)>, String> {
        let read = || -> rusqlite::Result<Vec<(String, Op, String)>> {
            let local = lock_unpoisoned(&self.local);
            let query = "SELECT key, kind, item, value, reason FROM outbox_failed ORDER BY seq";
            let mut query = local.prepare(query)?;
            query
                .query_map([], |row| {
                    let kind: String = row.get(1)?;
                    let op = Op::from_row(&kind, row.get(2)?, row.get(3)?);
                    let bad = || rusqlite::Error::InvalidColumnType(1, kind.clone(), Type::Text);
                    Ok((row.get(0)?, op.ok_or_else(bad)?, row.get(4)?))
                })?
                .collect()
        };
        read().map_err(|e| format!("cannot read outbox_failed: {e}"))
    }
}

/// How a pass over the outbox ended.
#[derive(Debug, PartialEq, Eq)]
enum Ended {
    /// Nothing left to send.
    Empty,
    /// The app went offline: the next kick (back online) resumes.
    Offline,
    /// A transient fault: retry after a backoff, unless a kick comes first.
    Refused,
}

/// The one sync worker: a pass over the outbox per kick — or, after a transient fault, when the
/// next backoff delay is up, whichever comes first — until the manager is dropped.
async fn worker(
    local: Arc<Mutex<Connection>>,
    server: Server,
    online: Arc<AtomicBool>,
    (mut kicks, backoff): (mpsc::Receiver<()>, Delays),
    passes: watch::Sender<Passes>,
) {
    let mut delays = backoff.clone();
    let mut retry: Option<Duration> = None; // set when the last pass ended on a 503
    loop {
        let kicked = match retry {
            None => kicks.recv().await,
            Some(delay) => tokio::select! {
                biased;
                kick = kicks.recv() => kick,
                () = tokio::time::sleep(delay) => Some(()),
            },
        };
        if kicked.is_none() {
            return; // the manager is gone
        }
        passes.send_modify(|p| p.started += 1);
        retry = match pass(&local, &server, &online).await {
            Ok(Ended::Refused) => {
                let delay = delays.next().unwrap_or(Duration::from_secs(60));
                say!("retries in {} ms, or at the next kick", delay.as_millis());
                Some(delay)
            }
            Ok(Ended::Empty | Ended::Offline) => {
                // a pass that emptied the outbox, or found the app offline, starts the delays over
                delays = backoff.clone();
                None
            }
            Err(e) => {
                say!("stops this pass: {e}");
                None
            }
        };
        passes.send_modify(|p| p.finished += 1);
    }
}

/// Sends the outbox's rows oldest first, each with the key stored in its row; each row is
/// deleted — by its own `seq` — only after the server acknowledged it. A row the server rejects
/// for good moves to `outbox_failed` and the pass goes on. Stops when the outbox is empty, on a
/// transient fault, or when offline.
async fn pass(
    local: &Mutex<Connection>,
    server: &Server,
    online: &AtomicBool,
) -> rusqlite::Result<Ended> {
    while online.load(SeqCst) {
        let Some((seq, key, op)) = oldest(&lock_unpoisoned(local))? else {
            return Ok(Ended::Empty);
        };
        say!("sends {op} with Idempotency-Key {key}");
        let request = Request {
            key: Some(key.clone()),
            op,
        };
        match server.send(request).await {
            Ok(()) => {
                lock_unpoisoned(local).execute("DELETE FROM outbox WHERE seq = ?1", [seq])?;
                say!("deletes {key} from the outbox");
            }
            Err(fault) if fault.is_transient() => {
                say!("{fault}: keeps {key} queued");
                return Ok(Ended::Refused);
            }
            Err(fault) => {
                park(&mut lock_unpoisoned(local), seq, &fault.to_string())?;
                say!("{fault}: moves {key} to outbox_failed, reported once; goes on");
            }
        }
    }
    say!("offline: stops until the network is back");
    Ok(Ended::Offline)
}
// ANCHOR_END: manager

/// The oldest row of the outbox, if any: its `seq`, its key, its operation.
fn oldest(local: &Connection) -> rusqlite::Result<Option<(i64, String, Op)>> {
    let query = "SELECT seq, key, kind, item, value FROM outbox ORDER BY seq LIMIT 1";
    local
        .query_row(query, [], |row| {
            let kind: String = row.get(2)?;
            let op = Op::from_row(&kind, row.get(3)?, row.get(4)?);
            let bad = || rusqlite::Error::InvalidColumnType(2, kind.clone(), Type::Text);
            Ok((row.get(0)?, row.get(1)?, op.ok_or_else(bad)?))
        })
        .optional()
}

/// Moves row `seq` from the outbox to `outbox_failed`, with `reason`, in one transaction.
fn park(local: &mut Connection, seq: i64, reason: &str) -> rusqlite::Result<()> {
    let tx = local.transaction()?;
    tx.execute(
        "INSERT INTO outbox_failed (seq, key, kind, item, value, reason)
         SELECT seq, key, kind, item, value, ?2 FROM outbox WHERE seq = ?1",
        (seq, reason),
    )?;
    tx.execute("DELETE FROM outbox WHERE seq = ?1", [seq])?;
    tx.commit()
}
