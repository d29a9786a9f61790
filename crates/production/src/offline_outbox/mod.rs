//! P3 `offline_outbox` — the guide's offline-first manager sends an operation twice, drops a
//! newer update when an older one syncs, and forgets everything queued when the app restarts.
//!
//! Ports `OfflineFirstManager` from "Offline-First Architecture" (L6075–6255). Checked against the
//! guide:
//!
//! * **No single flight.** Every `queueOperation` awaits `syncPendingOperations()` (L6165–6167),
//!   and each sync sends its own copy of the pending list (L6178). A write made while a sync is
//!   waiting for the server starts a second sync that sends the first one's operation again; with
//!   no idempotency key the server applies it twice.
//! * **The operation id is the item id.** `updateItem` builds `PendingOperation(id: id, …)` with
//!   the item's id (L6131), and `createItem` saves the item under its operation id (L6106–6109), so
//!   every operation on one item shares one id. After one of them syncs, `removeAll { $0.id ==
//!   operation.id }` (L6185) removes the newer ones too: they never reach the server.
//! * **The outbox lives in memory**: `@Published var pendingOperations` (L6079), while the local
//!   database already holds the changes. A restart loses every queued operation for good.
//! * Also (by reading): `isOnline` starts `false` and the monitor is a stub (L6078, L6098–6101),
//!   so as written nothing ever syncs (the port starts online); `Data?` is passed where `Data` is
//!   expected (L6203 against the signature at L6251, a compile error); the `.serial` queue
//!   (L6091) is unused — and `attributes: .serial` does not exist (a queue is serial unless
//!   `.concurrent`).
//!
//! The checks, on the paused clock, against the chapter's scripted service wrapped in a store that
//! applies each `Idempotency-Key` once ([`harness::Server`]); both twins write to a real SQLite
//! file in a scratch directory:
//!
//! * [`two_writers_one_send`]: user B writes while user A's `create a=1` is held on the wire.
//! * [`update_while_create_in_flight`]: the network drops while `create a=1` is on the wire and
//!   `update a=2` is made offline.
//! * [`crash_and_reopen`]: three operations queued offline; back online, the app is killed — the
//!   runtime dropped — at a [`CrashPoint`], then reopened on the same file and synced. Run at
//!   every crash point in turn ([`CrashPoint::all`]).
//!
//! Each ends with the same [`verdict`]: every operation applied exactly once, in order; no request
//! beyond one per operation except the resend a crash after "server applied" makes (counted, and
//! deduplicated by its key); the server's items equal the local database's.
//!
//! * [`broken`] is the guide's class: a `Vec` outbox, a sync per write, removal by item id.
//! * [`fixed`] is a **declared rewrite** (`scripts/twin-diff`). The key lines: the `outbox` table
//!   written in the same transaction as the item (`fixed::OfflineFirstManager::queue`); one
//!   `sync worker` task woken by a capacity-1 channel, so kicks merge and only the worker sends;
//!   an `Idempotency-Key` per operation from [`Keys`], made when it is queued, stored in its row
//!   and unique across database files (random; a per-file counter would repeat after a
//!   reinstall), while the row's `seq` (`AUTOINCREMENT`) orders the rows and is what the `DELETE`
//!   matches; a retry after a 503 on a backoff timer (P5's `Backoff`), and a row rejected for good
//!   moved to `outbox_failed` so the rows behind it go on.
//!
//! SQLite calls are blocking. They are made inline, on the runtime's one thread: each is a short
//! statement on a local file, and inline they finish inside one poll, so no other task — and no
//! timer — can run in the middle of one. A multi-threaded service would move them off the runtime
//! (`spawn_blocking`, or a database thread as in A11 `db_actor`).
//!
//! How it is caught: (a) and (b) are **one forced schedule** each (gates hold the request on the
//! wire; in (b) the request completes while the app is still offline, and no other request may
//! go out before it reconnects); (c) is **exhaustive over the crash points** of one bounded
//! script: a dropped future stops only at an `.await`, and the points are every place the sync
//! can be parked on that script (it has no 503 or 422, so the retry timer and the dead-letter
//! move are not among them).

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};

use racelab_kit::demo::{Demo, Report, SETUP_FAILED, Variant, setup_failed};
use racelab_kit::rt::{self, Gate, Stuck};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use tokio::task::JoinHandle;

use crate::scripted::Step;
use harness::{Op, Server, Store, local_items, scratch};

pub mod broken;
pub mod fixed;
pub mod harness;

