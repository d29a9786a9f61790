//! R8, broken: the guide's `DeadlockDetector` and `SafeLockManager`, ported literally.
//!
//! This version is problematic.
//!
//! The guide's detector (L4675–4739) keeps one graph: `lockGraph[thread]` is the set of lock names
//! that thread has asked for. Its cycle search starts at the asking thread, follows thread → lock
//! edges, and then looks for edges *out of a lock* — but there are none: nothing ever records
//! which thread owns a lock, or which lock a thread waits on. Every path has one edge, so
//! `has_cycle` never returns true (unless a lock happens to be named like a thread), and the
//! detector approves every request, deadlocks included. The lock it is asked about is not even
//! looked at (`lockName` is unused in `wouldCauseDeadlock`, L4708).
//!
//! `SafeLockManager` (L4742–4802) asks the detector before each `lock()`, so a request is recorded
//! as if it were ownership; `with_multiple_locks` sorts the names (which does prevent AB/BA among
//! its own callers) but locks a name given twice twice — a thread waiting for itself. Thread
//! identity is the thread's name (the guide's `String(describing: Thread.current)`).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};

use racelab_kit::lock::NamedMutex;
use racelab_kit::say;
use racelab_kit::sync::{Std, lock_unpoisoned};
use racelab_kit::trace::current_actor;

use scopeguard::guard;

type Graph = HashMap<String, HashSet<String>>;

// ANCHOR: detector
/// The guide's detector: edges from each thread to the locks it asked for.
pub struct DeadlockDetector {
    lock_graph: Mutex<Graph>,
}

impl DeadlockDetector {
    /// An empty graph.
    pub fn new() -> Self {
        DeadlockDetector {
            lock_graph: Mutex::new(Graph::new()),
        }
    }

    // ANCHOR: key
    /// Records that `thread` takes `lock_name`, unless that would deadlock.
    pub fn acquire_lock(&self, lock_name: &str, thread: &str) -> bool {
        let mut lock_graph = self.graph();
        // Check for potential deadlock
        if would_cause_deadlock(&lock_graph, lock_name, thread) {
            say!("is refused {lock_name}: potential deadlock detected");
            return false;
        }
        // Add edge to graph
        lock_graph
            .entry(thread.to_string())
            .or_default()
            .insert(lock_name.to_string());
        true
    }
    // ANCHOR_END: key

    /// Removes the edge `thread → lock_name`.
    pub fn release_lock(&self, lock_name: &str, thread: &str) {
        let mut lock_graph = self.graph();
        if let Some(locks) = lock_graph.get_mut(thread) {
            locks.remove(lock_name);
            if locks.is_empty() {
                lock_graph.remove(thread);
            }
        }
    }
}

fn would_cause_deadlock(lock_graph: &Graph, _lock_name: &str, thread: &str) -> bool {
    // Simple cycle detection using DFS
    let mut visited = HashSet::new();
    let mut recursion_stack = HashSet::new();
    has_cycle(lock_graph, thread, &mut visited, &mut recursion_stack)
}

fn has_cycle(
    lock_graph: &Graph,
    node: &str,
    visited: &mut HashSet<String>,
    recursion_stack: &mut HashSet<String>,
) -> bool {
    if recursion_stack.contains(node) {
        return true; // Cycle detected
    }
    if visited.contains(node) {
        return false;
    }
    visited.insert(node.to_string());
    recursion_stack.insert(node.to_string());
    if let Some(neighbors) = lock_graph.get(node) {
        for neighbor in neighbors {
            if has_cycle(lock_graph, neighbor, visited, recursion_stack) {
                return true;
            }
        }
    }
    recursion_stack.remove(node);
    false
}
// ANCHOR_END: detector

impl DeadlockDetector {
    /// The guide's private `wouldCauseDeadlock`, opened up for the tests.
    pub fn would_cause_deadlock(&self, lock_name: &str, thread: &str) -> bool {
        would_cause_deadlock(&self.graph(), lock_name, thread)
    }

    /// The graph's edges, sorted: `T1 → A`.
    pub fn edges(&self) -> Vec<String> {
        let mut edges: Vec<String> = self
            .graph()
            .iter()
            .flat_map(|(thread, locks)| locks.iter().map(move |lock| format!("{thread} → {lock}")))
            .collect();
        edges.sort();
        edges
    }

    fn graph(&self) -> MutexGuard<'_, Graph> {
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
        let thread_id = current_actor();
        for lock_name in &sorted_lock_names {
            if !self.detector.acquire_lock(lock_name, &thread_id) {
                return None; // the names registered so far stay registered, as in the guide
            }
        }
        let _registered = guard((), |()| {
            for lock_name in &sorted_lock_names {
                self.detector.release_lock(lock_name, &thread_id);
            }
        });
        // Acquire all locks in order
        let mut held: Vec<_> = sorted_lock_names
            .iter()
            .filter_map(|name| self.locks.get(name))
            .map(|lock| lock.lock())
            .collect();
        let result = operation();
        // Release locks in reverse order
        while let Some(guard) = held.pop() {
            drop(guard);
        }
        Some(result)
    }
}
// ANCHOR_END: manager
