//! Every way a racelab scenario waits, in one place: gates that order real threads, and the
//! wait-for registry that lets the [`watchdog`](crate::watchdog) *prove* a deadlock instead of
//! timing one out.
//!
//! # Gates: one way to hold a thread until another got somewhere
//!
//! A real-thread scenario is made deterministic by holding one thread until another has reached a
//! point. There is one way to write that: [`until`]`(what, ready)` — block until `ready()` is
//! true, looking again at every change (a narrated line, a thread that blocks or wakes), and panic
//! after [`GATE_TIMEOUT`] naming `what`, because a gate that never opens is a mistake in the
//! scenario. What `ready` looks at is a fact, never the words of a line:
//!
//! * a [`Step`] a thread has reached — `trace.reached("T0", lock::LOCKS, Some("lock1"))` — marked
//!   by [`step!`](crate::step) in the same statement that narrates it;
//! * what the registry knows right now: [`blocked`]`("T1")` (T1 is in a recorded wait it cannot
//!   leave by itself), [`holds`]`("T1")`;
//! * a probe of a state nobody narrates (a queued writer inside parking_lot's lock).
//!
//! Gates are for real threads only: under loom they would block the one OS thread every model
//! thread runs on — and loom tries every order anyway (check `P::IS_MODEL`).
//!
//! # The wait-for registry: deadlocks proven, not timed out
//!
//! [`watchdog::watch`](crate::watchdog::watch) runs a scenario inside a registry (a *scope*); every
//! thread spawned through the facade from inside it joins the scope and leaves it when it ends.
//! Kit wrappers record, around every blocking call, "actor X waits on resource R" — and who holds
//! what — so the watchdog can look at the graph and find one of two proofs:
//!
//! * **a cycle** — X waits for R1 held by Y, Y waits for R2 held by X: with exact holder records,
//!   neither can ever go on ("T0 waits for lock2 held by T1; T1 waits for lock1 held by T0");
//! * **everyone blocked** — every live thread of the scenario is in a recorded wait that nothing
//!   can end: a lock held by another blocked thread, or a signal (condvar, latch, queue job) that
//!   has not been given since the wait began.
//!
//! Neither depends on time: a slow `fsync` or a descheduled thread is simply not in a recorded wait,
//! so it is never mistaken for a deadlock. The watchdog keeps a generous idle timeout only as a
//! backstop for waits nothing records ([`BACKSTOP`]).
//!
//! ## Recording a wait (for wrapper and library authors)
//!
//! A [`Resource`] is anything a thread waits on, with a name the report uses. Lessons use the
//! wrappers built on it — [`NamedMutex`](crate::lock::NamedMutex),
//! [`NamedRwLock`](crate::lock::NamedRwLock), [`NamedCondvar`](crate::lock::NamedCondvar),
//! [`Latch`](crate::latch::Latch), `handle.join()` — and a library (a dispatch queue's `sync`, a
//! pool) records its own waits with the same three calls:
//!
//! ```
//! use std::sync::mpsc;
//! use racelab_kit::wait::Resource;
//!
//! // The library side: one Resource per thing callers wait on.
//! let done = Resource::new("q's job");
//! let (tx, rx) = mpsc::channel();
//!
//! let ticket = done.ticket(); // 1. BEFORE anything that could make the wait end (here: submit)
//! std::thread::scope(|s| {
//!     s.spawn(|| {
//!         tx.send(42).unwrap(); // the job: makes the wait end…
//!         done.wake(); // 2. …then says so, before it waits on anything itself
//!     });
//!     let answer = ticket.wait(|| rx.recv().unwrap()); // 3. recorded as blocked while it runs
//!     assert_eq!(answer, 42);
//! });
//! ```
//!
//! The rules that make "nothing woke it since it began to wait" a proof:
//! 1. take the [`Ticket`] before anything that could satisfy the wait (for a condition variable:
//!    under the mutex, after the predicate was found false — [`NamedCondvar`](crate::lock::NamedCondvar)
//!    does this);
//! 2. every waker calls [`Resource::wake`] after it made the wait satisfiable, and before it itself
//!    blocks on anything (a notify: change the state, `wake()`, then notify);
//! 3. every thread that can wake a scenario thread is a scenario thread (spawned through the facade
//!    inside the watched scenario). A thread pool of another library (rayon, tokio) is invisible:
//!    do not record waits that only such a thread can end. (A wake such a thread has *already*
//!    given still counts — a resource remembers the scenario waiting on it — but one it will give
//!    later cannot be foreseen, so "everyone is blocked" would be a false proof.)
//! 4. anything else that ends a wait is a wake too: closing a channel or dropping its last sender
//!    ends a `recv`, so the code that closes calls `wake()`; a wait that can time out
//!    (`recv_timeout`, `wait_timeout`, SQLite's busy timeout) is not recorded at all.
//!
//! A thread that panics inside a recorded wait stops counting as waiting as soon as it unwinds out
//! of it, and `watch` re-raises a scenario's panic rather than calling what is left a deadlock.
//!
//! Locks need no tickets: [`Resource::lock`] records the wait and, once the lock is taken, the
//! holder — cleared by [`Resource::unlock`] before the release. A lock wait counts as blocked only
//! while someone holds the lock, which the registry knows exactly.
//!
//! Outside a watched scenario, and under loom, every call here is a no-op (one thread-local read).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use crate::trace;