// ANCHOR: keys
/// Where idempotency keys come from: one per queued operation, made when it is queued and
/// stored in its row, so a resend after a crash sends the same key. A key must be unique across
/// every database file that talks to the server — a reinstall, cleared app data, a restored
/// backup or a second device starts a new file — not only within one file. Clones share the
/// source.
#[derive(Clone)]
pub struct Keys {
    next: Arc<dyn Fn() -> String + Send + Sync>,
    seed: u64,
}

impl Keys {
    /// What an app uses: 32 hex digits from std alone, no crate: two SipHash outputs of a
    /// process-wide counter, the process id and the time under std's randomly keyed
    /// `RandomState` (seeded best-effort from the OS; that it caches a key per thread and varies
    /// it per instance is an implementation detail). Unique in practice, not a cryptographic
    /// guarantee: a real app would take `uuid`'s v4 or `getrandom`; this avoids a dependency for
    /// one call.
    pub fn random() -> Keys {
        Keys {
            next: Arc::new(|| format!("{:016x}{:016x}", random_u64(), random_u64())),
            seed: random_u64(),
        }
    }

    /// For the checks and the demo, whose output is pinned: `{device}-1`, `{device}-2`, … — a
    /// counter in memory, unique only because every check that reopens a file passes the same
    /// `Keys` (one device, one counter) and no two devices share a prefix. Never in an app: a
    /// restart would count from 1 again.
    pub fn counter(device: &str) -> Keys {
        let (device, n) = (device.to_owned(), Arc::new(AtomicU64::new(0)));
        Keys {
            next: Arc::new(move || format!("{device}-{}", n.fetch_add(1, SeqCst) + 1)),
            seed: 7,
        }
    }

    /// A new key.
    pub fn next(&self) -> String {
        (self.next)()
    }

    /// The seed of the sync worker's retry jitter: random for [`Keys::random`] (drawn on each
    /// call, so a new one every launch; nothing is stored in the file), fixed for
    /// [`Keys::counter`] (so the checks' retry times are the same every run).
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

/// 64 bits from a fresh, randomly keyed `RandomState` (see [`Keys::random`]).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(CALLS.fetch_add(1, SeqCst));
    hasher.write_u32(std::process::id());
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    hasher.write_u128(since_epoch.map_or(0, |d| d.as_nanos()));
    hasher.finish()
}
// ANCHOR_END: keys

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keys")
    }
}

/// What the checks need of an `OfflineFirstManager`.
pub trait Outbox: Sized + Send + Sync + 'static {
    /// Opens the manager on the database file at `path` (created if missing), online, talking to
    /// `server`, with its idempotency keys from `keys` (the guide's manager sends none).
    fn open(path: &Path, server: Server, keys: Keys) -> Result<Self, String>;
    /// `createItem`: save locally, queue the operation, sync if online.
    fn create_item(&self, id: &str, value: &str)
    -> impl Future<Output = Result<(), String>> + Send;
    /// `updateItem`: the same for an update.
    fn update_item(&self, id: &str, value: &str)
    -> impl Future<Output = Result<(), String>> + Send;
    /// The network monitor's report: online or not (back online syncs).
    fn set_online(&self, online: bool) -> impl Future<Output = ()> + Send;
    /// `syncPendingOperations()`: returns when a sync started by this call has ended.
    fn sync(&self) -> impl Future<Output = ()> + Send;
}

/// Writes `op` through `createItem` or `updateItem`.
pub async fn write<M: Outbox>(manager: Arc<M>, op: Op) -> Result<(), String> {
    match &op {
        Op::Create { id, value } => manager.create_item(id, value).await,
        Op::Update { id, value } => manager.update_item(id, value).await,
        Op::Delete { .. } => Err("the checks do not delete".into()),
    }
}

// ANCHOR: verdict
/// What must hold once everything has synced: each of `ops` applied exactly once, in order; no
/// request beyond one per operation except the `resends` a crash can explain (a crash after
/// "server applied" costs one, deduplicated by its key); and the server holds what the local
/// database holds.
pub fn verdict(
    ops: &[Op],
    store: &Store,
    local: &BTreeMap<String, String>,
    resends: usize,
) -> Result<(), String> {
    let times = |op: &Op| store.applied.iter().filter(|a| *a == op).count();
    if let Some(op) = ops.iter().find(|op| times(op) > 1) {
        return Err(format!(
            "the server applied `{op}` {} times ({} requests for {} operations)",
            times(op),
            store.received,
            ops.len()
        ));
    }
    let lost: Vec<String> = ops
        .iter()
        .filter(|op| times(op) == 0)
        .map(|op| format!("`{op}`"))
        .collect();
    if !lost.is_empty() {
        return Err(format!(
            "lost {}: the server holds {}, the app {}",
            lost.join(", "),
            items(&store.items),
            items(local)
        ));
    }
    if store.applied != ops {
        return Err(format!(
            "the server applied {:?}, not {ops:?}",
            store.applied
        ));
    }
    if store.received > ops.len() + resends {
        return Err(format!(
            "{} requests for {} operations: more than the {resends} resend(s) a crash explains",
            store.received,
            ops.len()
        ));
    }
    if store.items != *local {
        return Err(format!(
            "the server holds {}, the app {}",
            items(&store.items),
            items(local)
        ));
    }
    Ok(())
}
// ANCHOR_END: verdict

