//! `OperationGraph`: operations with dependencies, run on a bounded pool, whose results flow from
//! each operation to its dependents and whose cancellation flows downstream — the chapter's
//! stand-in for Foundation's `OperationQueue`, with the two things `OperationQueue` leaves to you
//! built in (demo Q2).
//!
//! * [`OperationGraph::add`] adds an operation: a name and a closure that receives a [`Context`]
//!   (its dependencies' results, its cancellation token) and returns an [`Outcome`] —
//!   `Result<T, Cancelled>`.
//! * [`OperationGraph::add_dependency`] makes one operation wait for another, and **refuses a
//!   cycle** with a [`CycleError`] that names it. `OperationQueue` accepts one: its documentation
//!   calls a cycle "a programmer error" that "will prevent the affected operations from ever
//!   running" — silently, and whoever waits for them waits forever.
//! * [`OperationGraph::token`] hands out an operation's [`CancelToken`]; [`OperationGraph::start`]
//!   runs the graph on `workers` threads (1 is `maxConcurrentOperationCount = 1`, a serial
//!   queue) and [`Running::wait`] returns every operation's [`Outcome`].
//!
//! ## Outcomes, not "finished"
//!
//! An `OperationQueue` dependency is satisfied when the operation it waits for is *finished* —
//! and, in Apple's words, dependencies "make no distinction about whether a dependent operation
//! finished successfully or unsuccessfully. (In other words, canceling an operation similarly
//! marks it as finished.)" Each dependent must look for itself. Here an operation's result is an
//! [`Outcome`]; an operation runs only when every dependency's outcome is `Ok`, and receives those
//! values through [`Context::input`]. When one is `Err(Cancelled)`, the graph does not run the
//! operation at all: its outcome is the same `Err(Cancelled)`, naming where the cancellation
//! started, and so on down the graph. A cancelled operation's own result is discarded, even if its
//! closure returned `Ok`: cancel means "do not use this".
//!
//! ## Cancellation
//!
//! [`CancelToken::cancel`] is cooperative, as `Operation.cancel()` is: an operation not yet
//! started never starts; one that is running is told through its token ([`Context::is_cancelled`],
//! or a callback registered with [`CancelToken::on_cancel`] — the way a download operation cancels
//! its `URLSessionTask`). Why a small token of our own and not `tokio_util`'s `CancellationToken`:
//! this graph runs closures on plain threads, where a blocked operation needs a callback to be
//! woken, not a future to await. The async world's professional tool is `CancellationToken` with
//! `child_token()`; demo Q2's `with_tokio` module shows the same pipeline with it.
//!
//! A panicking operation counts as cancelled for its dependents, and [`Running::wait`] re-raises
//! the panic once every operation has settled.

use std::collections::VecDeque;
use std::fmt;
use std::ops::Index;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use racelab_kit::say;
use racelab_kit::sync::{Primitives, Std, lock_unpoisoned};
use racelab_kit::trace::as_actor;

use crate::cancel::CancelToken;

/// Why an operation has no result: it, or something it depends on, was cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancelled {
    /// The operation whose cancellation this is — the operation itself, or the dependency where
    /// the cancellation started.
    pub origin: String,
}

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} was cancelled", self.origin)
    }
}

impl std::error::Error for Cancelled {}

/// What an operation produced: its value, or why there is none.
pub type Outcome<T> = Result<T, Cancelled>;

/// An operation's handle in its graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpId(usize);

/// `add_dependency` refused: the new edge would close a cycle, so none of the operations on it
/// could ever start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleError {
    /// The cycle, each operation waiting for the next: `[download, save, process, download]`.
    pub cycle: Vec<String>,
}

impl fmt::Display for CycleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a dependency cycle: {}", self.cycle.join(" waits for "))
    }
}

impl std::error::Error for CycleError {}

/// What a running operation can see: its dependencies' values and its own cancellation.
pub struct Context<T> {
    name: String,
    token: CancelToken,
    inputs: Vec<(OpId, T)>,
}

impl<T> Context<T> {
    /// The value of `dependency`. Every dependency's outcome is `Ok` when an operation runs.
    ///
    /// # Panics
    /// If `dependency` is not one of this operation's dependencies (a programming error).
    pub fn input(&self, dependency: OpId) -> &T {
        self.inputs
            .iter()
            .find(|(id, _)| *id == dependency)
            .map(|(_, value)| value)
            .unwrap_or_else(|| panic!("{} does not depend on {dependency:?}", self.name))
    }