pub use crate::trace::Step;

/// The bound for a gate in a real-thread scenario. Gates open in microseconds; this generous bound
/// only turns a mistake in a scenario into a clear panic instead of a hang.
pub const GATE_TIMEOUT: Duration = Duration::from_secs(10);

/// The watchdog's backstop: a watched scenario that neither finishes, nor is proven deadlocked,
/// nor says or records anything for this long is reported as
/// [`Outcome::Stalled`](crate::watchdog::Outcome::Stalled). No verdict relies on it; it only keeps
/// a wait nothing records from hanging a test.
pub const BACKSTOP: Duration = Duration::from_secs(10);

/// No watched scenario runs longer than this, however much it says.
pub const HARD_LIMIT: Duration = Duration::from_secs(60);

/// How long a gate sleeps between looks when nothing tells it about a change (a probe of state
/// nobody narrates, such as a lock's internal bits).
const LOOK_AGAIN: Duration = Duration::from_millis(2);

// ---------------------------------------------------------------------------------------------
// Gates

/// The gate: blocks until `ready()` is true, looking again at every change (a line said, a thread
/// blocked or woke) and every couple of milliseconds. Panics after [`GATE_TIMEOUT`] with
/// "gate: `what` never happened" — a gate that never opens is a mistake in the scenario. Real
/// threads only.
///
/// ```
/// use racelab_kit::{step, trace::{Step, traced}, wait};
///
/// const READY: Step = Step("is ready");
/// let ((), trace) = traced(|trace| {
///     step!(READY);
///     wait::until("main is ready", || trace.reached("main", READY, None));
/// });
/// assert_eq!(trace.lines()[0].text, "is ready");
/// ```
#[track_caller]
pub fn until(what: impl fmt::Display, ready: impl FnMut() -> bool) {
    assert!(
        until_timeout(GATE_TIMEOUT, ready),
        "gate: {what} never happened"
    );
}

/// Like [`until`], with a bound of your own; returns whether `ready()` became true in time.
pub fn until_timeout(timeout: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    let mut seen = 0;
    loop {
        if ready() {
            return true;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        trace::await_change(&mut seen, left.min(LOOK_AGAIN));
    }
}

// ---------------------------------------------------------------------------------------------
// The registry

thread_local! {
    static SCOPE: RefCell<Option<(Arc<Registry>, usize)>> = const { RefCell::new(None) };
}

/// One watched scenario's wait-for graph: its threads, what each waits on, who holds what.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    members: Vec<Member>,
    resources: HashMap<u64, Held>,
    /// Bumped on every change: the watchdog's backstop counts a change as progress.
    changes: u64,
}

#[derive(Debug)]
struct Member {
    name: String,
    live: bool,
    wait: Option<Waiting>,
}

#[derive(Debug, Clone)]
struct Waiting {
    resource: u64,
    name: String,
    kind: Kind,
    since: u64,
}

