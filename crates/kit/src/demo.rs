//! The demo registry: what a chapter is, what a demo is, and what a demo reports.
//!
//! Every chapter crate exports one `pub static CHAPTER: Chapter` listing its demos. The chapter's
//! binary ([`cli::chapter_main`](crate::cli::chapter_main)), the `racelab` tour, and the chapter's
//! output tests all read that one list, so a demo registered once is runnable, toured and tested.
//!
//! A demo is a function from [`Variant`] to [`Report`]: the narration (plain words, deterministic,
//! pinned by insta) and a [`Verdict`]. A broken variant is expected to end [`Verdict::Caught`], a
//! fixed one [`Verdict::Holds`]; anything else is a failure of the demo itself.

use std::fmt::{self, Write as _};

use std::time::Duration;

use crate::explore::Exploration;
use crate::lanes;
use crate::trace::{Line, Trace};
use crate::watchdog;

/// A chapter of the book, and its binary.
#[derive(Debug)]
pub struct Chapter {
    /// The crate and binary name: `races`.
    pub name: &'static str,
    /// A title for listings: `Race conditions and deadlocks`.
    pub title: &'static str,
    /// Its demos, in book order.
    pub demos: &'static [Demo],
    /// The demos `play` can turn into a game (see [`play`](crate::play)); empty if none.
    pub play: &'static [crate::play::Playable],
    /// Entries of the guide with no broken/fixed pair to run — a mechanism only one platform
    /// has — covered by a book page and a smoke test instead. `list` shows them in ID order
    /// with the demos; running one prints where to read it. Empty in most chapters.
    pub sidebars: &'static [Sidebar],
}

/// An inventory entry that is a book page and a smoke test, not a runnable twin pair (P10: the
/// guide's Mach thread listing has no Linux call to port).
#[derive(Debug)]
pub struct Sidebar {
    /// The inventory ID: `P10`.
    pub id: &'static str,
    /// The page's name: `thread_inspector`.
    pub name: &'static str,
    /// One line: what the page covers.
    pub summary: &'static str,
    /// Why there is no twin pair, and what stands in for it (printed when it is "run").
    pub instead: &'static str,
}

/// One entry of the guide, as a runnable broken/fixed pair.
#[derive(Debug)]
pub struct Demo {
    /// The inventory ID: `R1`.
    pub id: &'static str,
    /// The module name: `unsafe_counter`.
    pub name: &'static str,
    /// One line: what goes wrong and how it is fixed.
    pub summary: &'static str,
    /// Runs one variant and narrates it.
    pub run: fn(Variant) -> Report,
}

impl Chapter {
    /// Finds a demo by module name or ID, ignoring case (`unsafe_counter`, `R1`, `r1`).
    pub fn find(&self, key: &str) -> Option<&'static Demo> {
        self.demos
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(key) || d.id.eq_ignore_ascii_case(key))
    }

    /// Finds a sidebar by name or ID, ignoring case.
    pub fn find_sidebar(&self, key: &str) -> Option<&'static Sidebar> {
        self.sidebars
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(key) || s.id.eq_ignore_ascii_case(key))
    }
}

/// Which twin to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The version with the bug.
    Broken,
    /// The version without it.
    Fixed,
}

impl Variant {
    /// Both, broken first.
    pub const BOTH: [Variant; 2] = [Variant::Broken, Variant::Fixed];
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Variant::Broken => "broken",
            Variant::Fixed => "fixed",
        })
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Broken, as expected, and the bug was caught: what was seen.
    Caught(String),
    /// Fixed, and the check held: what was checked.
    Holds(String),
    /// Broken, but the check did not see the bug (a failure of the demo).
    Missed(String),
    /// Fixed, but the check failed (a failure of the fix).
    Failed(String),
    /// Either twin: the demo could not run its scenario — a port in use, a file that cannot be
    /// created (see [`setup_failed`]). Never counts as catching a bug, nor as a fix holding.
    Error(String),
}

/// What a demo's plumbing says when it fails, so the verdict is [`Verdict::Error`] and never
/// `CAUGHT`: a broken twin whose server could not start has not shown its bug.
pub const SETUP_FAILED: &str = "setup failed: ";

/// `why`, marked as a failure of the demo's own plumbing (not of the code under test):
/// `Err(setup_failed(format!("could not bind 127.0.0.1:0: {e}")))`. A [`Report::conclude`] whose
/// `bug` carries the mark ends in [`Verdict::Error`].
pub fn setup_failed(why: impl fmt::Display) -> String {
    format!("{SETUP_FAILED}{why}")
}

impl Verdict {
    /// Whether this is the verdict the variant should get.
    pub fn as_expected(&self) -> bool {
        matches!(self, Verdict::Caught(_) | Verdict::Holds(_))
    }

