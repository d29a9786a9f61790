//! One demo, two worlds: the [`Primitives`] facade.
//!
//! Every racelab demo is written once, generic over `P: Primitives`, and then run in two worlds:
//!
//! * [`Std`] — the real `std::sync` types on real OS threads. This is what the demos and the
//!   benchmarks run, and what you would ship.
//! * [`Loom`] — loom's model-checked look-alikes. Under [`explore`](crate::explore::explore) loom
//!   re-runs the code once for every interleaving the threads could take, so a race that happens
//!   once in a million real runs happens here on a known, replayable schedule.
//! * `Shuttle` (kit feature `shuttle`, off by default) — shuttle's look-alikes, for comparing tools:
//!   random schedules from a seed instead of every schedule (see `races::detectors`).
//!
//! The facade is deliberately small — the primitives the guide's examples need and nothing else —
//! and its method names are the std ones, so demo code reads like ordinary Rust:
//! `counter.load(Relaxed)`, `items.lock()`, `not_empty.wait(guard)`.
//!
//! Two loom details the facade hides so that no demo trips over them:
//! * Locks never return `Result`: a poisoned lock hands back its data (as parking_lot does), because
//!   a panic in a demo is already the finding and should not cascade.
//! * `SeqCst` means sequentially consistent. loom models a `SeqCst` access as merely
//!   acquire/release, so it would let a thread read a value another `SeqCst` store has already
//!   replaced — an outcome real `SeqCst` forbids. In the [`Loom`] world every `SeqCst` access is
//!   therefore wrapped in `fence(SeqCst)` on both sides, which restores the one total order. (Fences
//!   order slightly more than `SeqCst` accesses do, so use `SeqCst` in a model only where it is the
//!   point; the weak-ordering demos use `Relaxed`/`Acquire`/`Release`, which loom models exactly.)
//! * There is no facade `Arc`: share with `std::sync::Arc`. loom's `Arc` checks for leaks when an
//!   execution ends, and a thread left blocked by a deadlock still holds its `Arc` — loom then panics
//!   while panicking and aborts the whole test binary.

use std::ops::{Deref, DerefMut};
pub use std::sync::atomic::Ordering;

/// One `use` for lesson code: `use racelab_kit::sync::prelude::*;` brings the world trait and the
/// method traits, so `P::Mutex::new(0)`, `counter.load(SeqCst)`, `items.lock()` and `thread.join()`
/// read as they do with `std`.
pub mod prelude {
    pub use super::Ordering::{self, Acquire, Relaxed, Release, SeqCst};
    pub use super::{
        AtomicBoolApi, AtomicUsizeApi, CondvarApi, JoinApi, Loom, MutexApi, Primitives, RwLockApi,
        Std,
    };
}

/// Locks a `std` mutex, and takes its data even if a panicking thread poisoned it.
///
/// Racelab's rule for every lock (the facade's `lock` does the same, see the module doc): a panic
/// in a demo thread is already the finding, and must not turn every later `lock()` into a second,
/// misleading panic — a narration, a queue's bookkeeping or a gauge behind a poisoned lock is still
/// the best account of what happened. For the plain `std::sync::Mutex`es that library code and
/// harnesses keep outside the facade, this is the one way to say it (instead of
/// `.lock().unwrap_or_else(|p| p.into_inner())` at every call).
pub fn lock_unpoisoned<T: ?Sized>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The world a demo runs in: real threads ([`Std`]) or loom's model checker ([`Loom`]).
pub trait Primitives: Sized + Send + Sync + 'static {
    /// How reports name this world.
    const WORLD: &'static str;
    /// Whether this world is a model checker's (loom, shuttle) rather than real threads: code that
    /// may only run on real threads (spinning, timeouts, gates) asks this instead of comparing names.
    const IS_MODEL: bool;
    /// `AtomicUsize`.
    type AtomicUsize: AtomicUsizeApi;
    /// `AtomicBool`.
    type AtomicBool: AtomicBoolApi;
    /// `Mutex<T>`: shareable between threads when `T` can be sent, as in std.
    type Mutex<T: Send>: MutexApi<T> + Send + Sync;
    /// `RwLock<T>`: shareable between threads when `T` is `Send + Sync`, as in std.
    type RwLock<T: Send + Sync>: RwLockApi<T> + Send + Sync;
    /// `Condvar`, which waits with this world's mutex guards.
    type Condvar: CondvarApi<Self>;
    /// What [`Primitives::spawn`] returns.
    type JoinHandle<T>: JoinApi<T>;

    /// Spawns a thread whose trace lines are signed `name` (see [`crate::trace`]).
    fn spawn<T, F>(name: &str, f: F) -> Self::JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static;
}

