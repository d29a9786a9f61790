//! Locks that narrate: who wants a lock, who holds it, who let it go.
//!
//! Deadlock demos need to say "which lock each thread waits on". A [`NamedMutex`] wraps a world's
//! mutex (real or loom), remembers its holder, and says so on every step:
//!
//! ```text
//!  5  T0  wants B (held by T1)
//!  6  T1  wants A (held by T0)
//! ```
//!
//! "wants" is said before every attempt, held or not: under loom a thread can be switched out
//! between looking at the holder and blocking, so only "wants" before and "locks" after are
//! always true. The holder is updated with no loom operation in between, so at every point where
//! loom may switch threads it is exact.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Mutex as StdMutex;

use crate::say;
use crate::sync::{MutexApi, Primitives, lock_unpoisoned};
use crate::trace::current_actor;

/// A mutex with a name, whose lock and unlock are narrated into the current trace.
pub struct NamedMutex<P: Primitives, T: Send> {
    name: &'static str,
    inner: P::Mutex<T>,
    holder: StdMutex<Option<String>>,
}

impl<P: Primitives, T: Send> NamedMutex<P, T> {
    /// A new unlocked mutex called `name`.
    pub fn new(name: &'static str, value: T) -> Self {
        NamedMutex {
            name,
            inner: P::Mutex::new(value),
            holder: StdMutex::new(None),
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
            Some(holder) => say!("wants {} (held by {holder})", self.name),
            None => say!("wants {}", self.name),
        }
        let guard = self.inner.lock();
        *lock_unpoisoned(&self.holder) = Some(current_actor());
        say!("locks {}", self.name);
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
        // Say it and clear the holder *before* releasing, so the next holder's "locks" comes after.
        say!("unlocks {}", self.lock.name);
        *lock_unpoisoned(&self.lock.holder) = None;
        drop(self.guard.take());
    }
}