    /// The words after the label.
    pub fn detail(&self) -> &str {
        match self {
            Verdict::Caught(s)
            | Verdict::Holds(s)
            | Verdict::Missed(s)
            | Verdict::Failed(s)
            | Verdict::Error(s) => s,
        }
    }

    /// `CAUGHT`, `HOLDS`, `MISSED`, `FAILED` or `ERROR`.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Caught(_) => "CAUGHT",
            Verdict::Holds(_) => "HOLDS",
            Verdict::Missed(_) => "MISSED",
            Verdict::Failed(_) => "FAILED",
            Verdict::Error(_) => "ERROR",
        }
    }
}

/// A demo's narration and verdict.
#[derive(Debug, Clone)]
pub struct Report {
    /// Which twin ran.
    pub variant: Variant,
    body: Vec<Block>,
    verdict: Option<Verdict>,
}

/// A piece of a report: narration text, or a trace kept as lines so that it can be drawn either
/// as numbered steps ([`Report::render`]) or as lanes ([`Report::render_lanes`]).
#[derive(Debug, Clone)]
enum Block {
    Text(String),
    Trace(Vec<Line>),
}

impl Report {
    /// An empty report for `variant`.
    pub fn new(variant: Variant) -> Self {
        Report {
            variant,
            body: Vec::new(),
            verdict: None,
        }
    }

    /// The text block at the end of the body, started if the last block is a trace.
    fn text(&mut self) -> &mut String {
        if !matches!(self.body.last(), Some(Block::Text(_))) {
            self.body.push(Block::Text(String::new()));
        }
        match self.body.last_mut() {
            Some(Block::Text(text)) => text,
            _ => unreachable!("a text block was just pushed"),
        }
    }

    /// A line of narration.
    pub fn line(&mut self, text: impl fmt::Display) -> &mut Self {
        let _ = writeln!(self.text(), "{text}");
        self
    }

    /// A section heading.
    pub fn heading(&mut self, text: impl fmt::Display) -> &mut Self {
        let first = self.body.is_empty();
        let body = self.text();
        if !first {
            body.push('\n');
        }
        let _ = writeln!(body, "## {text}");
        self
    }

    /// A trace: numbered steps in [`Report::render`], lanes in [`Report::render_lanes`].
    pub fn trace(&mut self, trace: &Trace) -> &mut Self {
        self.body.push(Block::Trace(trace.lines()));
        self
    }

    /// Every trace in the report, in order, each with the heading of the section it is in (the
    /// last `## …` before it, without the `## `): what the book draws as lanes, captioned.
    pub fn traces(&self) -> Vec<(Option<&str>, &[Line])> {
        let mut heading = None;
        let mut out = Vec::new();
        for block in &self.body {
            match block {
                Block::Text(text) => {
                    if let Some(last) = text.lines().rev().find_map(|l| l.strip_prefix("## ")) {
                        heading = Some(last);
                    }
                }
                Block::Trace(lines) => out.push((heading, lines.as_slice())),
            }
        }
        out
    }

    /// Narrates a loom search: how many interleavings, and the failing one if any.
    pub fn exploration(&mut self, x: &Exploration) -> &mut Self {
        match &x.failure {
            Some(failure) => {
                self.line(format!(
                    "loom found a failing interleaving on try {}:",
                    x.interleavings
                ));
                self.trace(&failure.trace);
                self.line(format!("=> {}", failure.message))
            }
            None if x.interleavings == 1 => {
                self.line("loom ran the only interleaving there is; it passed.")
            }
            None => self.line(format!(
                "loom ran all {} interleavings; every one passed.",
                x.interleavings
            )),
        }
    }

    /// Narrates a proven deadlock ([`watchdog::Outcome::Deadlocked`]): the cycle, or who waits
    /// on what; returns the proof in one line.
    pub fn deadlocked(&mut self, proof: &watchdog::Deadlock) -> String {
        let (why, waits) = if proof.cycle.is_empty() {
            (
                "every thread waits, and nothing is left to wake any of them",
                &proof.everyone,
            )
        } else {
            (
                "a cycle of waits, so none of them can ever go on",
                &proof.cycle,
            )
        };
        self.line(format!("=> deadlock, proven: {why}:"));
        for wait in waits {
            self.line(format!("   {wait}"));
        }
        proof.summary()
    }

    /// A stall, for the verdict: narrates it ([`Report::stalled`]) and returns what failed — for
    /// the fixed twin only. The backstop proves nothing, so it may fail a fix but can never count
    /// as catching the bug in the broken twin: no verdict is decided by the clock.
    pub fn stall(&mut self, idle: Duration, trace: &Trace) -> Option<String> {
        let words = self.stalled(idle, trace);
        (self.variant == Variant::Fixed).then(|| format!("stalled: {words}"))
    }