/// The methods of `AtomicUsize` the demos use.
pub trait AtomicUsizeApi: Send + Sync + 'static {
    /// `AtomicUsize::new`.
    fn new(v: usize) -> Self;
    /// `AtomicUsize::load`.
    fn load(&self, order: Ordering) -> usize;
    /// `AtomicUsize::store`.
    fn store(&self, v: usize, order: Ordering);
    /// `AtomicUsize::fetch_add`.
    fn fetch_add(&self, v: usize, order: Ordering) -> usize;
}

/// The methods of `AtomicBool` the demos use.
pub trait AtomicBoolApi: Send + Sync + 'static {
    /// `AtomicBool::new`.
    fn new(v: bool) -> Self;
    /// `AtomicBool::load`.
    fn load(&self, order: Ordering) -> bool;
    /// `AtomicBool::store`.
    fn store(&self, v: bool, order: Ordering);
}

/// A mutex whose `lock` returns the guard directly (a poisoned lock still hands back its data).
pub trait MutexApi<T> {
    /// The guard `lock` returns.
    type Guard<'a>: DerefMut<Target = T>
    where
        Self: 'a;
    /// `Mutex::new`.
    fn new(value: T) -> Self;
    /// `Mutex::lock`.
    fn lock(&self) -> Self::Guard<'_>;
    /// `Mutex::into_inner`.
    fn into_inner(self) -> T;
}

/// A reader-writer lock whose `read`/`write` return guards directly.
pub trait RwLockApi<T> {
    /// The shared guard.
    type ReadGuard<'a>: Deref<Target = T>
    where
        Self: 'a;
    /// The exclusive guard.
    type WriteGuard<'a>: DerefMut<Target = T>
    where
        Self: 'a;
    /// `RwLock::new`.
    fn new(value: T) -> Self;
    /// `RwLock::read`.
    fn read(&self) -> Self::ReadGuard<'_>;
    /// `RwLock::write`.
    fn write(&self) -> Self::WriteGuard<'_>;
}

/// The guard type of world `P`'s `Mutex<T>`.
pub type GuardOf<'a, P, T> = <<P as Primitives>::Mutex<T> as MutexApi<T>>::Guard<'a>;

/// A condition variable that waits with world `P`'s mutex guards.
pub trait CondvarApi<P: Primitives>: Send + Sync + 'static {
    /// `Condvar::new`.
    fn new() -> Self;
    /// `Condvar::wait`: releases the guard's lock while it sleeps, re-takes it before returning.
    fn wait<'a, T: Send + 'a>(&self, guard: GuardOf<'a, P, T>) -> GuardOf<'a, P, T>;
    /// `Condvar::notify_one`.
    fn notify_one(&self);
    /// `Condvar::notify_all`.
    fn notify_all(&self);
}

/// A thread's join handle; `join` re-raises the thread's panic, message intact.
pub trait JoinApi<T> {
    /// Waits for the thread and returns its result.
    fn join(self) -> T;
}

/// What [`Primitives::spawn`] returns in either world: `join()` gives the thread's result (and
/// re-raises its panic), so `Std::spawn(…).join()` and `P::spawn(…).join()` read the same.
///
/// On real threads inside a watched scenario, `join()` is a recorded wait ("main waits for T0 to
/// finish"), so the [`watchdog`](crate::watchdog) can prove a deadlock through it.
#[derive(Debug)]
pub struct Joined<H>(H, Option<(std::sync::Arc<crate::wait::Registry>, usize)>);

impl<T> Joined<std::thread::JoinHandle<T>> {
    /// The real thread's handle (its id, its name).
    pub fn thread(&self) -> &std::thread::Thread {
        self.0.thread()
    }
}

/// Real threads and the real `std::sync` types.
#[derive(Debug, Clone, Copy)]
pub struct Std;

/// loom's model-checked types; only meaningful inside [`explore`](crate::explore::explore).
#[derive(Debug, Clone, Copy)]
pub struct Loom;

/// shuttle's scheduler-controlled types (kit feature `shuttle`, dev-only in racelab); only meaningful
/// inside `shuttle::check_random` and friends. shuttle runs every thread on one OS thread and picks
/// who runs next at random from a seed, so a failing schedule replays exactly. It treats every atomic
/// as `SeqCst` (it cannot show weak-memory bugs) and it does not narrate: run it without a trace
/// installed (thread names in a trace would be wrong, as all its threads share one OS thread).
#[cfg(feature = "shuttle")]
#[derive(Debug, Clone, Copy)]
pub struct Shuttle;

