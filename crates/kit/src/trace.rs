//! The trace recorder: what each thread did, in plain words, in the order it happened.
//!
//! Demo code narrates itself with [`say!`](crate::say): `say!("reads {seen}")`. The line is signed with
//! the name of the thread that said it (`T0`, `consumer`, …, given to
//! [`Primitives::spawn`](crate::sync::Primitives::spawn); `main` otherwise — or of the async task
//! saying it, when the task is wrapped in [`Signed`]) and appended to the
//! [`Trace`] installed on that thread. With no trace installed — in a benchmark, say — `say!` costs
//! one thread-local read and formats nothing.
//!
//! The order of lines *is* the interleaving. Under loom every model thread runs on the one OS
//! thread that called [`explore`](crate::explore::explore), one at a time, and loom only switches
//! threads at a synchronisation point; a `say!` placed right after an operation is therefore always
//! recorded before any other thread's next operation. On real threads the order is the order the
//! recorder's lock was taken, which a demo makes deterministic with gates ([`crate::wait`]).
//!
//! A line may also mark a [`Step`]: a named point a thread has reached ("locks", "waits for an
//! item"), which the line's text starts with and which gates wait for ([`Trace::reached`]). So a
//! gate and the narration share one constant, and rewording a line cannot silently break a gate.
//! Kit wrappers mark their steps themselves ([`lock::LOCKS`](crate::lock::LOCKS), …); demo code
//! marks its own with [`step!`](crate::step).
//!
//! This module is a leaf of the kit: it uses no other kit module, so the facade
//! ([`sync`](crate::sync)), the waits ([`wait`](crate::wait)) and the watchdog can all use it.

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

thread_local! {
    static SINK: RefCell<Option<Trace>> = const { RefCell::new(None) };
    static ACTOR: RefCell<Option<String>> = const { RefCell::new(None) };
    static IN_LOOM: Cell<bool> = const { Cell::new(false) };
}

/// Narrates one step of a demo: `say!("reads {seen}")`. Formats nothing when no trace is installed.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        if $crate::trace::enabled() {
            $crate::trace::say(::std::format!($($arg)*));
        }
    };
}

/// Narrates a [`Step`] and marks the line with it, so gates can wait for it:
/// `step!(WAITS_FOR_AN_ITEM)` says "waits for an item"; `step!(LOCKS, " {}", name)` says
/// "locks lock1" and marks it [`LOCKS`](crate::lock::LOCKS) on `name`. The text always starts with
/// the step's words, so the narration prints exactly what the gate waits for.
#[macro_export]
macro_rules! step {
    ($step:expr) => {
        if $crate::trace::enabled() {
            $crate::trace::mark($step, None, ::std::string::String::new());
        }
    };
    ($step:expr, on $subject:expr) => {
        if $crate::trace::enabled() {
            let subject: &str = $subject;
            $crate::trace::mark(
                $step,
                Some(subject.to_string()),
                ::std::format!(" {subject}"),
            );
        }
    };
    ($step:expr, on $subject:expr, $($arg:tt)*) => {
        if $crate::trace::enabled() {
            let subject: &str = $subject;
            $crate::trace::mark(
                $step,
                Some(subject.to_string()),
                ::std::format!(" {subject}{}", ::std::format!($($arg)*)),
            );
        }
    };
    ($step:expr, $($arg:tt)*) => {
        if $crate::trace::enabled() {
            $crate::trace::mark($step, None, ::std::format!($($arg)*));
        }
    };
}

/// A named point a thread can reach — "locks", "waits for an item" — that narration prints (its
/// words start the line, see [`step!`](crate::step)) and gates wait for ([`Trace::reached`]).
/// Declare one as a constant beside the code that reaches it: `pub const LOCKS: Step =
/// Step("locks");`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Step(pub &'static str);

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// One line of a trace: who said what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The thread's name, e.g. `T0`.
    pub actor: String,
    /// What it did, in plain words.
    pub text: String,
    /// The step this line marks, if any (see [`step!`](crate::step)), and what it was on ("lock2").
    pub step: Option<(Step, Option<String>)>,
}

/// Lines as `"actor: text"` strings, the shape tests compare traces in:
/// `said(trace.lines())`, or `said(watchdog::last_words(&trace))` for a hang's last words.
pub fn said(lines: impl IntoIterator<Item = Line>) -> Vec<String> {
    lines
        .into_iter()
        .map(|l| format!("{}: {}", l.actor, l.text))
        .collect()
}

