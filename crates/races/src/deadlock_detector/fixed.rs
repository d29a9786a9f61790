//! R8, fixed: a real wait-for graph, checked before every wait, so the wait that would close a
//! cycle is refused instead of made.
//!
//! A deadlock is a cycle of *waiting*: T2 waits for A, A is held by T1, T1 waits for B, B is held
//! by T2. So the detector records exactly those two kinds of edge — which lock each thread waits
//! for (`waiting`), and which thread holds each lock (`owners`) — and, before a thread blocks on a
//! lock, follows them from that lock: owner, the lock the owner waits for, its owner, … If the
//! chain comes back to the asking thread, blocking would deadlock, and the request is refused.
//! (With exclusive locks each lock has one owner and each thread waits for one lock, so the chain
//! is a single path: no search is needed. Shared locks would make it a real graph search.)
//!
//! Checking *before* blocking is what makes it a detector rather than a post-mortem: the check and
//! the recording of the wait happen under one lock, so of two threads closing a cycle, the second
//! always sees the first one's wait. Ownership is recorded by the new [`DeadlockDetector::acquired`]
//! right after the real `lock()` returns, and before the owner can ask for anything else.
//!
//! The manager changes in two places: it reports each real acquisition to the detector, and
//! `with_multiple_locks` takes each name once (a name twice would make a thread wait for itself —
//! which this detector would now refuse, but there is no reason to ask).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use racelab_kit::lock::NamedMutex;
use racelab_kit::say;
use racelab_kit::sync::{Std, lock_unpoisoned};
use racelab_kit::trace::current_actor;

use scopeguard::guard;

// ANCHOR: detector
/// The wait-for graph: thread → the lock it waits for → that lock's owner → …
#[derive(Debug, Default)]
struct WaitFor {
    /// lock → the thread holding it.
    owners: HashMap<String, String>,
    /// thread → the lock it is about to block on.
    waiting: HashMap<String, String>,
}

impl WaitFor {
    /// The cycle `thread` would close by waiting for `lock`, as `[thread, lock, owner, …, thread]`.
    fn cycle(&self, thread: &str, lock: &str) -> Option<Vec<String>> {
        let mut path = vec![thread.to_string(), lock.to_string()];
        let mut seen = HashSet::from([lock]);
        let mut lock = lock;
        while let Some(owner) = self.owners.get(lock) {
            path.push(owner.clone());
            if owner == thread {
                return Some(path);
            }
            let next = self.waiting.get(owner)?;
            if !seen.insert(next) {
                return None; // a cycle without `thread` in it: not ours to refuse
            }
            path.push(next.clone());
            lock = next;
        }
        None
    }
}

/// A deadlock detector that sees cycles.
pub struct DeadlockDetector {
    lock_graph: Mutex<WaitFor>,
}

impl DeadlockDetector {
    /// An empty graph.
    pub fn new() -> Self {
        DeadlockDetector {
            lock_graph: Mutex::new(WaitFor::default()),
        }
    }

    // ANCHOR: key
    /// `thread` is about to block on `lock_name`: records the wait, unless it would close a cycle.
    pub fn acquire_lock(&self, lock_name: &str, thread: &str) -> bool {
        let mut lock_graph = self.graph();
        if let Some(cycle) = lock_graph.cycle(thread, lock_name) {
            say!(
                "is refused {lock_name}: it would close the cycle {}",
                cycle.join(" → ")
            );
            return false;
        }
        let waits = lock_graph.waiting.insert(thread.into(), lock_name.into());
        debug_assert!(waits.is_none(), "a thread waits for one lock at a time");
        true
    }

    /// `thread` got `lock_name`: it waits no more, and owns it.
    pub fn acquired(&self, lock_name: &str, thread: &str) {
        let mut lock_graph = self.graph();
        lock_graph.waiting.remove(thread);
        lock_graph.owners.insert(lock_name.into(), thread.into());
    }
    // ANCHOR_END: key