    /// Whether this operation has been cancelled while it runs.
    pub fn is_cancelled(&self) -> bool {
        self.token.is_cancelled()
    }

    /// This operation's token (to register a callback that interrupts a blocking wait).
    pub fn token(&self) -> &CancelToken {
        &self.token
    }

    /// The error to return when this operation gives up because it was cancelled.
    pub fn cancelled(&self) -> Cancelled {
        Cancelled {
            origin: self.name.clone(),
        }
    }
}

type Work<T> = Box<dyn FnOnce(&Context<T>) -> Outcome<T> + Send>;

struct Node<T> {
    name: String,
    token: CancelToken,
    deps: Vec<OpId>,
    work: Option<Work<T>>,
}

/// Operations and their dependencies, not yet running. See the module documentation.
pub struct OperationGraph<T> {
    nodes: Vec<Node<T>>,
}

impl<T> Default for OperationGraph<T> {
    fn default() -> Self {
        OperationGraph { nodes: Vec::new() }
    }
}

impl<T> fmt::Debug for OperationGraph<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.nodes.iter().map(|n| &n.name))
            .finish()
    }
}

impl<T: Clone + Send + 'static> OperationGraph<T> {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an operation called `name` (its narration is signed with it).
    pub fn add(
        &mut self,
        name: &str,
        work: impl FnOnce(&Context<T>) -> Outcome<T> + Send + 'static,
    ) -> OpId {
        self.nodes.push(Node {
            name: name.to_string(),
            token: CancelToken::new(name),
            deps: Vec::new(),
            work: Some(Box::new(work)),
        });
        OpId(self.nodes.len() - 1)
    }

    /// The name given to [`OperationGraph::add`].
    pub fn name(&self, op: OpId) -> &str {
        &self.nodes[op.0].name
    }

    // ANCHOR: add_dependency
    /// Makes `op` wait for `on`, and receive its value — or refuses, changing nothing, when `on`
    /// already waits (directly or not) for `op`: the edge would close a cycle.
    pub fn add_dependency(&mut self, op: OpId, on: OpId) -> Result<(), CycleError> {
        if let Some(path) = self.path(on, op) {
            let mut cycle = vec![self.nodes[op.0].name.clone()];
            cycle.extend(path.iter().map(|id| self.nodes[id.0].name.clone()));
            return Err(CycleError { cycle });
        }
        if !self.nodes[op.0].deps.contains(&on) {
            self.nodes[op.0].deps.push(on);
        }
        Ok(())
    }
    // ANCHOR_END: add_dependency

    /// A way from `from` to `to` along dependencies (`from`, …, `to`), if there is one. A
    /// depth-first search that visits each operation once, so diamonds cost nothing extra.
    fn path(&self, from: OpId, to: OpId) -> Option<Vec<OpId>> {
        let mut visited = vec![false; self.nodes.len()];
        self.path_from(from, to, &mut visited)
    }

    fn path_from(&self, from: OpId, to: OpId, visited: &mut [bool]) -> Option<Vec<OpId>> {
        if from == to {
            return Some(vec![from]);
        }
        if std::mem::replace(&mut visited[from.0], true) {
            return None;
        }
        self.nodes[from.0].deps.iter().find_map(|&next| {
            let mut rest = self.path_from(next, to, visited)?;
            rest.insert(0, from);
            Some(rest)
        })
    }

    /// The token that cancels `op`.
    pub fn token(&self, op: OpId) -> CancelToken {
        self.nodes[op.0].token.clone()
    }

    /// Starts running the graph on `workers` threads (at least one), named `op-worker-0`, …; each
    /// operation's narration is signed with its own name. Operations whose dependencies are all
    /// settled start in the order they were added.
    pub fn start(self, workers: usize) -> Running<T> {
        let n = self.nodes.len();
        let mut dependents = vec![Vec::new(); n];
        let mut waiting_on = vec![0; n];
        for (i, node) in self.nodes.iter().enumerate() {
            waiting_on[i] = node.deps.len();
            for dep in &node.deps {
                dependents[dep.0].push(i);
            }
        }
        let ready = (0..n).filter(|&i| waiting_on[i] == 0).collect();
        let shared = Arc::new(Shared {
            state: Mutex::new(Schedule {
                nodes: self.nodes,
                dependents,
                waiting_on,
                ready,
                outcomes: vec![None; n],
                settled: 0,
                panic: None,
            }),
            changed: Condvar::new(),
        });
        let threads = (0..workers.max(1).min(n.max(1)))
            .map(|i| {
                let shared = shared.clone();
                Std::spawn(&format!("op-worker-{i}"), move || worker(&shared))
            })
            .collect();
        Running { shared, threads }
    }
}

