//! `play`: you are the scheduler. A demo's model turned into a game in which the reader picks which
//! thread takes the next step, sees the lanes so far, and ends at the model's verdict.
//!
//! ```text
//! races play R1 [--broken|--fixed]     (default: the broken twin)
//! ```
//!
//! **A step** is one narrated operation of the model: one line of the demo's narration, in the
//! demo's words. "T1 moves" means "T1 does its next operation and says so".
//!
//! **The tree.** A game needs every run of the model: [`Run`]s (lines and an [`Outcome`]) merged by
//! [`Tree::from_runs`] into a trie whose children at each node are the possible next lines, keyed by
//! the thread that says them. Every path from the root is one run, so every game is one the model
//! can really take. Building refuses runs whose next line is not decided by thread order alone.
//!
//! **Where the runs come from: step models, held to loom.** loom's own runs are not a game tree,
//! for three reasons found while building this: its partial-order reduction runs one interleaving
//! per class of equivalent ones (in R1, T1 never goes first); its memory model lets a load read an
//! older value than a narrated store just wrote (T1 "reads 0" after T0 "writes 1", even with the
//! facade's `SeqCst` fences), so thread order does not decide the lines; and it ends its whole
//! search at a deadlock. So each playable demo is also written as a small sequentially consistent
//! [`StepModel`] (or, for narrated locks, [`lock_runs`], in [`NamedMutex`](crate::lock::NamedMutex)'s
//! words), run in every order by [`step_runs`]. The chapter's tests hold each model to its demo with
//! [`explore_all`] — loom's search that keeps every run instead of stopping at the first failure
//! (the check's panic is caught on the model's main thread after every join; a panic inside a
//! thread is caught with [`caught`]): loom's failing trace must be a game ending with the same
//! message, and every run loom makes of the fixed twin a game that finishes safely.
//!
//! **Shown at each step**: the lanes so far ([`lanes::render`], 100 columns) and who can move next
//! with the step each would take. The shared state is not shown separately: every step already
//! says what it read or wrote ("reads 0", "writes 1"), so the lanes carry the state.
//!
//! **Input**: a thread's name (`T0`, case ignored) or its number, `u` to undo a step, `?` for a hint
//! (a schedule that reaches the bug from here, or the news that none does), `q` to stop. Without a
//! terminal, one choice per line, each echoed after `> ` so a transcript reads as a game. An
//! impossible choice is one line and the game goes on; input left after the game ends is reported
//! in one line and ignored. Input that ends before the game does leaves it unfinished, which is
//! said in one line and is not an error (exit 0), so a pipe can stop anywhere.
//!
//! A game ends with the model's verdict: the bug, in the check's own words, or every thread
//! finished safely. On a fixed twin no choice reaches the bug, and the end says so.

use std::cell::{Cell, RefCell};
use std::io::{self, BufRead, IsTerminal, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use crate::demo::{Chapter, Variant};
use crate::explore::{panic_message, pinned_builder, quietly, tidy};
use crate::lanes;
use crate::lock::{LOCKS, UNLOCKS, WANTS};
use crate::sync::lock_unpoisoned;
use crate::trace::{self, Line, Trace};

/// A demo that can be played: registered in its chapter's [`Chapter::play`] list.
#[derive(Debug)]
pub struct Playable {
    /// The demo's ID, as in the chapter's registry: `R1`.
    pub id: &'static str,
    /// What "every thread finished safely" means for this model, in the check's words:
    /// `both increments counted: the count is 2`.
    pub safe: &'static str,
    /// Printed before the game, if there is something to know about where its steps come from.
    pub note: Option<&'static str>,
    /// Every run of one twin: [`explore_all`] of its loom model, or [`lock_runs`].
    pub runs: fn(Variant) -> Result<Vec<Run>, String>,
}

/// How one run of a model ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every thread finished and the check held.
    Finished,
    /// The check failed, a thread panicked, or every thread blocked: the message, in the words
    /// the tests use.
    Failed(String),
}

/// One run of a model: what each thread said, in order, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The lines, up to the failure if there was one.
    pub lines: Vec<Line>,
    /// How it ended.
    pub outcome: Outcome,
    /// The threads that had not finished when it ended (blocked, in a deadlock).
    pub waiting: Vec<String>,
}

thread_local! {
    /// Set while [`explore_all`] runs: [`caught`] records a panic instead of passing it on.
    static PLAYING: Cell<bool> = const { Cell::new(false) };
    /// The current loom execution's first failure caught inside a thread: message, and how many
    /// lines had been said when it happened.
    static FAILED: RefCell<Option<(String, usize)>> = const { RefCell::new(None) };
}

