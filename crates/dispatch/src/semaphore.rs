//! `DispatchSemaphore`: a counting semaphore — `n` permits; `wait` takes one (blocking while there
//! are none), `signal` gives one back. GCD's `DispatchSemaphore`, hand-written because *how* it is
//! built is the lesson.
//!
//! * [`DispatchSemaphore::new`]`(n)` starts with `n` permits; `new(0)` makes a signal ("wait until
//!   someone says go"), `new(1)` a lock without an owner, `new(k)` a width limit: at most `k` at a
//!   time (demo Q4, `thread_explosion`).
//! * [`DispatchSemaphore::wait`] blocks until a permit is free and takes it;
//!   [`DispatchSemaphore::wait_timeout`] gives up with [`TimedOut`]
//!   (`semaphore.wait(timeout:)`); [`DispatchSemaphore::try_wait`] never blocks.
//! * [`DispatchSemaphore::signal`] returns a permit and wakes one waiter.
//! * [`DispatchSemaphore::acquire`] is the Rust way to use it: it waits and returns a [`Permit`]
//!   that signals when dropped — on every path out, panics included — so a permit can be neither
//!   forgotten nor returned twice. [`DispatchSemaphore::acquire_owned`] returns an
//!   [`OwnedPermit`] that can move to another thread (the job that does the work).
//!
//! ## How it is built
//!
//! A `Mutex<usize>` (the free permits) and a `Condvar` that `signal` pokes: `wait` sleeps on the
//! condvar *in a loop* while the count is zero, because a wake-up is a hint, not a promise — another
//! thread may take the permit first, and condvars may wake spuriously. It is written once, generic
//! over the kit's [`Primitives`], so `tests/demos/semaphore.rs` checks
//! the logic under loom (no lost wake-up, no two holders of one permit); `wait_timeout` exists on
//! real threads only (loom does not model time).
//!
//! Unlike GCD's, this semaphore has no fast path (GCD's counts with an atomic and only goes to the
//! kernel when it must wait), and no check that every permit came back (GCD crashes when a
//! semaphore is freed with fewer permits than it started with). Like GCD's, it has no owner: any
//! thread may `signal`, which is why a semaphore used as a lock gets no priority donation.
//!
//! ## What a professional uses
//!
//! In async Rust, [`tokio::sync::Semaphore`](https://docs.rs/tokio/latest/tokio/sync/struct.Semaphore.html)
//! (`acquire().await` → a permit guard, `acquire_owned` for spawned tasks); it is fair (FIFO), and
//! it does not block a thread while it waits. For "at most `k` blocking jobs at a time" on threads,
//! usually no semaphore at all: a bounded pool (`rayon::ThreadPoolBuilder::num_threads(k)`, or `k`
//! workers on a bounded channel) — the limit is the number of threads, and the queue in front of
//! them is the backpressure.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use racelab_kit::sync::{CondvarApi, MutexApi, Primitives, Std, lock_unpoisoned};

pub use crate::group::TimedOut;

/// A counting semaphore. Share it with `Arc` (or by reference).
pub struct DispatchSemaphore<P: Primitives = Std> {
    permits: P::Mutex<usize>,
    freed: P::Condvar,
}

impl<P: Primitives> fmt::Debug for DispatchSemaphore<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DispatchSemaphore")
            .field("permits", &self.available())
            .finish()
    }
}

impl DispatchSemaphore<Std> {
    /// A semaphore with `permits` free permits, on real threads.
    pub fn new(permits: usize) -> Self {
        Self::new_in(permits)
    }
}

impl<P: Primitives> DispatchSemaphore<P> {
    /// A semaphore with `permits` free permits in world `P` (`new_in` with `Loom` in a model).
    pub fn new_in(permits: usize) -> Self {
        DispatchSemaphore {
            permits: MutexApi::new(permits),
            freed: CondvarApi::new(),
        }
    }

    // ANCHOR: wait_signal
    /// Takes a permit, blocking while there is none.
    pub fn wait(&self) {
        let mut permits = self.permits.lock();
        while *permits == 0 {
            // Loop: a wake-up only says "look again" — someone may have taken it first.
            permits = self.freed.wait(permits);
        }
        *permits -= 1;
    }

    /// Returns a permit and wakes one waiter, if any.
    pub fn signal(&self) {
        *self.permits.lock() += 1;
        self.freed.notify_one();
    }
    // ANCHOR_END: wait_signal

    /// Takes a permit if one is free, without blocking; returns whether it did.
    pub fn try_wait(&self) -> bool {
        let mut permits = self.permits.lock();
        if *permits == 0 {
            return false;
        }
        *permits -= 1;
        true
    }

    /// How many permits are free right now (a snapshot).
    pub fn available(&self) -> usize {
        *self.permits.lock()
    }

    /// Waits for a permit and returns it as a guard that signals when dropped.
    pub fn acquire(&self) -> Permit<'_, P> {
        self.wait();
        Permit { semaphore: self }
    }

    /// Like [`DispatchSemaphore::acquire`], but the permit owns a handle to the semaphore, so it
    /// can move into another thread's job.
    pub fn acquire_owned(self: &Arc<Self>) -> OwnedPermit<P> {
        self.wait();
        OwnedPermit {
            semaphore: self.clone(),
        }
    }
}

impl DispatchSemaphore<Std> {
    /// Takes a permit, waiting at most `timeout` for one: `Err(TimedOut)` if none came. Real
    /// threads only: loom has no clock.
    pub fn wait_timeout(&self, timeout: Duration) -> Result<(), TimedOut> {
        let deadline = Instant::now() + timeout;
        let mut permits = lock_unpoisoned(&self.permits);
        while *permits == 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(TimedOut);
            }
            permits = self
                .freed
                .wait_timeout(permits, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        *permits -= 1;
        Ok(())
    }
}

/// A permit of a [`DispatchSemaphore`]; signals when dropped.
#[must_use = "the permit is returned as soon as this guard is dropped"]
pub struct Permit<'a, P: Primitives = Std> {
    semaphore: &'a DispatchSemaphore<P>,
}

impl<P: Primitives> fmt::Debug for Permit<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").finish_non_exhaustive()
    }
}

impl<P: Primitives> Drop for Permit<'_, P> {
    fn drop(&mut self) {
        self.semaphore.signal();
    }
}

/// A permit that owns a handle to its semaphore, so it can move to another thread; signals when
/// dropped. From [`DispatchSemaphore::acquire_owned`].
#[must_use = "the permit is returned as soon as this guard is dropped"]
pub struct OwnedPermit<P: Primitives = Std> {
    semaphore: Arc<DispatchSemaphore<P>>,
}

impl<P: Primitives> fmt::Debug for OwnedPermit<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedPermit").finish_non_exhaustive()
    }
}

impl<P: Primitives> Drop for OwnedPermit<P> {
    fn drop(&mut self) {
        self.semaphore.signal();
    }
}