struct Schedule<T> {
    nodes: Vec<Node<T>>,
    dependents: Vec<Vec<usize>>,
    waiting_on: Vec<usize>,
    ready: VecDeque<usize>,
    outcomes: Vec<Option<Outcome<T>>>,
    settled: usize,
    panic: Option<Box<dyn std::any::Any + Send>>,
}

struct Shared<T> {
    state: Mutex<Schedule<T>>,
    changed: Condvar,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, Schedule<T>> {
        lock_unpoisoned(&self.state)
    }
}

// ANCHOR: settle
/// What the graph does with an operation whose dependencies have all settled.
fn settle<T>(
    name: &str,
    token: &CancelToken,
    upstream: Result<Vec<(OpId, T)>, Cancelled>,
    work: Work<T>,
) -> Outcome<T> {
    let inputs = match upstream {
        Err(cancelled) => {
            say!("is skipped: {cancelled}");
            return Err(cancelled); // cancellation flows downstream; the work never runs
        }
        Ok(inputs) => inputs,
    };
    if token.is_cancelled() {
        say!("is skipped: it was cancelled before it started");
        return Err(Cancelled {
            origin: name.to_string(),
        });
    }
    let context = Context {
        name: name.to_string(),
        token: token.clone(),
        inputs,
    };
    let outcome = work(&context);
    match token.is_cancelled() {
        true => Err(context.cancelled()), // cancelled while running: the result is not used
        false => outcome,
    }
}
// ANCHOR_END: settle

/// One pool thread: takes ready operations until every operation has settled.
fn worker<T: Clone + Send + 'static>(shared: &Shared<T>) {
    loop {
        let mut s = shared.lock();
        let i = loop {
            if let Some(i) = s.ready.pop_front() {
                break i;
            }
            if s.settled == s.nodes.len() {
                return;
            }
            s = shared.changed.wait(s).unwrap_or_else(|p| p.into_inner());
        };
        let node = &mut s.nodes[i];
        let (name, token, work) = (node.name.clone(), node.token.clone(), node.work.take());
        let upstream: Result<Vec<_>, Cancelled> = s.nodes[i]
            .deps
            .iter()
            .map(|&dep| match &s.outcomes[dep.0] {
                Some(Ok(value)) => Ok((dep, value.clone())),
                Some(Err(cancelled)) => Err(cancelled.clone()),
                None => unreachable!("a dependency settles before its dependents start"),
            })
            .collect();
        drop(s);

        let work = work.expect("each operation runs once");
        let run = catch_unwind(AssertUnwindSafe(|| {
            as_actor(&name, || settle(&name, &token, upstream, work))
        }));

        let mut s = shared.lock();
        let outcome = run.unwrap_or_else(|panic| {
            s.panic.get_or_insert(panic);
            Err(Cancelled { origin: name })
        });
        s.outcomes[i] = Some(outcome);
        s.settled += 1;
        for d in s.dependents[i].clone() {
            s.waiting_on[d] -= 1;
            if s.waiting_on[d] == 0 {
                s.ready.push_back(d);
            }
        }
        shared.changed.notify_all();
    }
}

/// A graph that has been started.
pub struct Running<T> {
    shared: Arc<Shared<T>>,
    threads: Vec<<Std as Primitives>::JoinHandle<()>>,
}

impl<T> fmt::Debug for Running<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Running")
            .field("workers", &self.threads.len())
            .finish_non_exhaustive()
    }
}

impl<T> Running<T> {
    /// Waits until every operation has settled and returns their outcomes. Cannot wait forever on
    /// the graph's account: it has no cycles, so every operation becomes ready in the end (an
    /// operation that itself never returns is another matter — give it a way to be cancelled).
    ///
    /// # Panics
    /// Re-raises the first panic of an operation.
    pub fn wait(self) -> Outcomes<T> {
        for thread in self.threads {
            thread.join();
        }
        let mut s = self.shared.lock();
        if let Some(panic) = s.panic.take() {
            resume_unwind(panic);
        }
        let outcomes = s.outcomes.iter_mut().map(|o| o.take().expect("settled"));
        Outcomes(outcomes.collect())
    }
}

/// Every operation's outcome, indexed by [`OpId`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcomes<T>(Vec<Outcome<T>>);

impl<T> Index<OpId> for Outcomes<T> {
    type Output = Outcome<T>;
    fn index(&self, op: OpId) -> &Outcome<T> {
        &self.0[op.0]
    }
}
