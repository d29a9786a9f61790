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
use crate::trace::Trace;
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
}

impl Verdict {
    /// Whether this is the verdict the variant should get.
    pub fn as_expected(&self) -> bool {
        matches!(self, Verdict::Caught(_) | Verdict::Holds(_))
    }

    /// The words after the label.
    pub fn detail(&self) -> &str {
        match self {
            Verdict::Caught(s) | Verdict::Holds(s) | Verdict::Missed(s) | Verdict::Failed(s) => s,
        }
    }

    /// `CAUGHT`, `HOLDS`, `MISSED` or `FAILED`.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Caught(_) => "CAUGHT",
            Verdict::Holds(_) => "HOLDS",
            Verdict::Missed(_) => "MISSED",
            Verdict::Failed(_) => "FAILED",
        }
    }
}

/// A demo's narration and verdict.
#[derive(Debug, Clone)]
pub struct Report {
    /// Which twin ran.
    pub variant: Variant,
    body: String,
    verdict: Option<Verdict>,
}

impl Report {
    /// An empty report for `variant`.
    pub fn new(variant: Variant) -> Self {
        Report {
            variant,
            body: String::new(),
            verdict: None,
        }
    }

    /// A line of narration.
    pub fn line(&mut self, text: impl fmt::Display) -> &mut Self {
        let _ = writeln!(self.body, "{text}");
        self
    }

    /// A section heading.
    pub fn heading(&mut self, text: impl fmt::Display) -> &mut Self {
        if !self.body.is_empty() {
            self.body.push('\n');
        }
        let _ = writeln!(self.body, "## {text}");
        self
    }

    /// A trace, as numbered steps.
    pub fn trace(&mut self, trace: &Trace) -> &mut Self {
        self.body.push_str(&trace.render());
        self
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

    /// Old form (queues migrates to [`Report::deadlocked`] with `watchdog::watch`): narrates a
    /// scenario under `watchdog::run` that stopped making progress: how long it was silent, then each
    /// thread's last words, one per line. Returns them as one line —
    /// `T0 wants lock2 (held by T1), T1 wants lock1 (held by T0)` — for the verdict.
    pub fn hung(&mut self, waited: Duration, trace: &Trace) -> String {
        self.line(format!(
            "=> no progress for {} ms: the watchdog gave up. Last words:",
            waited.as_millis()
        ));
        let words = watchdog::last_words(trace);
        for line in &words {
            self.line(format!("   {}: {}", line.actor, line.text));
        }
        words
            .iter()
            .map(|l| format!("{} {}", l.actor, l.text))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Ends the report with the verdict for this variant: `bug` is `Some(what was seen)` when the
    /// bug showed, `None` when the check held (`check` says what was checked).
    pub fn conclude(&mut self, bug: Option<String>, check: impl Into<String>) -> &mut Self {
        self.verdict = Some(match (self.variant, bug) {
            (Variant::Broken, Some(seen)) => Verdict::Caught(seen),
            (Variant::Broken, None) => Verdict::Missed(format!("no bug seen: {}", check.into())),
            (Variant::Fixed, None) => Verdict::Holds(check.into()),
            (Variant::Fixed, Some(seen)) => Verdict::Failed(seen),
        });
        self
    }

    /// The verdict (a report that never concluded counts as a failure).
    pub fn verdict(&self) -> Verdict {
        self.verdict
            .clone()
            .unwrap_or_else(|| Verdict::Failed("the demo reached no verdict".into()))
    }

    /// The whole report as text: narration, then the verdict line.
    pub fn render(&self) -> String {
        let verdict = self.verdict();
        format!(
            "{}\nverdict ({}): {} — {}\n",
            self.body,
            self.variant,
            verdict.label(),
            verdict.detail()
        )
    }
}