    /// Narrates the watchdog's backstop ([`watchdog::Outcome::Stalled`]): nothing happened for
    /// `idle`, and each thread's last words; returns them in one line.
    pub fn stalled(&mut self, idle: Duration, trace: &Trace) -> String {
        self.line(format!(
            "=> stalled: nothing happened for {} s, and no deadlock was proven. Last words:",
            idle.as_secs()
        ));
        let words = watchdog::last_words(trace);
        for line in &words {
            self.line(format!("   {}: {}", line.actor, line.text));
        }
        words
            .iter()
            .map(|l| format!("{} {}", l.actor, l.text))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Ends the report with the verdict for this variant: `bug` is `Some(what was seen)` when the
    /// bug showed, `None` when the check held (`check` says what was checked). A `bug` that carries
    /// the [`setup_failed`] mark is no bug: the verdict is [`Verdict::Error`], whichever the twin.
    pub fn conclude(&mut self, bug: Option<String>, check: impl Into<String>) -> &mut Self {
        self.verdict = Some(match (self.variant, bug) {
            (_, Some(seen)) if seen.contains(SETUP_FAILED) => Verdict::Error(seen),
            (Variant::Broken, Some(seen)) => Verdict::Caught(seen),
            (Variant::Broken, None) => Verdict::Missed(format!("no bug seen: {}", check.into())),
            (Variant::Fixed, None) => Verdict::Holds(check.into()),
            (Variant::Fixed, Some(seen)) => Verdict::Failed(seen),
        });
        self
    }

    /// Ends the report of a demo that shows several bugs, one check each: `checks[i]` is
    /// `Err(what was seen)` when check *i* found its bug. A broken twin is caught only if **every**
    /// check found its bug — one that slipped through means the demo no longer shows it — and a
    /// fixed twin holds only if none did. `check` says what was checked, all together.
    pub fn conclude_each(
        &mut self,
        checks: impl IntoIterator<Item = Result<(), String>>,
        check: impl Into<String>,
    ) -> &mut Self {
        let results: Vec<Result<(), String>> = checks.into_iter().collect();
        let seen: Vec<String> = results.iter().filter_map(|r| r.clone().err()).collect();
        let check = check.into();
        if self.variant == Variant::Broken
            && seen.len() < results.len()
            && !seen.iter().any(|s| s.contains(SETUP_FAILED))
        {
            self.verdict = Some(Verdict::Missed(format!(
                "only {} of {} bugs seen ({}): {check}",
                seen.len(),
                results.len(),
                if seen.is_empty() {
                    "none".to_string()
                } else {
                    seen.join("; ")
                }
            )));
            return self;
        }
        let bug = (!seen.is_empty()).then(|| seen.join("; "));
        self.conclude(bug, check)
    }

    /// The verdict (a report that never concluded counts as a failure).
    pub fn verdict(&self) -> Verdict {
        self.verdict
            .clone()
            .unwrap_or_else(|| Verdict::Failed("the demo reached no verdict".into()))
    }

    /// The whole report as text: narration (traces as numbered steps), then the verdict line.
    pub fn render(&self) -> String {
        self.render_with(|lines| {
            let trace = Trace::new();
            for line in lines {
                trace.push(line.actor.clone(), line.text.clone());
            }
            trace.render()
        })
    }

    /// The same report with every trace drawn as lanes, one column per thread, no wider than
    /// [`lanes::WIDTH`] (`--lanes`).
    /// Narration lines wider than that wrap too, so the whole output fits a terminal.
    pub fn render_lanes(&self) -> String {
        lanes::fit(
            &self.render_with(|lines| lanes::render(lines, lanes::WIDTH)),
            lanes::WIDTH,
            3,
        )
    }

    fn render_with(&self, draw: impl Fn(&[Line]) -> String) -> String {
        let mut body = String::new();
        for block in &self.body {
            match block {
                Block::Text(text) => body.push_str(text),
                Block::Trace(lines) => body.push_str(&draw(lines)),
            }
        }
        let verdict = self.verdict();
        format!(
            "{body}\nverdict ({}): {} — {}\n",
            self.variant,
            verdict.label(),
            verdict.detail()
        )
    }
}

/// "all N interleavings", or "the only interleaving" when N is 1: for verdicts that count what a
/// search covered ("… in all 12 interleavings").
pub fn all_interleavings(n: usize) -> String {
    if n == 1 {
        "the only interleaving".to_string()
    } else {
        format!("all {n} interleavings")
    }
}