/// Runs `model` under loom once per interleaving, like [`explore`](crate::explore::explore), and
/// returns every run instead of stopping at the first failure (see the module doc). An `Err` says
/// why loom stopped anyway: a deadlock, or a panic in a thread that no [`caught`] wraps.
pub fn explore_all<F>(model: F) -> Result<Vec<Run>, String>
where
    F: Fn() + Send + Sync + 'static,
{
    let runs = Arc::new(Mutex::new(Vec::new()));
    let runs_in = runs.clone();
    let was_loom = trace::set_in_loom(true);
    let was_playing = PLAYING.with(|p| p.replace(true));
    let searched = quietly(|| {
        panic::catch_unwind(AssertUnwindSafe(|| {
            pinned_builder().check(move || {
                FAILED.with(|f| f.borrow_mut().take());
                let trace = Trace::new();
                let installed = trace.install();
                // The checks panic on the model's main thread after joining every thread.
                let checked = panic::catch_unwind(AssertUnwindSafe(&model));
                drop(installed);
                let mut lines = trace.lines();
                let outcome = match (FAILED.with(|f| f.borrow_mut().take()), checked) {
                    (Some((message, said)), _) => {
                        lines.truncate(said);
                        Outcome::Failed(message)
                    }
                    (None, Err(panic)) => Outcome::Failed(panic_message(&*panic)),
                    (None, Ok(())) => Outcome::Finished,
                };
                lock_unpoisoned(&runs_in).push(Run {
                    lines,
                    outcome,
                    waiting: Vec::new(),
                });
            })
        }))
    });
    PLAYING.with(|p| p.set(was_playing));
    trace::set_in_loom(was_loom);
    match searched {
        Ok(()) => Ok(std::mem::take(&mut *lock_unpoisoned(&runs))),
        Err(panic) => Err(format!(
            "loom stopped its search: {}",
            tidy(panic_message(&*panic))
        )),
    }
}

/// Runs one model thread's work; under [`explore_all`] a panic becomes the run's failure (the
/// first one wins; later lines are cut off) and this returns `None`. Anywhere else a panic passes
/// through unchanged, so a model written with it explores exactly as before.
pub fn caught<T>(work: impl FnOnce() -> T) -> Option<T> {
    match panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => Some(value),
        Err(panic) if PLAYING.with(Cell::get) => {
            let said = trace::current().map_or(0, |t| t.len());
            let message = panic_message(&*panic);
            FAILED.with(|f| {
                f.borrow_mut().get_or_insert((message, said));
            });
            None
        }
        Err(panic) => panic::resume_unwind(panic),
    }
}

/// What a thread of a [`StepModel`] does next, from a given state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// It takes a step and says this.
    Says(String),
    /// It takes a step, says this, and then panics with that message: the run fails there.
    Fails(String, String),
    /// It cannot move now (it waits for a lock, or for other threads to finish).
    Waits,
    /// It has finished.
    Done,
}

/// The state of a [`StepModel`]: each thread's progress and memory, and the shared variables the
/// racelab models need — one shared number, one lock, and a tally.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mem {
    /// Each thread's next step, counted from 0 (the step function moves it).
    pub pc: Vec<usize>,
    /// What each thread last read.
    pub seen: Vec<usize>,
    /// The shared number: a count, a number of records or of items.
    pub shared: usize,
    /// Which thread holds the model's lock, if any.
    pub holder: Option<usize>,
    /// How many threads got what they came for (took the ticket, removed the item).
    pub wins: usize,
    /// Which threads have finished (kept by [`step_runs`]).
    pub done: Vec<bool>,
}

impl Mem {
    /// Whether every thread but `t` has finished: a `main` that joins the others waits for this.
    pub fn others_done(&self, t: usize) -> bool {
        self.done.iter().enumerate().all(|(i, &d)| i == t || d)
    }
}

/// A demo's model as steps: each thread's next step is a function of the state, and every
/// operation is sequentially consistent — the game's premise is that thread order alone decides
/// what happens. (loom is not a source for the game tree: its partial-order reduction runs one
/// interleaving per class of equivalent ones, so some thread orders never appear, and its memory
/// model lets a load read an older value than the one a narrated store just wrote.)
#[derive(Debug)]
pub struct StepModel {
    /// The threads' names.
    pub threads: &'static [&'static str],
    /// The shared number's starting value.
    pub shared: usize,
    /// Thread `t`'s next step from the state; it updates the state (its `pc` included).
    pub step: fn(&mut Mem, usize) -> Step,
    /// The check, once every thread has finished: the test's failure message if it fails.
    pub check: fn(&Mem) -> Result<(), String>,
}

/// Every run of `model`: every order in which its threads can take their steps.
pub fn step_runs(model: &StepModel) -> Vec<Run> {
    let n = model.threads.len();
    let start = Mem {
        pc: vec![0; n],
        seen: vec![0; n],
        shared: model.shared,
        done: vec![false; n],
        ..Mem::default()
    };
    let mut runs = Vec::new();
    step_search(model, start, Vec::new(), &mut runs);
    runs
}

fn step_search(model: &StepModel, mut mem: Mem, lines: Vec<Line>, runs: &mut Vec<Run>) {
    // Who has finished is a fact of this state; record it before trying anyone's step.
    for t in 0..model.threads.len() {
        if !mem.done[t] && (model.step)(&mut mem.clone(), t) == Step::Done {
            mem.done[t] = true;
        }
    }
    let mut moved = false;
    for (t, name) in model.threads.iter().enumerate() {
        let mut next = mem.clone();
        let mut lines = lines.clone();
        match (model.step)(&mut next, t) {
            Step::Waits | Step::Done => continue,
            Step::Says(text) => {
                lines.push(line(name, &text));
                step_search(model, next, lines, runs);
            }
            Step::Fails(text, message) => {
                lines.push(line(name, &text));
                runs.push(Run {
                    lines,
                    outcome: Outcome::Failed(message),
                    waiting: unfinished(model, &mem, Some(t)),
                });
            }
        }
        moved = true;
    }
    if !moved {
        let outcome = if mem.done.iter().all(|&d| d) {
            match (model.check)(&mem) {
                Ok(()) => Outcome::Finished,
                Err(message) => Outcome::Failed(message),
            }
        } else {
            Outcome::Failed(tidy("deadlock;".to_string()))
        };
        let waiting = unfinished(model, &mem, None);
        runs.push(Run {
            lines,
            outcome,
            waiting,
        });
    }
}