/// `{a=1, b=1}`.
fn items(items: &BTreeMap<String, String>) -> String {
    let items: Vec<String> = items.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", items.join(", "))
}

/// Marks a failure of the scenario's plumbing (a file that cannot be created or opened), which
/// says nothing about either twin: the kit's [`setup_failed`] mark, so the demo reports it as one
/// line and its verdict is ERROR, never CAUGHT.
pub fn setup(e: String) -> String {
    setup_failed(e)
}

/// "`what` never happened": the scenario got stuck waiting for it.
fn never(what: &str) -> impl FnOnce(Stuck) -> String {
    move |stuck| format!("{what} never happened ({stuck})")
}

/// A task's result, or why the task failed.
async fn joined(task: JoinHandle<Result<(), String>>) -> Result<(), String> {
    task.await.map_err(|e| e.to_string())?
}

/// Opens `M` on `path` against a server whose first request is held on the wire, and spawns
/// user A's `create a=1`; returns once that request is held (the start of (a) and (b)).
async fn hold_first_request<M: Outbox>(path: &Path) -> Result<Held<M>, String> {
    let held = Gate::new("request 1 on the wire");
    let server = Server::new([Step::ok(()).held_by(&held), Step::ok(())]);
    let keys = Keys::counter("phone");
    let manager = Arc::new(M::open(path, server.clone(), keys).map_err(setup)?);
    let a = rt::spawn("user A", write(manager.clone(), Op::create("a", "1")));
    rt::until_stuck(held.arrived(1))
        .await
        .map_err(never("a request"))?;
    Ok((server, held, manager, a))
}

/// The server, the gate holding request 1, the manager, and user A's task.
type Held<M> = (Server, Gate, Arc<M>, JoinHandle<Result<(), String>>);

// ANCHOR: two_writers
/// User A creates `a=1`; while that request is held on the wire, user B creates `b=1`. Then the
/// request goes through and the app syncs once more: each operation must reach the server once.
pub async fn two_writers_one_send<M: Outbox>(path: &Path) -> Result<(), String> {
    let (server, held, manager, a) = hold_first_request::<M>(path).await?;
    let b = rt::spawn("user B", write(manager.clone(), Op::create("b", "1")));
    joined(b).await?;
    say!("lets request 1 through");
    held.open();
    joined(a).await?;
    rt::until_stuck(manager.sync())
        .await
        .map_err(never("the sync's end"))?;
    let ops = [Op::create("a", "1"), Op::create("b", "1")];
    verdict(&ops, &server.store(), &local_items(path).map_err(setup)?, 0)
}
// ANCHOR_END: two_writers

// ANCHOR: update_in_flight
/// User A creates `a=1`; while that request is on the wire the network drops, and user B updates
/// `a=2` offline. The request goes through while the app is still offline — whatever sends must
/// see the offline window and send nothing more — then the network comes back: `a=2` must reach
/// the server.
pub async fn update_while_create_in_flight<M: Outbox>(path: &Path) -> Result<(), String> {
    let (server, held, manager, a) = hold_first_request::<M>(path).await?;
    manager.set_online(false).await;
    let b = rt::spawn("user B", write(manager.clone(), Op::update("a", "2")));
    joined(b).await?;
    say!("lets request 1 through, and stays offline until no task can do more");
    held.open();
    joined(a).await?;
    // The paused clock moves only when no task can run: after this 1 ms, whoever waits for the
    // answer to request 1 has handled it, offline.
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    if server.requests() > 1 {
        return Err(format!(
            "{} request(s) went out while offline",
            server.requests() - 1
        ));
    }
    manager.set_online(true).await;
    rt::until_stuck(manager.sync())
        .await
        .map_err(never("the sync's end"))?;
    let ops = [Op::create("a", "1"), Op::update("a", "2")];
    verdict(&ops, &server.store(), &local_items(path).map_err(setup)?, 0)
}
// ANCHOR_END: update_in_flight