    /// `thread` let `lock_name` go (or gave up waiting for it).
    pub fn release_lock(&self, lock_name: &str, thread: &str) {
        let mut lock_graph = self.graph();
        if lock_graph
            .owners
            .get(lock_name)
            .is_some_and(|o| o == thread)
        {
            lock_graph.owners.remove(lock_name);
        }
        if lock_graph
            .waiting
            .get(thread)
            .is_some_and(|l| l == lock_name)
        {
            lock_graph.waiting.remove(thread);
        }
    }

    /// Whether `thread` waiting for `lock_name` would close a cycle (records nothing).
    pub fn would_cause_deadlock(&self, lock_name: &str, thread: &str) -> bool {
        self.graph().cycle(thread, lock_name).is_some()
    }
}
// ANCHOR_END: detector

impl DeadlockDetector {
    /// The graph's edges, sorted: `A is held by T1`, `T1 waits for B`.
    pub fn edges(&self) -> Vec<String> {
        let graph = self.graph();
        let mut edges: Vec<String> = graph
            .owners
            .iter()
            .map(|(lock, owner)| format!("{lock} is held by {owner}"))
            .chain(
                graph
                    .waiting
                    .iter()
                    .map(|(thread, lock)| format!("{thread} waits for {lock}")),
            )
            .collect();
        edges.sort();
        edges
    }

    fn graph(&self) -> MutexGuard<'_, WaitFor> {
        lock_unpoisoned(&self.lock_graph)
    }
}

impl Default for DeadlockDetector {
    fn default() -> Self {
        Self::new()
    }
}

// ANCHOR: manager
/// The guide's lock manager: named locks, each taken only if the detector agrees.
pub struct SafeLockManager {
    detector: DeadlockDetector,
    locks: HashMap<&'static str, NamedMutex<Std, ()>>,
}

impl super::Manager for SafeLockManager {
    /// One lock per name.
    fn new(lock_names: &[&'static str]) -> Self {
        SafeLockManager {
            detector: DeadlockDetector::new(),
            locks: lock_names
                .iter()
                .map(|&name| (name, NamedMutex::new(name, ())))
                .collect(),
        }
    }

    /// Runs `operation` holding `lock_name`; `None` if the detector refuses.
    fn with_lock<T>(&self, lock_name: &str, operation: impl FnOnce() -> T) -> Option<T> {
        let thread_id = current_actor();
        if !self.detector.acquire_lock(lock_name, &thread_id) {
            return None;
        }
        let _registered = guard((), |()| self.detector.release_lock(lock_name, &thread_id));
        let lock = self.locks.get(lock_name)?;
        let _locked = lock.lock();
        self.detector.acquired(lock_name, &thread_id); // the edge lock → owner, which makes cycles
        Some(operation())
    }

    /// Runs `operation` holding every lock in `lock_names`, taken in sorted order.
    fn with_multiple_locks<T>(
        &self,
        lock_names: &[&str],
        operation: impl FnOnce() -> T,
    ) -> Option<T> {
        // Sort locks to prevent deadlock
        let mut sorted_lock_names = lock_names.to_vec();
        sorted_lock_names.sort();
        sorted_lock_names.dedup(); // a name twice would lock one lock twice: waiting for itself
        let thread_id = current_actor();
        let thread_id = thread_id.as_str();
        // Ask, lock and record one lock at a time: a thread waits for one lock at a time
        let mut held = Vec::new();
        for lock_name in sorted_lock_names {
            if !self.detector.acquire_lock(lock_name, thread_id) {
                while held.pop().is_some() {} // release what is held so far, in reverse order
                return None;
            }
            let registered = guard((), move |()| {
                self.detector.release_lock(lock_name, thread_id)
            });
            let lock = self.locks.get(lock_name)?;
            let guard = lock.lock();
            self.detector.acquired(lock_name, thread_id);
            held.push((guard, registered));
        }
        let result = operation();
        // Release locks in reverse order
        while let Some(guard) = held.pop() {
            drop(guard);
        }
        Some(result)
    }
}
// ANCHOR_END: manager
