//! Locks that narrate and record: who wants a lock, who holds it, who let it go — and, for the
//! [`watchdog`](crate::watchdog), who waits on what.
//!
//! Deadlock demos need to say "which lock each thread waits on". A [`NamedMutex`] wraps a world's
//! mutex (real or loom), remembers its holder, and says so on every step:
//!
//! ```text
//!  5  T0  wants B (held by T1)
//!  6  T1  wants A (held by T0)
//! ```
//!
//! Each of those lines marks a [`Step`] ([`WANTS`], [`LOCKS`], [`UNLOCKS`]) on the lock's name, so
//! a gate waits for the step — `trace.reached("T0", LOCKS, Some("A"))` — not for the words.
//!
//! "wants" is said before every attempt, held or not: under loom a thread can be switched out
//! between looking at the holder and blocking, so only "wants" before and "locks" after are
//! always true. The holder is updated with no loom operation in between, so at every point where
//! loom may switch threads it is exact.
//!
//! On real threads inside a watched scenario every wait is also recorded in the wait-for registry
//! ([`crate::wait`]), which is how the watchdog proves "T0 waits for B held by T1; T1 waits for A
//! held by T0" instead of timing out. [`NamedRwLock`] and [`NamedCondvar`] record the same way for
//! the facade's `RwLock` and `Condvar`, without narrating (their lessons narrate in their own
//! words). Under loom all three are the plain facade types: loom proves deadlocks itself.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Mutex as StdMutex;

use crate::step;
use crate::sync::{CondvarApi, GuardOf, MutexApi, Primitives, RwLockApi, lock_unpoisoned};
use crate::trace::{Step, current_actor};
use crate::wait::Resource;

/// "wants X": said before every attempt to take lock X (with "(held by T1)" when it is held).
pub const WANTS: Step = Step("wants");
/// "locks X": said once X is taken.
pub const LOCKS: Step = Step("locks");
/// "unlocks X": said just before X is released.
pub const UNLOCKS: Step = Step("unlocks");

/// A mutex with a name, whose lock and unlock are narrated into the current trace.
pub struct NamedMutex<P: Primitives, T: Send> {
    name: &'static str,
    inner: P::Mutex<T>,
    holder: StdMutex<Option<String>>,
    resource: Resource,
}

impl<P: Primitives, T: Send> NamedMutex<P, T> {
    /// A new unlocked mutex called `name`.
    pub fn new(name: &'static str, value: T) -> Self {
        NamedMutex {
            name,
            inner: P::Mutex::new(value),
            holder: StdMutex::new(None),
            resource: Resource::named(name),
        }
    }

    /// The lock's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Who holds it right now, if anyone.
    pub fn holder(&self) -> Option<String> {
        lock_unpoisoned(&self.holder).clone()
    }

    /// Locks it, saying "wants X" before and "locks X" after.
    pub fn lock(&self) -> NamedGuard<'_, P, T> {
        match self.holder() {
            Some(holder) => step!(WANTS, on self.name, " (held by {holder})"),
            None => step!(WANTS, on self.name),
        }
        let guard = self.resource.lock(|| self.inner.lock());
        *lock_unpoisoned(&self.holder) = Some(current_actor());
        step!(LOCKS, on self.name);
        NamedGuard {
            lock: self,
            guard: Some(guard),
        }
    }
}

impl<P: Primitives, T: Send> fmt::Debug for NamedMutex<P, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedMutex")
            .field("name", &self.name)
            .field("holder", &self.holder())
            .finish_non_exhaustive()
    }
}

/// The guard of a [`NamedMutex`]; says "unlocks X" when dropped.
pub struct NamedGuard<'a, P: Primitives, T: Send + 'a> {
    lock: &'a NamedMutex<P, T>,
    guard: Option<<P::Mutex<T> as MutexApi<T>>::Guard<'a>>,
}

impl<P: Primitives, T: Send> Deref for NamedGuard<'_, P, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.guard.as_ref().expect("guard is present until drop")
    }
}