/// Implements the facade for a module tree shaped like `std` (`std` itself, `loom`, or `shuttle`).
macro_rules! world {
    ($world:ty, $name:literal, $root:ident, model: $model:literal, fence_seq_cst: $fence_sc:literal) => {
        /// Runs `op`; in a world that needs it, between two `SeqCst` fences when `order` is `SeqCst`.
        fn seq_cst<R>(order: Ordering, op: impl FnOnce() -> R) -> R {
            let fence = $fence_sc && order == Ordering::SeqCst;
            if fence {
                $root::sync::atomic::fence(Ordering::SeqCst);
            }
            let result = op();
            if fence {
                $root::sync::atomic::fence(Ordering::SeqCst);
            }
            result
        }

        impl AtomicUsizeApi for $root::sync::atomic::AtomicUsize {
            fn new(v: usize) -> Self {
                Self::new(v)
            }
            fn load(&self, order: Ordering) -> usize {
                seq_cst(order, || self.load(order))
            }
            fn store(&self, v: usize, order: Ordering) {
                seq_cst(order, || self.store(v, order))
            }
            fn fetch_add(&self, v: usize, order: Ordering) -> usize {
                seq_cst(order, || self.fetch_add(v, order))
            }
        }

        impl AtomicBoolApi for $root::sync::atomic::AtomicBool {
            fn new(v: bool) -> Self {
                Self::new(v)
            }
            fn load(&self, order: Ordering) -> bool {
                seq_cst(order, || self.load(order))
            }
            fn store(&self, v: bool, order: Ordering) {
                seq_cst(order, || self.store(v, order))
            }
        }

        impl<T> MutexApi<T> for $root::sync::Mutex<T> {
            type Guard<'a>
                = $root::sync::MutexGuard<'a, T>
            where
                T: 'a;
            fn new(value: T) -> Self {
                Self::new(value)
            }
            fn lock(&self) -> Self::Guard<'_> {
                self.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
            }
            fn into_inner(self) -> T {
                self.into_inner()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
            }
        }

        impl<T> RwLockApi<T> for $root::sync::RwLock<T> {
            type ReadGuard<'a>
                = $root::sync::RwLockReadGuard<'a, T>
            where
                T: 'a;
            type WriteGuard<'a>
                = $root::sync::RwLockWriteGuard<'a, T>
            where
                T: 'a;
            fn new(value: T) -> Self {
                Self::new(value)
            }
            fn read(&self) -> Self::ReadGuard<'_> {
                self.read().unwrap_or_else(|poisoned| poisoned.into_inner())
            }
            fn write(&self) -> Self::WriteGuard<'_> {
                self.write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
            }
        }

        impl CondvarApi<$world> for $root::sync::Condvar {
            fn new() -> Self {
                Self::new()
            }
            fn wait<'a, T: Send + 'a>(
                &self,
                guard: $root::sync::MutexGuard<'a, T>,
            ) -> $root::sync::MutexGuard<'a, T> {
                self.wait(guard)
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
            }
            fn notify_one(&self) {
                self.notify_one()
            }
            fn notify_all(&self) {
                self.notify_all()
            }
        }

        impl<T> Joined<$root::thread::JoinHandle<T>> {
            /// Waits for the thread and returns its result, re-raising its panic.
            pub fn join(self) -> T {
                match crate::wait::joining(self.1, || self.0.join()) {
                    Ok(value) => value,
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        }

        impl<T> JoinApi<T> for Joined<$root::thread::JoinHandle<T>> {
            fn join(self) -> T {
                self.join()
            }
        }

        impl Primitives for $world {
            const WORLD: &'static str = $name;
            const IS_MODEL: bool = $model;
            type AtomicUsize = $root::sync::atomic::AtomicUsize;
            type AtomicBool = $root::sync::atomic::AtomicBool;
            type Mutex<T: Send> = $root::sync::Mutex<T>;
            type RwLock<T: Send + Sync> = $root::sync::RwLock<T>;
            type Condvar = $root::sync::Condvar;
            type JoinHandle<T> = Joined<$root::thread::JoinHandle<T>>;

            fn spawn<T, F>(name: &str, f: F) -> Self::JoinHandle<T>
            where
                F: FnOnce() -> T + Send + 'static,
                T: Send + 'static,
            {
                let inherit = crate::trace::Inherit::capture(name);
                let member = crate::wait::Membership::spawn(name);
                let joined = member.as_ref().map(crate::wait::Membership::member);
                Joined(
                    $root::thread::Builder::new()
                        .name(name.to_string())
                        .spawn(move || {
                            let _signed = inherit.enter();
                            let _inside = member.map(crate::wait::Membership::enter);
                            f()
                        })
                        .expect("spawn a thread"),
                    joined,
                )
            }
        }
    };
}

mod std_world {
    use super::*;
    world!(Std, "real threads", std, model: false, fence_seq_cst: false);
}
mod loom_world {
    use super::*;
    world!(Loom, "loom", loom, model: true, fence_seq_cst: true);
}
#[cfg(feature = "shuttle")]
mod shuttle_world {
    use super::*;
    // shuttle already treats every atomic access as SeqCst, so no fences are needed.
    world!(Shuttle, "shuttle", shuttle, model: true, fence_seq_cst: false);
}