/// An append-only, shareable log of [`Line`]s. Cloning shares the log.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    inner: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    lines: Mutex<Vec<Line>>,
}

impl Trace {
    /// An empty trace.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes this trace the current thread's sink until the returned guard is dropped. Threads
    /// spawned through the facade inherit it.
    pub fn install(&self) -> Installed {
        let previous = SINK.with(|sink| sink.replace(Some(self.clone())));
        Installed { previous }
    }

    /// Appends a line.
    pub fn push(&self, actor: impl Into<String>, text: impl Into<String>) {
        self.append(Line {
            actor: actor.into(),
            text: text.into(),
            step: None,
        });
    }

    fn append(&self, line: Line) {
        self.locked().push(line);
        changed();
    }

    /// Whether `actor` has reached `step` (on `subject`, if given) — a line marked by
    /// [`step!`](crate::step). Never blocks; the gate that waits for it is
    /// [`wait::until`](crate::wait::until).
    pub fn reached(&self, actor: &str, step: Step, subject: Option<&str>) -> bool {
        self.locked().iter().any(|l| {
            l.actor == actor
                && l.step.as_ref().is_some_and(|(s, on)| {
                    *s == step && subject.is_none_or(|want| on.as_deref() == Some(want))
                })
        })
    }

    /// A copy of the lines so far.
    pub fn lines(&self) -> Vec<Line> {
        self.locked().clone()
    }

    /// How many lines so far.
    pub fn len(&self) -> usize {
        self.locked().len()
    }

    /// Whether nothing has been said yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The trace as numbered steps, one per line: ` 1  T0  reads 0`.
    pub fn render(&self) -> String {
        let lines = self.lines();
        let width = lines.iter().map(|l| l.actor.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            let _ = writeln!(out, "{:>2}  {:<width$}  {}", i + 1, line.actor, line.text);
        }
        out
    }

    pub(crate) fn locked(&self) -> MutexGuard<'_, Vec<Line>> {
        // A panicking demo thread must not take the narration down with it.
        self.inner
            .lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Restores the previous sink when dropped; see [`Trace::install`].
#[must_use = "the trace is uninstalled when this guard is dropped"]
pub struct Installed {
    previous: Option<Trace>,
}

impl Drop for Installed {
    fn drop(&mut self) {
        let previous = self.previous.take();
        SINK.with(|sink| *sink.borrow_mut() = previous);
    }
}

/// Runs `scenario` with a fresh [`Trace`] installed and returns its result together with the trace.
///
/// Almost every demo needs the same four lines — make a trace, install it, run the scenario, hand
/// back what it returned and what was said — so this is the one way of writing them. The trace is
/// installed on the calling thread for exactly the scenario's duration (the previous sink, if
/// any, is restored afterwards, even on panic), and threads spawned through the facade
/// ([`Primitives::spawn`](crate::sync::Primitives::spawn)) inherit it. The scenario also gets the
/// trace itself, for gates such as [`Trace::reached`].
///
/// ```
/// use racelab_kit::say;
/// use racelab_kit::trace::{said, traced};
///
/// let (answer, trace) = traced(|trace| {
///     say!("works it out");
///     assert_eq!(trace.len(), 1);
///     42
/// });
/// assert_eq!(answer, 42);
/// assert_eq!(said(trace.lines()), ["main: works it out"]);
/// assert!(!racelab_kit::trace::enabled(), "uninstalled once the scenario returns");
/// ```
pub fn traced<T>(scenario: impl FnOnce(&Trace) -> T) -> (T, Trace) {
    let trace = Trace::new();
    let _installed = trace.install();
    let result = scenario(&trace);
    (result, trace)
}

/// The trace installed on this thread, if any.
pub fn current() -> Option<Trace> {
    SINK.with(|sink| sink.borrow().clone())
}

/// Whether a trace is installed on this thread (so `say!` would record).
pub fn enabled() -> bool {
    SINK.with(|sink| sink.borrow().is_some())
}

/// Records `text`, signed by the current thread. Prefer the [`say!`](crate::say) macro.
pub fn say(text: String) {
    if std::thread::panicking() {
        // Unwinding (a failed check, or loom tearing down a deadlocked execution): guards that
        // narrate their drop would add steps that are not part of the story.
        return;
    }
    let Some(trace) = SINK.with(|sink| sink.borrow().clone()) else {
        return;
    };
    trace.push(current_actor(), text);
}

/// Records `step`'s words followed by `rest`, marked with `step` (and `subject`). Prefer the
/// [`step!`](crate::step) macro.
pub fn mark(step: Step, subject: Option<String>, rest: String) {
    if std::thread::panicking() {
        return;
    }
    let Some(trace) = SINK.with(|sink| sink.borrow().clone()) else {
        return;
    };
    trace.append(Line {
        actor: current_actor(),
        text: format!("{step}{rest}"),
        step: Some((step, subject)),
    });
}

/// "Something a gate may be waiting for has changed": a line was said, a thread blocked or woke.
/// One process-wide counter and condition variable, so [`wait::until`](crate::wait::until) sleeps
/// instead of spinning and still looks again at every change.
static CHANGES: Mutex<u64> = Mutex::new(0);
static CHANGED: Condvar = Condvar::new();

/// Tells every waiting gate to look again.
pub(crate) fn changed() {
    *CHANGES.lock().unwrap_or_else(PoisonError::into_inner) += 1;
    CHANGED.notify_all();
}

/// Sleeps until [`changed`] is called or `timeout` passes.
pub(crate) fn await_change(seen: &mut u64, timeout: std::time::Duration) {
    let count = CHANGES.lock().unwrap_or_else(PoisonError::into_inner);
    let count = if *count == *seen {
        CHANGED
            .wait_timeout(count, timeout)
            .unwrap_or_else(PoisonError::into_inner)
            .0
    } else {
        count
    };
    *seen = *count;
}

/// The name the current thread signs its lines with.
pub fn current_actor() -> String {
    if IN_LOOM.with(Cell::get) {
        // Under loom, every model thread shares this OS thread; loom knows which one is running.
        return loom::thread::current().name().unwrap_or("main").to_string();
    }
    ACTOR
        .with(|a| a.borrow().clone())
        .unwrap_or_else(|| "main".to_string())
}

/// Runs `f` with the current thread's lines signed `name`, then restores the previous name. For
/// actors that are not threads of their own — async tasks sharing one runtime thread, which
/// [`Signed`] wraps. Real threads only: under loom the name always comes from loom's thread.
pub fn as_actor<R>(name: &str, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<String>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            ACTOR.with(|a| *a.borrow_mut() = previous);
        }
    }
    let _restore = Restore(ACTOR.with(|a| a.replace(Some(name.to_string()))));
    f()
}