/// The work the crash check queues offline: three operations, two on one item.
pub fn offline_work() -> [Op; 3] {
    [
        Op::create("a", "1"),
        Op::update("a", "2"),
        Op::create("b", "1"),
    ]
}

/// Where [`crash_and_reopen`] kills the app: every place its sync can be stopped on the crash
/// script (it has no 503 or 422, so the retry timer and the dead-letter move are not among them).
/// A dropped future stops only at an `.await`; between two awaits its code runs to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashPoint {
    /// The operations are queued; no request has left.
    Queued,
    /// Request *n* is on the wire; the server has not applied it.
    Request(usize),
    /// The server applied operation *n*; its answer is on the wire, its row still queued. (Once
    /// the answer is in, deleting the row and reading the next one are one stretch of code with
    /// no await: the next place to stop is request *n + 1*.)
    Answer(usize),
    /// Everything synced.
    Synced,
}

impl CrashPoint {
    /// Every crash point of [`offline_work`], in the order the sync reaches them.
    pub fn all() -> Vec<CrashPoint> {
        let n = offline_work().len();
        let legs = (1..=n).flat_map(|i| [CrashPoint::Request(i), CrashPoint::Answer(i)]);
        [CrashPoint::Queued]
            .into_iter()
            .chain(legs)
            .chain([CrashPoint::Synced])
            .collect()
    }

    /// How many requests a correct client must send again after this crash: the one whose
    /// answer was lost.
    pub fn resends(self) -> usize {
        usize::from(matches!(self, CrashPoint::Answer(_)))
    }

    /// The crash point at the `k`-th gate (request 1, answer 1, request 2, …).
    fn at_leg(k: usize) -> CrashPoint {
        match k % 2 {
            0 => CrashPoint::Request(k / 2 + 1),
            _ => CrashPoint::Answer(k / 2 + 1),
        }
    }
}

impl fmt::Display for CrashPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrashPoint::Queued => f.write_str("queued, nothing sent"),
            CrashPoint::Request(n) => write!(f, "request {n} on the wire"),
            CrashPoint::Answer(n) => write!(f, "server applied op {n}, answer on the wire"),
            CrashPoint::Synced => f.write_str("everything synced"),
        }
    }
}

// ANCHOR: crash
/// Queues [`offline_work`] offline, comes back online, and kills the app at `point` — returns
/// from the scenario, so the runtime drops every task where it is parked. Then reopens the same
/// file against the same server and syncs: nothing lost, nothing applied twice.
pub fn crash_and_reopen<M: Outbox>(point: CrashPoint) -> Result<Store, String> {
    let (_dir, path) = scratch().map_err(setup)?;
    let ops = offline_work();
    let (server, legs) = Server::stepped(ops.len());
    let keys = Keys::counter("phone"); // one device: the reopened app goes on counting
    rt::run_as("app", async {
        let opened = M::open(&path, server.clone(), keys.clone());
        let manager: Arc<M> = Arc::new(opened.map_err(setup)?);
        manager.set_online(false).await;
        for op in &ops {
            write(manager.clone(), op.clone()).await?;
        }
        if point == CrashPoint::Queued {
            say!("killed: {point}");
            return Ok::<(), String>(());
        }
        // Let a worker that was kicked while offline finish its pass first, so no line below
        // depends on which of two ready tasks tokio polls first.
        rt::until_stuck(manager.sync())
            .await
            .map_err(never("the sync's end"))?;
        let network = rt::spawn("network", {
            let manager = manager.clone();
            async move {
                manager.set_online(true).await;
                Ok(())
            }
        });
        for (k, leg) in legs.iter().enumerate() {
            rt::until_stuck(leg.arrived(1))
                .await
                .map_err(never(leg.name()))?;
            if point == CrashPoint::at_leg(k) {
                say!("killed: {point}");
                return Ok(());
            }
            leg.open();
        }
        joined(network).await?;
        rt::until_stuck(manager.sync())
            .await
            .map_err(never("the sync's end"))?;
        say!("killed: {point}");
        Ok(())
    })?; // the runtime is dropped here, and every task with it
    rt::run_as("app", async {
        say!("restarts");
        let server = server.with_script([Step::ok(())]);
        let manager = M::open(&path, server, keys).map_err(setup)?;
        rt::until_stuck(manager.sync())
            .await
            .map_err(never("the sync's end"))
    })?;
    let store = server.store();
    verdict(
        &ops,
        &store,
        &local_items(&path).map_err(setup)?,
        point.resends(),
    )?;
    Ok(store)
}
// ANCHOR_END: crash