impl<P: Primitives, T: Send> DerefMut for NamedGuard<'_, P, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.guard.as_mut().expect("guard is present until drop")
    }
}

impl<P: Primitives, T: Send> Drop for NamedGuard<'_, P, T> {
    fn drop(&mut self) {
        // Clear the holder, then say it, both *before* releasing: the next holder's "locks" comes
        // after, and a thread let go by a gate on "unlocks X" finds X's holder already cleared.
        *lock_unpoisoned(&self.lock.holder) = None;
        step!(UNLOCKS, on self.lock.name);
        let guard = self.guard.take();
        self.lock.resource.unlock(|| drop(guard));
    }
}

/// The facade's `RwLock` with a name, whose waits are recorded for the watchdog: a writer waits
/// "for X held by A", a reader "to read X written by B". It narrates nothing.
pub struct NamedRwLock<P: Primitives, T: Send + Sync> {
    inner: P::RwLock<T>,
    resource: Resource,
}

impl<P: Primitives, T: Send + Sync> NamedRwLock<P, T> {
    /// A new unlocked reader-writer lock called `name`.
    pub fn new(name: &'static str, value: T) -> Self {
        NamedRwLock {
            inner: P::RwLock::new(value),
            resource: Resource::named(name),
        }
    }

    /// `RwLock::read`, recorded.
    pub fn read(&self) -> Held<'_, <P::RwLock<T> as RwLockApi<T>>::ReadGuard<'_>> {
        let guard = self.resource.read_untried(|| self.inner.read());
        Held {
            resource: &self.resource,
            guard: Some(guard),
        }
    }

    /// `RwLock::write`, recorded.
    pub fn write(&self) -> Held<'_, <P::RwLock<T> as RwLockApi<T>>::WriteGuard<'_>> {
        let guard = self.resource.lock(|| self.inner.write());
        Held {
            resource: &self.resource,
            guard: Some(guard),
        }
    }
}

/// A guard of a recorded lock ([`NamedRwLock`]): derefs to the real guard's target, and records
/// the release when dropped.
pub struct Held<'a, G> {
    resource: &'a Resource,
    guard: Option<G>,
}

impl<G: Deref> Deref for Held<'_, G> {
    type Target = G::Target;
    fn deref(&self) -> &G::Target {
        self.guard.as_ref().expect("guard is present until drop")
    }
}

impl<G: DerefMut> DerefMut for Held<'_, G> {
    fn deref_mut(&mut self) -> &mut G::Target {
        self.guard.as_mut().expect("guard is present until drop")
    }
}

impl<G> Drop for Held<'_, G> {
    fn drop(&mut self) {
        let guard = self.guard.take();
        self.resource.unlock(|| drop(guard));
    }
}

/// The facade's `Condvar` with a name, whose waits are recorded for the watchdog ("consumer waits
/// for not_empty"). It narrates nothing.
///
/// Use it the usual way — check the condition under the mutex in a `while` loop, `wait` with the
/// guard — and notify after changing the state: then "nothing notified it since it began to wait"
/// is a proof that the waiter can never leave (see [`crate::wait`]).
pub struct NamedCondvar<P: Primitives> {
    inner: P::Condvar,
    resource: Resource,
}

impl<P: Primitives> NamedCondvar<P> {
    /// A new condition variable called `name`.
    pub fn new(name: &'static str) -> Self {
        NamedCondvar {
            inner: P::Condvar::new(),
            resource: Resource::named(name),
        }
    }

    /// `Condvar::wait`, recorded: the ticket is taken while the caller still holds the mutex.
    pub fn wait<'a, T: Send + 'a>(&self, guard: GuardOf<'a, P, T>) -> GuardOf<'a, P, T> {
        self.resource.ticket().wait(|| self.inner.wait(guard))
    }

    /// `Condvar::notify_one`, recorded as a wake-up first.
    pub fn notify_one(&self) {
        self.resource.wake();
        self.inner.notify_one();
    }

    /// `Condvar::notify_all`, recorded as a wake-up first.
    pub fn notify_all(&self) {
        self.resource.wake();
        self.inner.notify_all();
    }
}