/// A future whose every poll is signed `name` (see [`as_actor`]): on a `current_thread` runtime
/// all tasks share one OS thread, so this is how a task's narration gets its own column —
/// `tokio::spawn(Signed::new("W1", async { … }))`.
pub struct Signed<F> {
    name: String,
    inner: Pin<Box<F>>,
}

impl<F: Future> Signed<F> {
    /// Wraps `inner`; its lines are signed `name`.
    pub fn new(name: &str, inner: F) -> Self {
        Signed {
            name: name.to_string(),
            inner: Box::pin(inner),
        }
    }
}

impl<F: Future> Future for Signed<F> {
    type Output = F::Output;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // `Signed` is `Unpin` (the inner future is boxed), so no pin projection is needed.
        let this = self.get_mut();
        as_actor(&this.name, || this.inner.as_mut().poll(cx))
    }
}

/// Whether this OS thread is running loom models: then the real-thread machinery (gates, the
/// wait-for registry) stays out of the way, and loom proves deadlocks itself.
pub(crate) fn in_loom() -> bool {
    IN_LOOM.with(Cell::get)
}

/// Marks this OS thread as running loom models (set by [`explore`](crate::explore::explore)).
pub(crate) fn set_in_loom(on: bool) -> bool {
    IN_LOOM.with(|flag| flag.replace(on))
}

/// What a spawned thread takes from its parent: the trace, and its own name.
pub(crate) struct Inherit {
    sink: Option<Trace>,
    name: String,
}

impl Inherit {
    pub(crate) fn capture(name: &str) -> Self {
        Inherit {
            sink: SINK.with(|sink| sink.borrow().clone()),
            name: name.to_string(),
        }
    }

    /// Called first thing on the new thread.
    pub(crate) fn enter(self) -> Option<Installed> {
        if IN_LOOM.with(Cell::get) {
            // Same OS thread, same sink already; names come from loom's thread builder.
            return None;
        }
        ACTOR.with(|a| *a.borrow_mut() = Some(self.name));
        self.sink.map(|trace| trace.install())
    }
}