#[derive(Debug, Default)]
struct Held {
    holders: Vec<(usize, bool)>, // (member, exclusive)
    epoch: u64,
}

/// What kind of wait a thread is in, which decides when it counts as blocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Taking a lock (or a write lock) for itself: blocked while anyone holds it.
    Lock,
    /// Taking a read lock: blocked while a writer holds it — or, if the lock was tried first and
    /// refused (a writer queued), while nothing has been released since.
    Read {
        /// Whether a non-blocking attempt was refused after the ticket was taken.
        tried: bool,
    },
    /// Waiting to be woken (condition variable, latch, a queued job): blocked while nothing has
    /// woken the resource since the wait's ticket was taken.
    Signal,
    /// Waiting for a thread to finish: blocked while it runs.
    Join,
}

impl Registry {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the state, counts it as a change and tells waiting gates to look again.
    fn change<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let result = {
            let mut state = self.state();
            state.changes += 1;
            f(&mut state)
        };
        trace::changed();
        result
    }

    /// How many changes so far (the watchdog's notion of progress, beside the trace's length).
    pub(crate) fn changes(&self) -> u64 {
        self.state().changes
    }

    /// Adds a live member called `name`; returns its index.
    fn join_scope(&self, name: &str) -> usize {
        self.change(|s| {
            s.members.push(Member {
                name: name.to_string(),
                live: true,
                wait: None,
            });
            s.members.len() - 1
        })
    }

    fn leave_scope(&self, me: usize) {
        self.change(|s| {
            s.members[me].live = false;
            s.members[me].wait = None;
        });
    }
}

/// The current thread's scope, if it is inside a watched scenario.
fn scope() -> Option<(Arc<Registry>, usize)> {
    if trace::in_loom() {
        return None;
    }
    SCOPE.with(|s| s.borrow().clone())
}

/// A thread's place in a scope, made by the parent when it spawns (so a `join` right after the
/// spawn already sees the child as running) and entered by the child.
#[derive(Debug)]
pub(crate) struct Membership {
    registry: Arc<Registry>,
    me: usize,
}

impl Membership {
    /// Registers a child called `name` in the current thread's scope, if any.
    pub(crate) fn spawn(name: &str) -> Option<Membership> {
        let (registry, _) = scope()?;
        let me = registry.join_scope(name);
        Some(Membership { registry, me })
    }

    /// A fresh scope for a watched scenario, with `name` (its first thread) in it.
    pub(crate) fn new_scope(name: &str) -> (Arc<Registry>, Membership) {
        let registry = Arc::new(Registry::default());
        let me = registry.join_scope(name);
        (registry.clone(), Membership { registry, me })
    }

    /// The member, for `join`.
    pub(crate) fn member(&self) -> (Arc<Registry>, usize) {
        (self.registry.clone(), self.me)
    }

    /// Called first thing on the new thread: it is in the scope until the guard drops (when the
    /// thread's work returns or unwinds), which wakes anyone joining it.
    pub(crate) fn enter(self) -> Inside {
        let previous = SCOPE.with(|s| s.replace(Some((self.registry.clone(), self.me))));
        Inside {
            membership: self,
            previous,
        }
    }
}

/// A thread's stay in a scope; see [`Membership::enter`].
pub(crate) struct Inside {
    membership: Membership,
    previous: Option<(Arc<Registry>, usize)>,
}

impl Drop for Inside {
    fn drop(&mut self) {
        self.membership.registry.leave_scope(self.membership.me);
        let previous = self.previous.take();
        SCOPE.with(|s| *s.borrow_mut() = previous);
    }
}

/// Records that the current thread waits for member `target` (of `registry`) to finish while
/// `join` runs. Used by the facade's `handle.join()`.
pub(crate) fn joining<R>(target: Option<(Arc<Registry>, usize)>, join: impl FnOnce() -> R) -> R {
    let me = scope();
    let recorded = match (&me, &target) {
        (Some((mine, me)), Some((theirs, them))) if Arc::ptr_eq(mine, theirs) => mine.change(|s| {
            if !s.members[*them].live {
                return false;
            }
            s.members[*me].wait = Some(Waiting {
                resource: *them as u64,
                name: s.members[*them].name.clone(),
                kind: Kind::Join,
                since: 0,
            });
            true
        }),
        _ => false,
    };
    let _unwind = match (&me, recorded) {
        (Some((registry, me)), true) => Some(ClearOnUnwind { registry, me: *me }),
        _ => None,
    };
    let result = join();
    if recorded && let Some((registry, me)) = &me {
        registry.change(|s| s.members[*me].wait = None);
    }
    result
}

