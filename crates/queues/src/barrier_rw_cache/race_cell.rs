//! `RaceCell`: state that only a queue's discipline protects — and a cell that *says so* when the
//! discipline fails, instead of racing.
//!
//! The guide's `ThreadSafeCache` keeps a plain `var cache: [String: Any]` and relies on the
//! concurrent queue alone: reads run side by side, a write runs as a barrier, alone. Ported
//! literally that would be an `UnsafeCell` with an `unsafe impl Sync` — and the broken twin, where
//! the barrier is ignored, would be undefined behaviour. This cell keeps the port safe and the bug
//! visible: it holds the data in a std `RwLock` but never *waits* for it first. A read or write
//! that finds the other kind in progress — exactly what would be a data race in Swift — is counted
//! and narrated ("a data race"), and only then waits for the lock, so memory stays sound and the
//! scenario carries on. Under a working barrier discipline the `try_` calls always succeed and the
//! cell never blocks.
//!
//! [`RaceCell::hold_reads`] is the scenario's gate: every read keeps its read guard while the
//! hook runs, so a test can hold a read open until a write has had its chance to overlap it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};

use racelab_kit::say;

type Hook = Box<dyn Fn(&AtomicUsize) + Send + Sync>;

/// A value shared by a queue's jobs, which counts every read/write overlap.
pub struct RaceCell<T> {
    value: RwLock<T>,
    races: AtomicUsize,
    hold: Mutex<Option<std::sync::Arc<Hook>>>,
}

impl<T> RaceCell<T> {
    /// A cell holding `value`.
    pub fn new(value: T) -> Self {
        RaceCell {
            value: RwLock::new(value),
            races: AtomicUsize::new(0),
            hold: Mutex::new(None),
        }
    }

    /// Runs `f` on the value, shared with other readers. Then, still reading, runs the hold hook.
    pub fn read<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        let guard = match self.value.try_read() {
            Ok(guard) => guard,
            Err(TryLockError::WouldBlock) => {
                self.race("reads while a write is in progress");
                self.value.read().unwrap_or_else(|p| p.into_inner())
            }
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
        };
        let result = f(&guard);
        let hold = self.hold.lock().unwrap().clone();
        if let Some(hold) = hold {
            hold(&self.races);
        }
        drop::<RwLockReadGuard<'_, T>>(guard);
        result
    }

    /// Runs `f` on the value, alone.
    pub fn write<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut guard = match self.value.try_write() {
            Ok(guard) => guard,
            Err(TryLockError::WouldBlock) => {
                self.race("writes while a read is in progress");
                self.value.write().unwrap_or_else(|p| p.into_inner())
            }
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
        };
        let result = f(&mut guard);
        drop::<RwLockWriteGuard<'_, T>>(guard);
        result
    }

    /// How many reads and writes found the other kind in progress.
    pub fn races(&self) -> usize {
        self.races.load(Ordering::SeqCst)
    }

    /// Makes every read run `hook` before it lets go of the value (a scenario's gate). The hook
    /// gets the cell's overlap count, so it can wait for a write to overlap the read.
    pub fn hold_reads(&self, hook: impl Fn(&AtomicUsize) + Send + Sync + 'static) {
        *self.hold.lock().unwrap() = Some(std::sync::Arc::new(Box::new(hook)));
    }

    fn race(&self, what: &str) {
        self.races.fetch_add(1, Ordering::SeqCst);
        say!("{what}: in Swift, a data race");
    }
}

impl<T: Default> Default for RaceCell<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}