/// Runs an async check on a fresh database file, on the paused clock, with a trace installed.
fn run_on_file<F, Fut>(check: F) -> (Result<(), String>, Trace)
where
    F: FnOnce(std::path::PathBuf) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    traced(|_| {
        let (_dir, path) = scratch().map_err(setup)?;
        rt::run_as("app", check(path))
    })
}

/// Check (a), [`two_writers_one_send`], for one twin.
pub fn run_two_writers(variant: Variant) -> (Result<(), String>, Trace) {
    match variant {
        Variant::Broken => run_on_file(|path| async move {
            two_writers_one_send::<broken::OfflineFirstManager>(&path).await
        }),
        Variant::Fixed => run_on_file(|path| async move {
            two_writers_one_send::<fixed::OfflineFirstManager>(&path).await
        }),
    }
}

/// Check (b), [`update_while_create_in_flight`], for one twin.
pub fn run_update_in_flight(variant: Variant) -> (Result<(), String>, Trace) {
    match variant {
        Variant::Broken => run_on_file(|path| async move {
            update_while_create_in_flight::<broken::OfflineFirstManager>(&path).await
        }),
        Variant::Fixed => run_on_file(|path| async move {
            update_while_create_in_flight::<fixed::OfflineFirstManager>(&path).await
        }),
    }
}

/// Check (c), [`crash_and_reopen`] at `point`, for one twin.
pub fn run_crash(variant: Variant, point: CrashPoint) -> (Result<Store, String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => crash_and_reopen::<broken::OfflineFirstManager>(point),
        Variant::Fixed => crash_and_reopen::<fixed::OfflineFirstManager>(point),
    })
}

/// The crash point the demo narrates in full: the server applied the first operation, and its
/// answer was lost with the app.
pub const NARRATED: CrashPoint = CrashPoint::Answer(1);

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P3",
    name: "offline_outbox",
    summary: "an operation sent twice, a newer update dropped by an older one's id, an in-memory \
              outbox lost on restart; a durable outbox with one worker and idempotency keys",
    run: demo,
};

/// The demo: checks (a) and (b), the crash at [`NARRATED`] in full, then every crash point.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("(a) user B writes while user A's create a=1 is held on the wire");
    let (two_writers, trace) = run_two_writers(variant);
    report.trace(&trace);
    report.line(outcome(&two_writers));

    report.heading("(b) the network drops while create a=1 is on the wire; B updates a=2 offline");
    let (update, trace) = run_update_in_flight(variant);
    report.trace(&trace);
    report.line(outcome(&update));

    report.heading(format!(
        "(c) 3 operations queued offline; online; killed at \"{NARRATED}\""
    ));
    let (_, trace) = run_crash(variant, NARRATED);
    report.trace(&trace);
    let points = CrashPoint::all();
    report.heading(format!(
        "(c) the same, killed at each of the {} crash points",
        points.len()
    ));
    let (mut lost_at, mut plumbing) = (0, false);
    for point in &points {
        let (result, _) = run_crash(variant, *point);
        report.line(format!("killed at \"{point}\", reopened:"));
        match result {
            Ok(store) => report.line(format!(
                "   => ok: {} requests for 3 operations, {} deduplicated",
                store.received, store.deduplicated
            )),
            Err(e) => {
                lost_at += 1;
                plumbing |= e.contains(SETUP_FAILED);
                report.line(format!("   => {e}"))
            }
        };
    }

    let crashes = match lost_at {
        0 => Ok(()),
        _ => Err(format!(
            "(c) wrong after {lost_at} of {} crashes",
            points.len()
        )),
    };
    // Caught only if all three bugs were found; a plumbing failure is an ERROR, never a catch.
    report.conclude_each(
        [
            two_writers.map_err(|e| format!("(a) {e}")),
            update.map_err(|e| format!("(b) {e}")),
            crashes.map_err(|e| if plumbing { setup_failed(e) } else { e }),
        ],
        "one send per operation, the newer update kept, nothing lost at any crash point",
    );
    report
}

/// `=> ok` or `=> <what went wrong>`.
fn outcome(result: &Result<(), String>) -> String {
    match result {
        Ok(()) => {
            "=> ok: each operation applied once, and the server holds what the app holds".into()
        }
        Err(e) => format!("=> {e}"),
    }
}