/// Clears a member's recorded wait if the blocking call it surrounds unwinds: a thread that
/// panicked inside a wait is no longer waiting, and must not read as blocked (a false "deadlock")
/// while the panic is on its way to being re-raised.
struct ClearOnUnwind<'a> {
    registry: &'a Registry,
    me: usize,
}

impl Drop for ClearOnUnwind<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.registry.change(|s| s.members[self.me].wait = None);
        }
    }
}

static NEXT_RESOURCE: AtomicU64 = AtomicU64::new(1);

/// Something threads wait on, named for the report: a lock, a condition, a latch, a queue's
/// jobs. See the module doc for how to record waits on it.
#[derive(Debug)]
pub struct Resource {
    id: AtomicU64, // 0 until first used, so `const fn` constructors work
    name: Cow<'static, str>,
    /// The scenario whose threads last waited on it: a wake from a thread outside that scenario
    /// (one not spawned through the facade) still counts there. A thread outside it that *will*
    /// wake a waiter later is invisible to the proofs all the same: that is rule 3.
    bound: Mutex<Weak<Registry>>,
}

/// A wait's starting point on a [`Resource`]: taken before anything could satisfy the wait; see
/// [`Resource::ticket`].
#[must_use = "a ticket records nothing until `wait` is called"]
#[derive(Debug)]
pub struct Ticket<'a> {
    resource: &'a Resource,
    since: Option<u64>,
    kind: Kind,
}