/// The names of the threads that have not finished, but for `but`.
fn unfinished(model: &StepModel, mem: &Mem, but: Option<usize>) -> Vec<String> {
    (0..model.threads.len())
        .filter(|&t| !mem.done[t] && Some(t) != but)
        .map(|t| model.threads[t].to_string())
        .collect()
}

/// The message of the panic `f` raises (unprinted), or `None` if it returns: lets a step model
/// fail with the very words the real code panics with (`Vec::remove`'s, say).
pub fn panic_text(f: impl FnOnce()) -> Option<String> {
    quietly(|| panic::catch_unwind(AssertUnwindSafe(f)))
        .err()
        .map(|panic| panic_message(&*panic))
}

/// A thread of a [`lock_runs`] model: its name, the locks it takes in order, and what it says
/// once it holds them all. It then lets them go in reverse order, as guards dropping do.
pub type LockThread = (&'static str, &'static [&'static str]);

/// Every run of threads that each take their locks in order (narrated as
/// [`NamedMutex`](crate::lock::NamedMutex) narrates: "wants X", "wants X (held by T1)", "locks X",
/// "unlocks X"), say `critical` while holding them all, and unlock in reverse order. A state in
/// which no thread can move and some have not finished ends the run with loom's words for it.
pub fn lock_runs(threads: &[LockThread], critical: &str) -> Vec<Run> {
    let programs: Vec<Vec<LockStep>> = threads
        .iter()
        .map(|(_, locks)| {
            let mut steps = Vec::new();
            for lock in *locks {
                steps.push(LockStep::Wants(lock));
                steps.push(LockStep::Locks(lock));
            }
            steps.push(LockStep::Says);
            steps.extend(locks.iter().rev().map(|lock| LockStep::Unlocks(lock)));
            steps
        })
        .collect();
    let mut runs = Vec::new();
    let mut state = LockState {
        at: vec![0; threads.len()],
        holders: Vec::new(),
        lines: Vec::new(),
    };
    lock_search(threads, &programs, critical, &mut state, &mut runs);
    runs
}

#[derive(Debug, Clone, Copy)]
enum LockStep {
    Wants(&'static str),
    Locks(&'static str),
    Says,
    Unlocks(&'static str),
}

#[derive(Debug, Clone)]
struct LockState {
    at: Vec<usize>,
    holders: Vec<(&'static str, usize)>,
    lines: Vec<Line>,
}

fn lock_search(
    threads: &[LockThread],
    programs: &[Vec<LockStep>],
    critical: &str,
    state: &mut LockState,
    runs: &mut Vec<Run>,
) {
    let holder = |state: &LockState, lock: &str| {
        state
            .holders
            .iter()
            .find(|(held, _)| *held == lock)
            .map(|&(_, t)| t)
    };
    let mut moved = false;
    for (t, program) in programs.iter().enumerate() {
        let Some(&step) = program.get(state.at[t]) else {
            continue;
        };
        let mut next = state.clone();
        let text = match step {
            LockStep::Wants(lock) => match holder(state, lock) {
                Some(h) => format!("{WANTS} {lock} (held by {})", threads[h].0),
                None => format!("{WANTS} {lock}"),
            },
            LockStep::Locks(lock) => {
                if holder(state, lock).is_some() {
                    continue; // blocked until the holder lets go
                }
                next.holders.push((lock, t));
                format!("{LOCKS} {lock}")
            }
            LockStep::Says => critical.to_string(),
            LockStep::Unlocks(lock) => {
                next.holders.retain(|(held, _)| *held != lock);
                format!("{UNLOCKS} {lock}")
            }
        };
        moved = true;
        next.at[t] += 1;
        next.lines.push(line(threads[t].0, &text));
        lock_search(threads, programs, critical, &mut next, runs);
    }
    if !moved {
        let waiting: Vec<String> = (0..threads.len())
            .filter(|&t| state.at[t] < programs[t].len())
            .map(|t| threads[t].0.to_string())
            .collect();
        let done = waiting.is_empty();
        runs.push(Run {
            lines: state.lines.clone(),
            waiting,
            outcome: if done {
                Outcome::Finished
            } else {
                Outcome::Failed(tidy("deadlock;".to_string()))
            },
        });
    }
}

fn line(actor: &str, text: &str) -> Line {
    Line {
        actor: actor.to_string(),
        text: text.to_string(),
        step: None,
    }
}

/// The tree of possible next steps: every run of a model merged into a trie (see the module doc).
#[derive(Debug)]
pub struct Tree {
    nodes: Vec<Node>,
    threads: Vec<String>,
}

#[derive(Debug)]
struct Node {
    /// The step that leads here: (thread, text); `None` at the root.
    step: Option<(usize, String)>,
    parent: usize,
    children: Vec<usize>,
    outcome: Option<Outcome>,
    /// At an end: the threads that had not finished.
    waiting: Vec<usize>,
    /// How many different ends lie below, and how many of them fail.
    games: usize,
    bugs: usize,
    /// The fewest steps from here to a failing end, if there is one.
    to_bug: Option<usize>,
}

impl Tree {
    /// Merges runs into the tree. Fails if the runs disagree: one thread's next step differs in
    /// two runs with the same past (the thread order alone does not decide it), two runs with the
    /// same lines end differently, or one run ends where another goes on.
    pub fn from_runs(runs: impl IntoIterator<Item = Run>) -> Result<Tree, String> {
        let mut tree = Tree {
            nodes: vec![Node::new(None, 0)],
            threads: Vec::new(),
        };
        for run in runs {
            let mut at = 0;
            for (depth, l) in run.lines.iter().enumerate() {
                let thread = match tree.threads.iter().position(|t| *t == l.actor) {
                    Some(t) => t,
                    None => {
                        tree.threads.push(l.actor.clone());
                        tree.threads.len() - 1
                    }
                };
                at = match tree.child(at, thread) {
                    Some(child) => {
                        let said = &tree.nodes[child].step.as_ref().expect("a child").1;
                        if *said != l.text {
                            return Err(format!(
                                "after {depth} steps, {}'s next step is \"{said}\" in one run and \
                                 \"{}\" in another: thread order alone does not decide it",
                                l.actor, l.text
                            ));
                        }
                        child
                    }
                    None => {
                        tree.nodes
                            .push(Node::new(Some((thread, l.text.clone())), at));
                        let child = tree.nodes.len() - 1;
                        tree.nodes[at].children.push(child);
                        child
                    }
                };
            }
            match &tree.nodes[at].outcome {
                Some(seen) if *seen != run.outcome => {
                    return Err(format!(
                        "two runs with the same {} steps end differently: {seen:?} and {:?}",
                        run.lines.len(),
                        run.outcome
                    ));
                }
                _ => tree.nodes[at].outcome = Some(run.outcome),
            }
            for name in &run.waiting {
                if let Some(t) = tree.threads.iter().position(|t| t == name)
                    && !tree.nodes[at].waiting.contains(&t)
                {
                    tree.nodes[at].waiting.push(t);
                }
            }
        }
        if tree.nodes[0].outcome.is_none() && tree.nodes[0].children.is_empty() {
            return Err("the model has no runs".to_string());
        }
        // Children always come after their parent, so one pass from the back sums the subtrees.
        for i in (0..tree.nodes.len()).rev() {
            let node = &tree.nodes[i];
            if node.outcome.is_some() && !node.children.is_empty() {
                return Err(format!(
                    "a run ends after {} steps where another goes on",
                    tree.depth(i)
                ));
            }
            let (games, bugs, to_bug) = match &node.outcome {
                Some(Outcome::Finished) => (1, 0, None),
                Some(Outcome::Failed(_)) => (1, 1, Some(0)),
                None => node.children.iter().fold((0, 0, None), |(g, b, d), &c| {
                    let child = &tree.nodes[c];
                    let d = match (d, child.to_bug.map(|x| x + 1)) {
                        (Some(a), Some(b)) => Some(usize::min(a, b)),
                        (a, b) => a.or(b),
                    };
                    (g + child.games, b + child.bugs, d)
                }),
            };
            let node = &mut tree.nodes[i];
            (node.games, node.bugs, node.to_bug) = (games, bugs, to_bug);
        }
        Ok(tree)
    }

    /// The threads, in the order they first speak.
    pub fn threads(&self) -> &[String] {
        &self.threads
    }

    /// How many different games (orders of steps) there are.
    pub fn games(&self) -> usize {
        self.nodes[0].games
    }

    /// How many of them reach the bug.
    pub fn bugs(&self) -> usize {
        self.nodes[0].bugs
    }

    /// How the game that plays exactly `lines` ends: `None` if they are not a game's path from the
    /// start, or the game goes on after them.
    pub fn outcome(&self, lines: &[Line]) -> Option<&Outcome> {
        let mut at = 0;
        for l in lines {
            let thread = self.threads.iter().position(|t| *t == l.actor)?;
            at = self.child(at, thread)?;
            if self.nodes[at].step.as_ref()?.1 != l.text {
                return None;
            }
        }
        self.nodes[at].outcome.as_ref()
    }

    fn child(&self, at: usize, thread: usize) -> Option<usize> {
        self.nodes[at]
            .children
            .iter()
            .copied()
            .find(|&c| self.nodes[c].step.as_ref().is_some_and(|s| s.0 == thread))
    }

    fn depth(&self, mut at: usize) -> usize {
        let mut depth = 0;
        while at != 0 {
            at = self.nodes[at].parent;
            depth += 1;
        }
        depth
    }

    /// The lines from the root to `at`.
    fn lines(&self, mut at: usize) -> Vec<Line> {
        let mut lines = Vec::new();
        while let Some((thread, text)) = &self.nodes[at].step {
            lines.push(line(&self.threads[*thread], text));
            at = self.nodes[at].parent;
        }
        lines.reverse();
        lines
    }

    /// Whether `thread` has more to do below `at`: it says something, or some end finds it
    /// still waiting.
    fn busy_below(&self, at: usize, thread: usize) -> bool {
        self.nodes[at].waiting.contains(&thread)
            || self.nodes[at].children.iter().any(|&c| {
                self.nodes[c].step.as_ref().is_some_and(|s| s.0 == thread)
                    || self.busy_below(c, thread)
            })
    }

    /// The threads of a shortest way from `at` to a failing end.
    fn hint(&self, mut at: usize) -> Option<Vec<&str>> {
        let mut steps = Vec::new();
        let mut left = self.nodes[at].to_bug?;
        while left > 0 {
            at = *self.nodes[at]
                .children
                .iter()
                .find(|&&c| self.nodes[c].to_bug == Some(left - 1))
                .expect("a child on the shortest way");
            let thread = self.nodes[at].step.as_ref().expect("a child").0;
            steps.push(self.threads[thread].as_str());
            left -= 1;
        }
        Some(steps)
    }
}

impl Node {
    fn new(step: Option<(usize, String)>, parent: usize) -> Node {
        Node {
            step,
            parent,
            children: Vec::new(),
            outcome: None,
            waiting: Vec::new(),
            games: 0,
            bugs: 0,
            to_bug: None,
        }
    }
}

/// One game on a [`Tree`]: where the reader is, and what each input does.
#[derive(Debug)]
pub struct Game<'t> {
    tree: &'t Tree,
    variant: Variant,
    safe: String,
    /// The nodes from the root to where the game is.
    path: Vec<usize>,
    quit: bool,
}

/// The thread that moves by itself: the model's own check, not a player.
const MAIN: &str = "main";

impl<'t> Game<'t> {
    /// A game at the start of `tree`, on `variant`; `safe` says what finishing safely means.
    pub fn new(tree: &'t Tree, variant: Variant, safe: &str) -> Game<'t> {
        Game {
            tree,
            variant,
            safe: safe.to_string(),
            path: vec![0],
            quit: false,
        }
    }

    /// The rules, the size of the game, and the first position.
    pub fn start(&mut self) -> String {
        let (games, bugs) = (self.tree.games(), self.tree.bugs());
        let mut out = String::new();
        out.push_str(&lanes::wrap(
            "",
            &format!(
                "You are the scheduler: pick the thread that takes the next step, by its name or \
                 number. u undoes a step, ? asks for a hint, q stops. {}; {}.",
                plural(games, "possible game", "possible games"),
                match bugs {
                    0 if games == 1 => "it does not reach the bug".to_string(),
                    0 => "none of them reaches the bug".to_string(),
                    n if n == games => "every one reaches the bug".to_string(),
                    n => format!("{n} of them reach the bug"),
                }
            ),
            lanes::WIDTH,
        ));
        out.push_str(&self.advance());
        out
    }

    /// Whether the game has ended (a verdict, or the reader stopped).
    pub fn is_over(&self) -> bool {
        self.quit || self.here().outcome.is_some()
    }

    /// How many steps have been taken.
    pub fn steps(&self) -> usize {
        self.path.len() - 1
    }

    /// Handles one line of input and says what happened.
    pub fn handle(&mut self, input: &str) -> String {
        let input = input.trim();
        if input.is_empty() || self.is_over() {
            return String::new();
        }
        match input.to_ascii_lowercase().as_str() {
            "u" | "undo" => return self.undo(),
            "?" | "hint" => return self.hint(),
            "q" | "quit" => {
                self.quit = true;
                return format!(
                    "game left unfinished after {}.\n",
                    plural(self.steps(), "step", "steps")
                );
            }
            _ => {}
        }
        let threads = self.tree.threads();
        let thread = match input.parse::<usize>() {
            Ok(n) if (1..=threads.len()).contains(&n) => Some(n - 1),
            _ => threads.iter().position(|t| t.eq_ignore_ascii_case(input)),
        };
        let Some(thread) = thread else {
            return format!(
                "'{input}' is not a move: type a thread ({}) or its number, u to undo or ? for a hint.\n",
                self.choices()
            );
        };
        let at = *self.path.last().expect("the root");
        match self.tree.child(at, thread) {
            Some(child) => {
                self.path.push(child);
                self.advance()
            }
            None if self.tree.busy_below(at, thread) => format!(
                "{} cannot move now: it waits for another thread to move first.\n",
                threads[thread]
            ),
            None => format!("{} cannot move now: it has finished.\n", threads[thread]),
        }
    }

    fn here(&self) -> &Node {
        &self.tree.nodes[*self.path.last().expect("the root")]
    }

    /// Moves `main` while it is the only thread that can, then shows where the game is.
    fn advance(&mut self) -> String {
        let mut out = String::new();
        loop {
            let movable = self.movable();
            match movable.as_slice() {
                [(thread, child)] if self.tree.threads[*thread] == MAIN => {
                    self.path.push(*child);
                }
                _ => break,
            }
        }
        if self.steps() > 0 {
            out.push('\n');
            out.push_str(&lanes::render(
                &self.tree.lines(*self.path.last().expect("the root")),
                lanes::WIDTH,
            ));
        }
        out.push('\n');
        match &self.here().outcome {
            Some(outcome) => out.push_str(&self.verdict(outcome)),
            None => out.push_str(&self.menu()),
        }
        out
    }

    /// (thread, child) for every thread that can move from here.
    fn movable(&self) -> Vec<(usize, usize)> {
        let mut movable: Vec<(usize, usize)> = self
            .here()
            .children
            .iter()
            .map(|&c| (self.tree.nodes[c].step.as_ref().expect("a child").0, c))
            .collect();
        movable.sort();
        movable
    }

    fn menu(&self) -> String {
        let at = *self.path.last().expect("the root");
        let mut out = String::from("Who moves next?\n");
        let movable = self.movable();
        for (thread, name) in self.tree.threads.iter().enumerate() {
            let head = format!("  [{}] {name}  ", thread + 1);
            if let Some(&(_, child)) = movable.iter().find(|(t, _)| *t == thread) {
                let text = &self.tree.nodes[child].step.as_ref().expect("a child").1;
                out.push_str(&lanes::wrap(&head, text, lanes::WIDTH));
            } else if name == MAIN {
                continue;
            } else if self.tree.busy_below(at, thread) {
                out.push_str(&lanes::wrap(
                    &head,
                    "(waits for another thread)",
                    lanes::WIDTH,
                ));
            } else {
                out.push_str(&lanes::wrap(&head, "(finished)", lanes::WIDTH));
            }
        }
        out
    }

    fn choices(&self) -> String {
        let names: Vec<&str> = self
            .tree
            .threads
            .iter()
            .map(String::as_str)
            .filter(|t| *t != MAIN)
            .collect();
        match names.as_slice() {
            [] => "a thread".to_string(),
            [one] => one.to_string(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        }
    }

    fn verdict(&self, outcome: &Outcome) -> String {
        let (games, bugs) = (self.tree.games(), self.tree.bugs());
        let text = match (outcome, self.variant) {
            (Outcome::Failed(message), Variant::Broken) => format!("=> bug reached: {message}"),
            (Outcome::Failed(message), Variant::Fixed) => {
                format!("=> bug reached on the FIXED twin: {message}")
            }
            (Outcome::Finished, Variant::Broken) => format!(
                "=> every thread finished safely: {}. This schedule missed the bug; {bugs} of \
                 the {games} possible games reach it (? during a game shows one).",
                self.safe
            ),
            (Outcome::Finished, Variant::Fixed) if bugs == 0 => format!(
                "=> every thread finished safely: {}. On the fixed twin no choice reaches the \
                 bug: {}.",
                self.safe,
                match games {
                    1 => "its only possible game finishes safely".to_string(),
                    n => format!("all {n} possible games finish safely"),
                }
            ),
            (Outcome::Finished, Variant::Fixed) => format!(
                "=> every thread finished safely: {}. But {bugs} of the fixed twin's {games} \
                 games reach a bug.",
                self.safe
            ),
        };
        lanes::wrap("", &text, lanes::WIDTH)
    }

    fn undo(&mut self) -> String {
        let undone = loop {
            if self.path.len() == 1 {
                return "nothing to undo: no step has been taken yet.\n".to_string();
            }
            let node = self.path.pop().expect("a step");
            let (thread, text) = self.tree.nodes[node].step.as_ref().expect("a step");
            // `main`'s steps are taken for the reader, so undo them together with the step before.
            if self.tree.threads[*thread] != MAIN {
                break format!("undid: {} {text}\n", self.tree.threads[*thread]);
            }
        };
        undone + &self.show()
    }

    /// Where the game is, without moving anything.
    fn show(&self) -> String {
        let mut out = String::new();
        if self.steps() > 0 {
            out.push('\n');
            out.push_str(&lanes::render(
                &self.tree.lines(*self.path.last().expect("the root")),
                lanes::WIDTH,
            ));
        }
        out.push('\n');
        out.push_str(&self.menu());
        out
    }

    fn hint(&self) -> String {
        let at = *self.path.last().expect("the root");
        let text = match self.tree.hint(at) {
            Some(steps) => {
                let steps: Vec<&str> = steps.into_iter().filter(|t| *t != MAIN).collect();
                format!(
                    "hint: {} from here reaches the bug.",
                    if steps.is_empty() {
                        "the next step".to_string()
                    } else {
                        steps.join(", ")
                    }
                )
            }
            None if self.tree.bugs() == 0 => {
                "hint: no schedule reaches the bug, from here or anywhere: every game finishes \
                 safely."
                    .to_string()
            }
            None => "hint: no schedule reaches the bug from here; u undoes a step.".to_string(),
        };
        lanes::wrap("", &text, lanes::WIDTH)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Plays `game` reading `input` line by line and writing to `out`. With `echo` (no terminal),
/// each choice is written after `> `, so the output is a transcript; without it (a terminal), a
/// `> ` prompt is written before each read. Then reports input left after the end (read to its
/// end only without a terminal; a terminal would wait for it).
pub fn drive(
    game: &mut Game<'_>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    echo: bool,
) -> io::Result<()> {
    write!(out, "{}", game.start())?;
    let mut lines = input.lines();
    while !game.is_over() {
        if !echo {
            write!(out, "> ")?;
            out.flush()?;
        }
        let Some(line) = lines.next() else {
            if !echo {
                writeln!(out)?;
            }
            writeln!(
                out,
                "game left unfinished: the input ended after {}.",
                plural(game.steps(), "step", "steps")
            )?;
            return Ok(());
        };
        let line = line?;
        if echo && !line.trim().is_empty() {
            writeln!(out, "> {}", line.trim())?;
        }
        write!(out, "{}", game.handle(&line))?;
    }
    if echo {
        let mut left = 0;
        for line in lines {
            left += usize::from(!line?.trim().is_empty());
        }
        if left > 0 {
            writeln!(
                out,
                "ignored {} of input after the game ended.",
                plural(left, "line", "lines")
            )?;
        }
    }
    Ok(())
}

/// Why `play` could not start: one line for stderr, and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The line, without the binary's name.
    pub message: String,
    /// 2 for bad input (an unknown or unplayable demo), 1 for a model that cannot be played.
    pub code: u8,
}

/// Finds `key`'s game in `chapter` and builds its tree for `variant`: the title line and the tree.
pub fn prepare(
    chapter: &Chapter,
    key: Option<&str>,
    variant: Variant,
) -> Result<(String, Tree, &'static Playable), Refusal> {
    let playable: Vec<&str> = chapter.play.iter().map(|p| p.id).collect();
    let which = format!("playable: {}", playable.join(", "));
    let refuse = |message: String, code| Err(Refusal { message, code });
    let Some(key) = key else {
        return refuse(
            format!("play needs a demo: {} play <demo> ({which})", chapter.name),
            2,
        );
    };
    let Some(demo) = chapter.find(key) else {
        return refuse(
            format!("no demo called '{key}' (try '{} list')", chapter.name),
            2,
        );
    };
    let Some(game) = chapter.play.iter().find(|p| p.id == demo.id) else {
        return refuse(
            format!(
                "{} {} is not playable: play needs a small loom model whose bug is reached by \
                 thread order ({which})",
                demo.id, demo.name
            ),
            2,
        );
    };
    let tree = (game.runs)(variant)
        .and_then(Tree::from_runs)
        .map_err(|why| Refusal {
            message: format!("{} cannot be played: {why}", demo.id),
            code: 1,
        })?;
    let mut title = format!("# play {} {} — {variant}\n", demo.id, demo.name);
    if let Some(note) = game.note {
        title.push_str(&lanes::wrap("", note, lanes::WIDTH));
    }
    Ok((title, tree, game))
}

/// A whole game as text, from its input: what `races play <key>` prints with `input` piped in
/// (a refusal is its one line). For tests that pin games as transcripts.
pub fn transcript(chapter: &Chapter, key: &str, variant: Variant, input: &str) -> String {
    match prepare(chapter, Some(key), variant) {
        Err(refusal) => format!("{}: {}\n", chapter.name, refusal.message),
        Ok((title, tree, game)) => {
            let mut out = title.into_bytes();
            let mut g = Game::new(&tree, variant, game.safe);
            drive(&mut g, &mut input.as_bytes(), &mut out, true).expect("writing to a Vec");
            String::from_utf8(out).expect("the game writes text")
        }
    }
}

/// `<chapter> play <demo> [--broken|--fixed]`, on stdin and stdout (see the module doc).
pub fn play_main(chapter: &Chapter, key: Option<&str>, variant: Variant) -> ExitCode {
    let (title, tree, game) = match prepare(chapter, key, variant) {
        Ok(ready) => ready,
        Err(refusal) => {
            eprintln!("{}: {}", chapter.name, refusal.message);
            return ExitCode::from(refusal.code);
        }
    };
    let stdin = io::stdin();
    let echo = !stdin.is_terminal();
    let mut out = io::stdout().lock();
    let mut g = Game::new(&tree, variant, game.safe);
    let played = write!(out, "{title}")
        .and_then(|()| drive(&mut g, &mut stdin.lock(), &mut out, echo))
        .and_then(|()| out.flush());
    match played {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is the reader leaving, not a failure of the game.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}: {e}", chapter.name);
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(steps: &[(&str, &str)], outcome: Option<&str>) -> Run {
        Run {
            lines: steps.iter().map(|(a, t)| line(a, t)).collect(),
            outcome: outcome.map_or(Outcome::Finished, |m| Outcome::Failed(m.to_string())),
            waiting: Vec::new(),
        }
    }

    /// Two threads of one step each; T1 going first is the bug.
    fn tiny() -> Tree {
        Tree::from_runs([
            run(&[("T0", "a"), ("T1", "b")], None),
            run(&[("T1", "b"), ("T0", "a")], Some("T1 went first")),
            run(&[("T0", "a"), ("T1", "b")], None), // the same run again: merged
        ])
        .expect("a consistent model")
    }

    fn play(tree: &Tree, variant: Variant, input: &str) -> String {
        let mut out = Vec::new();
        let mut game = Game::new(tree, variant, "all done");
        drive(&mut game, &mut input.as_bytes(), &mut out, true).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_trie_merges_runs_and_counts_games_and_bugs() {
        let tree = tiny();
        assert_eq!((tree.games(), tree.bugs()), (2, 1));
        assert_eq!(tree.threads(), ["T0", "T1"]);
        let bug = [line("T1", "b"), line("T0", "a")];
        assert_eq!(
            tree.outcome(&bug),
            Some(&Outcome::Failed("T1 went first".into()))
        );
        assert_eq!(tree.outcome(&bug[..1]), None, "the game goes on there");
        assert_eq!(tree.outcome(&[line("T0", "z")]), None, "not a game");
    }

    #[test]
    fn the_trie_refuses_a_next_step_that_thread_order_does_not_decide() {
        let err = Tree::from_runs([
            run(&[("T0", "reads 0")], None),
            run(&[("T0", "reads 1")], None),
        ])
        .unwrap_err();
        assert!(
            err.contains("thread order alone does not decide it"),
            "{err}"
        );
    }

    #[test]
    fn the_trie_refuses_runs_that_disagree_on_their_end() {
        let same = Tree::from_runs([run(&[("T0", "a")], None), run(&[("T0", "a")], Some("x"))]);
        assert!(same.unwrap_err().contains("end differently"));
        let longer = Tree::from_runs([
            run(&[("T0", "a")], None),
            run(&[("T0", "a"), ("T1", "b")], None),
        ]);
        assert!(longer.unwrap_err().contains("where another goes on"));
        assert!(Tree::from_runs([]).is_err());
    }

    #[test]
    fn a_game_moves_undoes_and_ends_with_the_verdict() {
        let out = play(&tiny(), Variant::Broken, "T0\nu\nu\n2\nt0\n");
        assert!(out.contains("undid: T0 a"), "{out}");
        assert!(out.contains("nothing to undo"), "{out}");
        assert!(out.ends_with("=> bug reached: T1 went first\n"), "{out}");
    }

    #[test]
    fn a_hint_names_a_schedule_to_the_bug_or_says_there_is_none() {
        let out = play(&tiny(), Variant::Broken, "?\nT0\n?\n");
        assert!(
            out.contains("hint: T1, T0 from here reaches the bug."),
            "{out}"
        );
        assert!(
            out.contains("hint: no schedule reaches the bug from here"),
            "{out}"
        );
        let safe = Tree::from_runs([run(&[("T0", "a")], None)]).unwrap();
        let out = play(&safe, Variant::Fixed, "?\nT0\n");
        assert!(out.contains("from here or anywhere"), "{out}");
        assert!(
            out.contains("On the fixed twin no choice reaches the bug"),
            "{out}"
        );
    }

    #[test]
    fn an_impossible_choice_is_one_line_and_the_game_goes_on() {
        let out = play(&tiny(), Variant::Broken, "T7\nT0\nT0\nT1\n");
        assert!(
            out.contains("'T7' is not a move: type a thread (T0 or T1) or its number, u to undo")
        );
        assert!(
            out.contains("> T0\nT0 cannot move now: it has finished.\n"),
            "{out}"
        );
        assert!(
            out.contains("=> every thread finished safely: all done."),
            "{out}"
        );
        let waits = Tree::from_runs([run(&[("T0", "a"), ("T1", "b")], None)]).unwrap();
        let out = play(&waits, Variant::Fixed, "T1\n");
        assert!(out.contains("T1 cannot move now: it waits for another thread to move first."));
    }

    #[test]
    fn input_after_the_end_is_reported_and_input_ending_early_leaves_the_game_unfinished() {
        let out = play(&tiny(), Variant::Broken, "T1\nT0\nT0\n\nT1\n");
        assert!(
            out.ends_with("ignored 2 lines of input after the game ended.\n"),
            "{out}"
        );
        let out = play(&tiny(), Variant::Broken, "T1\n");
        assert!(
            out.ends_with("game left unfinished: the input ended after 1 step.\n"),
            "{out}"
        );
        let out = play(&tiny(), Variant::Broken, "q\nT0\n");
        assert!(
            out.contains("game left unfinished after 0 steps.\nignored 1 line"),
            "{out}"
        );
    }

    #[test]
    fn main_moves_by_itself_when_no_one_else_can() {
        let tree = Tree::from_runs([run(&[("T0", "a"), ("main", "checks")], None)]).unwrap();
        let out = play(&tree, Variant::Fixed, "T0\n");
        assert!(
            out.lines()
                .any(|l| l.starts_with(" 2 ") && l.ends_with("checks")),
            "main's step is taken for the reader: {out}"
        );
        assert!(out.contains("every thread finished safely"), "{out}");
    }

    #[test]
    fn lock_runs_find_the_deadlock_of_opposite_orders_and_none_with_one_order() {
        let opposite = lock_runs(&[("T0", &["a", "b"]), ("T1", &["b", "a"])], "works");
        let tree = Tree::from_runs(opposite).unwrap();
        assert!(tree.bugs() > 0);
        let deadlock = [
            line("T0", "wants a"),
            line("T0", "locks a"),
            line("T1", "wants b"),
            line("T1", "locks b"),
            line("T0", "wants b (held by T1)"),
            line("T1", "wants a (held by T0)"),
        ];
        assert_eq!(
            tree.outcome(&deadlock),
            Some(&Outcome::Failed("deadlock: every thread is blocked".into()))
        );
        // Blocked for good is waiting, not finished, even though it never speaks again.
        let out = play(&tree, Variant::Broken, "T0\nT0\nT1\nT1\nT1\nT1\n");
        assert!(
            out.contains("T1 cannot move now: it waits for another thread"),
            "{out}"
        );
        let one_order = lock_runs(&[("T0", &["a", "b"]), ("T1", &["a", "b"])], "works");
        assert_eq!(Tree::from_runs(one_order).unwrap().bugs(), 0);
    }

    #[test]
    fn step_runs_try_every_order_and_run_the_check_at_the_end() {
        // Two threads each add one in a single step: 2 orders, both end with 2.
        let model = StepModel {
            threads: &["T0", "T1"],
            shared: 0,
            step: |mem, t| match mem.pc[t] {
                0 => {
                    mem.pc[t] += 1;
                    mem.shared += 1;
                    Step::Says(format!("adds, making {}", mem.shared))
                }
                _ => Step::Done,
            },
            check: |mem| match mem.shared {
                2 => Ok(()),
                n => Err(format!("{n}")),
            },
        };
        let tree = Tree::from_runs(step_runs(&model)).unwrap();
        assert_eq!((tree.games(), tree.bugs()), (2, 0));
        assert_eq!(
            panic_text(|| panic!("boom")).as_deref(),
            Some("boom"),
            "a panic's words"
        );
        assert_eq!(panic_text(|| ()), None);
    }

    #[test]
    fn explore_all_keeps_going_past_failures_and_caught_records_a_thread_panic() {
        use crate::sync::{Loom, Primitives};
        let runs = explore_all(|| {
            let t = Loom::spawn("T0", || caught(|| panic!("T0 fails")));
            assert_eq!(t.join(), None);
            panic!("the check fails too");
        })
        .unwrap();
        assert!(!runs.is_empty());
        assert!(
            runs.iter()
                .all(|r| r.outcome == Outcome::Failed("T0 fails".into())),
            "the first failure wins: {runs:?}"
        );
        // Outside `explore_all`, `caught` lets a panic through.
        let through = std::panic::catch_unwind(|| quietly(|| caught(|| panic!("through"))));
        assert!(through.is_err());
    }
}