impl Resource {
    /// A resource called `name`.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Resource {
            id: AtomicU64::new(NEXT_RESOURCE.fetch_add(1, Ordering::Relaxed)),
            name: name.into(),
            bound: Mutex::new(Weak::new()),
        }
    }

    /// A resource called `name`, for `const` constructors (its identity is assigned on first use).
    pub const fn named(name: &'static str) -> Self {
        Resource {
            id: AtomicU64::new(0),
            name: Cow::Borrowed(name),
            bound: Mutex::new(Weak::new()),
        }
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn id(&self) -> u64 {
        let id = self.id.load(Ordering::Relaxed);
        if id != 0 {
            return id;
        }
        let fresh = NEXT_RESOURCE.fetch_add(1, Ordering::Relaxed);
        match self
            .id
            .compare_exchange(0, fresh, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => fresh,
            Err(assigned) => assigned,
        }
    }

    /// Remembers the scenario that waits on this resource (see `bound`).
    fn bind(&self, registry: &Arc<Registry>) {
        *self.bound.lock().unwrap_or_else(PoisonError::into_inner) = Arc::downgrade(registry);
    }

    fn record(&self, registry: &Arc<Registry>, me: usize, kind: Kind, since: u64) {
        let (id, name) = (self.id(), self.name.to_string());
        self.bind(registry);
        registry.change(|s| {
            s.members[me].wait = Some(Waiting {
                resource: id,
                name,
                kind,
                since,
            });
        });
    }

    fn epoch(&self, registry: &Arc<Registry>) -> u64 {
        self.bind(registry);
        registry
            .state()
            .resources
            .get(&self.id())
            .map_or(0, |held| held.epoch)
    }

    /// Takes the resource as a lock: records "waits for it" while `block` runs (blocked as long as
    /// someone holds it), then records the current thread as its exclusive holder. Pair with
    /// [`Resource::unlock`].
    pub fn lock<G>(&self, block: impl FnOnce() -> G) -> G {
        let Some((registry, me)) = scope() else {
            return block();
        };
        self.record(&registry, me, Kind::Lock, 0);
        let _unwind = ClearOnUnwind {
            registry: &registry,
            me,
        };
        let guard = block();
        self.hold(&registry, me, true);
        guard
    }

    /// Takes the resource as a read lock: tries `try_now` first (pass `|| None` if the lock has no
    /// non-blocking attempt); if refused, records "waits to read it" while `block` runs, then
    /// records the current thread as a shared holder. Pair with [`Resource::unlock`].
    pub fn read<G>(&self, try_now: impl FnOnce() -> Option<G>, block: impl FnOnce() -> G) -> G {
        let Some((registry, me)) = scope() else {
            return try_now().unwrap_or_else(block);
        };
        let since = self.epoch(&registry); // before the attempt: see the module doc
        let guard = match try_now() {
            Some(guard) => guard,
            None => {
                self.record(&registry, me, Kind::Read { tried: true }, since);
                let _unwind = ClearOnUnwind {
                    registry: &registry,
                    me,
                };
                block()
            }
        };
        self.hold(&registry, me, false);
        guard
    }

    /// Like [`Resource::read`] for a lock with no non-blocking attempt: the wait counts as blocked
    /// only while a writer holds the lock.
    pub fn read_untried<G>(&self, block: impl FnOnce() -> G) -> G {
        let Some((registry, me)) = scope() else {
            return block();
        };
        self.record(&registry, me, Kind::Read { tried: false }, 0);
        let _unwind = ClearOnUnwind {
            registry: &registry,
            me,
        };
        let guard = block();
        self.hold(&registry, me, false);
        guard
    }

    fn hold(&self, registry: &Registry, me: usize, exclusive: bool) {
        let id = self.id();
        registry.change(|s| {
            s.members[me].wait = None;
            s.resources
                .entry(id)
                .or_default()
                .holders
                .push((me, exclusive));
        });
    }

    /// Releases the resource as a lock: the current thread stops being a holder, `release` runs
    /// (drop the real guard in it), then the release counts as a wake-up for readers that were
    /// turned away.
    pub fn unlock<R>(&self, release: impl FnOnce() -> R) -> R {
        let Some((registry, me)) = scope() else {
            return release();
        };
        let id = self.id();
        registry.change(|s| {
            if let Some(held) = s.resources.get_mut(&id)
                && let Some(i) = held.holders.iter().position(|(m, _)| *m == me)
            {
                held.holders.remove(i);
            }
        });
        let result = release();
        self.wake();
        result
    }

    /// The start of a wait to be woken: take it before anything could satisfy the wait, then
    /// [`Ticket::wait`]. See the module doc for the rules.
    pub fn ticket(&self) -> Ticket<'_> {
        let since = scope().map(|(registry, _)| self.epoch(&registry));
        Ticket {
            resource: self,
            since,
            kind: Kind::Signal,
        }
    }

    /// Records that the current thread waits to be woken while `block` runs; the same as
    /// `self.ticket().wait(block)`, so only right for a wait whose condition was checked under the
    /// protection its waker uses (see the module doc).
    pub fn wait<R>(&self, block: impl FnOnce() -> R) -> R {
        self.ticket().wait(block)
    }

    /// Wakes the resource: every wait on it that began before now may end. Call after making the
    /// wait satisfiable (state changed, lock released, item sent) and before waking the waiter or
    /// blocking yourself.
    pub fn wake(&self) {
        let registry = match scope() {
            Some((registry, _)) => registry,
            // A waker outside any scenario (a rayon or tokio thread, a plain `thread::spawn`):
            // the wake still counts for the scenario whose threads wait on this resource.
            None => match self
                .bound
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .upgrade()
            {
                Some(registry) => registry,
                None => return,
            },
        };
        let id = self.id();
        registry.change(|s| s.resources.entry(id).or_default().epoch += 1);
    }
}

/// Receives from a channel whose senders call `resource.wake()` after each send, recording the
/// wait: the one correct order for a worker's "wait for the next job", written once.
///
/// The ticket is taken *before* the channel is looked at, so a message sent (and woken) after the
/// look ends the recorded wait, and one sent before it is taken without waiting — never a thread
/// that reads as blocked while a message sits in its channel (a false "everyone is blocked"). A
/// channel already closed returns `Err` at once; one closed while the receiver waits ends the wait
/// too, so whoever closes it should `wake()` the resource (rule 4).
///
/// ```
/// use std::sync::mpsc;
/// use racelab_kit::wait::{self, Resource};
///
/// let queued = Resource::new("q's next job");
/// let (tx, rx) = mpsc::channel();
/// tx.send("job").unwrap();
/// queued.wake(); // every send is followed by a wake
/// assert_eq!(wait::recv(&rx, &queued), Ok("job"));
/// drop(tx);
/// assert!(wait::recv(&rx, &queued).is_err());
/// ```
pub fn recv<T>(
    receiver: &std::sync::mpsc::Receiver<T>,
    resource: &Resource,
) -> Result<T, std::sync::mpsc::RecvError> {
    let ticket = resource.ticket();
    match receiver.try_recv() {
        Ok(message) => Ok(message),
        Err(std::sync::mpsc::TryRecvError::Empty) => ticket.wait(|| receiver.recv()),
        Err(std::sync::mpsc::TryRecvError::Disconnected) => Err(std::sync::mpsc::RecvError),
    }
}

impl Ticket<'_> {
    /// Records the current thread as waiting on the resource while `block` runs.
    pub fn wait<R>(self, block: impl FnOnce() -> R) -> R {
        let (Some((registry, me)), Some(since)) = (scope(), self.since) else {
            return block();
        };
        self.resource.record(&registry, me, self.kind, since);
        let _unwind = ClearOnUnwind {
            registry: &registry,
            me,
        };
        let result = block();
        registry.change(|s| s.members[me].wait = None);
        result
    }
}

// ---------------------------------------------------------------------------------------------
// What the registry knows, for gates

fn with_scope<R>(f: impl FnOnce(&State) -> R) -> R {
    let (registry, _) = scope().expect(
        "wait::blocked/holds look at the current watched scenario: call them from a thread \
         running under watchdog::watch",
    );
    let state = registry.state();
    f(&state)
}

fn live(state: &State, actor: &str) -> Option<usize> {
    state.members.iter().position(|m| m.live && m.name == actor)
}

/// Whether `actor` has reached `step` in the current thread's trace (see
/// [`step!`](crate::step)): `wait::until("T0 locks", || wait::reached("T0", LOCKS))`. False with
/// no trace installed.
pub fn reached(actor: &str, step: Step) -> bool {
    trace::current().is_some_and(|t| t.reached(actor, step, None))
}

/// Like [`reached`], on a subject: `wait::reached_on("T0", WANTS, "lock2")`.
pub fn reached_on(actor: &str, step: Step, subject: &str) -> bool {
    trace::current().is_some_and(|t| t.reached(actor, step, Some(subject)))
}

/// Whether `actor` (a live thread of the current watched scenario) is in a recorded wait it cannot
/// leave by itself right now: the lock it wants is held, nothing woke what it waits for. A gate's
/// "T1 is stuck": `wait::until("T1 blocks", || wait::blocked("T1"))`.
pub fn blocked(actor: &str) -> bool {
    with_scope(|s| live(s, actor).is_some_and(|m| is_blocked(s, m).is_some()))
}

/// Whether `actor` holds any lock recorded in the current watched scenario.
pub fn holds(actor: &str) -> bool {
    with_scope(|s| {
        live(s, actor).is_some_and(|m| {
            s.resources
                .values()
                .any(|held| held.holders.iter().any(|(h, _)| *h == m))
        })
    })
}

/// If member `m` is blocked, the members it waits for (empty for a signal wait).
fn is_blocked(s: &State, m: usize) -> Option<Vec<usize>> {
    let wait = s.members[m].wait.as_ref()?;
    let held = s.resources.get(&wait.resource);
    let holders = |exclusive_only: bool| -> Vec<usize> {
        held.map(|h| {
            h.holders
                .iter()
                .filter(|(_, ex)| *ex || !exclusive_only)
                .map(|(who, _)| *who)
                .collect()
        })
        .unwrap_or_default()
    };
    let epoch = held.map_or(0, |h| h.epoch);
    match wait.kind {
        Kind::Lock => Some(holders(false)).filter(|h| !h.is_empty()),
        Kind::Read { tried } => {
            let writers = holders(true);
            if !writers.is_empty() {
                Some(writers)
            } else if tried && epoch == wait.since {
                Some(Vec::new())
            } else {
                None
            }
        }
        Kind::Signal => (epoch == wait.since).then(Vec::new),
        Kind::Join => {
            let target = usize::try_from(wait.resource).ok()?;
            s.members[target].live.then(|| vec![target])
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The proof

/// One thread's recorded wait, as the proof reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    /// The waiting thread.
    pub actor: String,
    /// What it waits on (a lock, a condition, a thread).
    pub on: String,
    /// The kind of wait.
    pub kind: Kind,
    /// Who holds what it waits on (for a lock or a join), in the order they took it.
    pub held_by: Vec<String>,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let holders = self.held_by.join(" and ");
        match self.kind {
            Kind::Lock => write!(f, "{} waits for {} held by {holders}", self.actor, self.on),
            Kind::Read { .. } if !holders.is_empty() => {
                write!(
                    f,
                    "{} waits to read {} written by {holders}",
                    self.actor, self.on
                )
            }
            Kind::Read { .. } => {
                write!(
                    f,
                    "{} waits to read {} behind a queued writer",
                    self.actor, self.on
                )
            }
            Kind::Signal => write!(f, "{} waits for {}", self.actor, self.on),
            Kind::Join => write!(f, "{} waits for {} to finish", self.actor, self.on),
        }
    }
}

/// A proven deadlock: a cycle of waits, or every thread blocked with nothing left to wake any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadlock {
    /// The cycle, starting at its earliest-spawned thread: each waits for the next (empty if the
    /// proof is "everyone blocked" alone).
    pub cycle: Vec<Blocked>,
    /// Every live thread's wait, in spawn order, when every one of them is blocked (empty if the
    /// proof is the cycle alone).
    pub everyone: Vec<Blocked>,
}

impl Deadlock {
    /// The proof in one line: the cycle if there is one, otherwise who waits on what.
    pub fn summary(&self) -> String {
        let waits = if self.cycle.is_empty() {
            &self.everyone
        } else {
            &self.cycle
        };
        waits
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl fmt::Display for Deadlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

impl Registry {
    /// Looks for a proof; `None` if there is none right now.
    pub(crate) fn prove(&self) -> Option<Deadlock> {
        let s = self.state();
        let n = s.members.len();
        let blocked: Vec<Option<Vec<usize>>> = (0..n)
            .map(|m| {
                if s.members[m].live {
                    is_blocked(&s, m)
                } else {
                    None
                }
            })
            .collect();
        let describe = |m: usize| -> Blocked {
            let wait = s.members[m].wait.as_ref().expect("blocked members wait");
            Blocked {
                actor: s.members[m].name.clone(),
                on: wait.name.clone(),
                kind: wait.kind,
                held_by: blocked[m]
                    .iter()
                    .flatten()
                    .map(|h| s.members[*h].name.clone())
                    .collect(),
            }
        };
        let cycle = find_cycle(&blocked)
            .into_iter()
            .map(describe)
            .collect::<Vec<_>>();
        let live: Vec<usize> = (0..n).filter(|m| s.members[*m].live).collect();
        let everyone = if !live.is_empty() && live.iter().all(|m| blocked[*m].is_some()) {
            live.into_iter().map(describe).collect()
        } else {
            Vec::new()
        };
        (!cycle.is_empty() || !everyone.is_empty()).then_some(Deadlock { cycle, everyone })
    }
}

/// A cycle in "m waits for each of edges[m]", among blocked members; rotated to start at its
/// smallest member, following the edges.
fn find_cycle(edges: &[Option<Vec<usize>>]) -> Vec<usize> {
    for start in 0..edges.len() {
        // Follow first edges from `start`; a walk that comes back to `start` is a cycle.
        let mut path = vec![start];
        let mut at = start;
        while let Some(Some(next)) = edges.get(at).map(|e| e.as_ref().and_then(|e| e.first())) {
            if *next == start {
                return path;
            }
            if path.contains(next) || *next < start {
                break; // a cycle not through `start`: found from its own smallest member
            }
            path.push(*next);
            at = *next;
        }
    }
    Vec::new()
}
