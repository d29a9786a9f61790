//! R14 `cross_process_ipc` — the guide's "IPC" works only inside one process.
//!
//! Ports the guide's "Inter-Process Communication" (L5378–5476): an app and its extension — two
//! processes — share a file and notify each other. Both of the guide's tools are per-process
//! objects, so neither crosses the boundary it is meant to cross:
//!
//! | check | broken (the guide's tool) | fixed (a kernel object) |
//! |---|---|---|
//! | [`two_processes_add_one`]: two processes each add 1 to a counter file holding 0 | the serial `messageQueue` is per process: both read 0, the file ends at 1 | `flock(2)` held across read-modify-write: 2 |
//! | [`notify_other_process`]: the app posts "DataUpdated"; the extension observes it | `NotificationCenter.default` is per process: nothing arrives | a Unix domain socket: it arrives |
//!
//! Both checks run **real processes**: the peer is the `ipc_peer` binary (`src/bin/ipc_peer.rs`,
//! see [`peer`]), started by `main` (the test or the demo) and driven over its stdin and stdout.
//! The peer says each step as it happens and waits for a line from `main` before its next one,
//! so `main` chooses the interleaving — for the counter: P1 reads, P2 reads (or finds the file
//! locked), P1 writes, P2 writes. Nothing sleeps to order anything, every wait is bounded, and a
//! child that fails is killed by its guard ([`child::Child`]).
//!
//! Also wrong in the guide, not checked here: file writes (L5409) are neither atomic nor
//! coordinated, so a reader in the other process can see half a file (R12 shows the fix:
//! write a temporary file and rename it); `synchronize()` (L5388) is unnecessary on current iOS;
//! and the observer's `queue: nil` (L5445) runs the handler on the posting thread — here the
//! private `messageQueue`.
//!
//! Unix only (Unix domain sockets), like the rest of racelab's process demos.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};

pub mod broken;
pub mod child;
pub mod fixed;
pub mod peer;

use child::{Child, Program, TempDir};

/// The number in `file` (an empty file is 0).
pub fn read_number(file: &mut File) -> io::Result<u64> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0))?;
    file.read_to_string(&mut text)?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{text:?}: {e}")))
}

/// Replaces the contents of `file` with `n`.
pub fn write_number(file: &mut File, n: u64) -> io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    file.set_len(0)?;
    writeln!(file, "{n}")?;
    file.sync_all()
}

/// Either twin's notification centre.
#[derive(Debug, Clone)]
pub enum Center {
    /// `NotificationCenter.default`: this process's.
    Broken(broken::NotificationCenter),
    /// Sockets in a shared directory.
    Fixed(fixed::NotificationCenter),
}

/// Either twin's observer.
#[derive(Debug)]
pub enum Observer {
    /// Subscribed to this process's centre.
    Broken(broken::Observer),
    /// Listening on a socket.
    Fixed(fixed::Observer),
}

impl Center {
    /// The twin's centre; `dir` is the shared directory (which the guide's centre has no use for).
    pub fn new(variant: Variant, dir: &Path) -> Center {
        match variant {
            Variant::Broken => Center::Broken(broken::NotificationCenter::default_center()),
            Variant::Fixed => Center::Fixed(fixed::NotificationCenter::at(dir)),
        }
    }

    /// Posts `name` with `info`.
    pub fn post(&self, name: &str, info: &str) -> io::Result<()> {
        match self {
            Center::Broken(c) => c.post(name, info),
            Center::Fixed(c) => c.post(name, info),
        }
    }

    /// Starts observing `name`.
    pub fn observe(&self, name: &str) -> io::Result<Observer> {
        Ok(match self {
            Center::Broken(c) => Observer::Broken(c.observe(name)?),
            Center::Fixed(c) => Observer::Fixed(c.observe(name)?),
        })
    }
}

impl Observer {
    /// What has arrived, if anything; never waits for a post.
    pub fn received(&mut self) -> io::Result<Option<String>> {
        match self {
            Observer::Broken(o) => o.received(),
            Observer::Fixed(o) => o.received(),
        }
    }
}

/// How a check ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// What it checks held.
    Held,
    /// The bug showed: what was seen.
    Bug(String),
    /// The check itself could not run (a peer did not start, or stopped talking).
    Error(String),
}

impl From<Result<Outcome, String>> for Outcome {
    fn from(result: Result<Outcome, String>) -> Outcome {
        result.unwrap_or_else(Outcome::Error)
    }
}

fn variant_arg(variant: Variant) -> OsString {
    variant.to_string().into()
}

// ANCHOR: counter_check
/// Two processes, P1 and P2, each add 1 to a counter file holding 0; then it must hold 2.
/// `main` forces the interleaving: P1 reads; P2 reads (or finds the file locked); P1 writes and
/// exits; P2 goes on.
pub fn two_processes_add_one(program: &Program, variant: Variant, trace: &Trace) -> Outcome {
    let run = || -> Result<Outcome, String> {
        let dir = TempDir::new().map_err(|e| format!("no temp dir: {e}"))?;
        let file = dir.path().join("counter");
        std::fs::write(&file, "0\n").map_err(|e| format!("cannot write the counter: {e}"))?;
        let args = ["count".into(), variant_arg(variant), file.clone().into()];

        say!("puts 0 in the counter file, starts P1");
        let mut p1 = Child::spawn(program, "P1", &args, trace)?;
        p1.expect(&["reads"])?;
        say!("starts P2");
        let mut p2 = Child::spawn(program, "P2", &args, trace)?;
        let first = p2.expect(&["reads", "waits for the lock"])?;

        say!("lets P1 go on");
        p1.send("go")?;
        p1.expect(&["writes"])?;
        p1.finish()?;
        say!("sees P1 exit");
        if !first.contains("reads") {
            p2.expect(&["reads"])?;
        }
        say!("lets P2 go on");
        p2.send("go")?;
        p2.expect(&["writes"])?;
        p2.finish()?;

        let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read: {e}"))?;
        let count = text.trim();
        say!("sees P2 exit; the counter file holds {count}");
        Ok(if count == "2" {
            Outcome::Held
        } else {
            Outcome::Bug(format!(
                "two processes each added 1 to 0, yet the file holds {count}: an update was lost"
            ))
        })
    };
    run().into()
}
// ANCHOR_END: counter_check

// ANCHOR: notify_check
/// The app (`main`) posts "DataUpdated"; the extension, another process, observes it and must
/// receive it.
pub fn notify_other_process(program: &Program, variant: Variant, trace: &Trace) -> Outcome {
    let run = || -> Result<Outcome, String> {
        let dir = TempDir::new().map_err(|e| format!("no temp dir: {e}"))?;
        let args = [
            "observe".into(),
            variant_arg(variant),
            dir.path().into(),
            "DataUpdated".into(),
        ];
        say!("starts the extension, ext");
        let mut ext = Child::spawn(program, "ext", &args, trace)?;
        ext.expect(&["observes"])?;

        let center = Center::new(variant, dir.path());
        center
            .post("DataUpdated", "count=1")
            .map_err(|e| format!("cannot post: {e}"))?;
        say!("posts \"DataUpdated\" with count=1, then tells ext to look");
        ext.send("look")?;
        let seen = ext.expect(&["received"])?;
        ext.finish()?;
        Ok(if seen.starts_with("received \"DataUpdated\"") {
            Outcome::Held
        } else {
            Outcome::Bug(
                "the extension never received \"DataUpdated\": the post stayed in the app's process"
                    .into(),
            )
        })
    };
    run().into()
}
// ANCHOR_END: notify_check

/// The two checks, in the order the demo and the book tell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// [`two_processes_add_one`].
    Counter,
    /// [`notify_other_process`].
    Notify,
}

impl Check {
    /// Both.
    pub const ALL: [Check; 2] = [Check::Counter, Check::Notify];

    /// The bug it catches in the broken twin, in a few words (for verdicts and the tour's table).
    pub fn bug(self) -> &'static str {
        match self {
            Check::Counter => "an update lost between processes",
            Check::Notify => "the post never leaves the process",
        }
    }

    /// What it checks, as a heading.
    pub fn title(self) -> &'static str {
        match self {
            Check::Counter => "processes P1 and P2 each add 1 to a shared counter file holding 0",
            Check::Notify => {
                "the app posts \"DataUpdated\"; its extension, another process, observes it"
            }
        }
    }
}

/// Runs one check on one twin with `program` as the peer; returns its outcome and the trace.
pub fn run(check: Check, variant: Variant, program: &Program) -> (Outcome, Trace) {
    traced(|trace| match check {
        Check::Counter => two_processes_add_one(program, variant, trace),
        Check::Notify => notify_other_process(program, variant, trace),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R14",
    name: "cross_process_ipc",
    summary: "a per-process lock and NotificationCenter do not cross processes; flock and a Unix socket do",
    run: demo,
};

/// The demo: both checks, with real processes.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let mut bugs = Vec::new();
    let mut errors = Vec::new();
    match peer::program() {
        Err(e) => errors.push(e),
        Ok(program) => {
            for check in Check::ALL {
                report.heading(check.title());
                let (outcome, trace) = run(check, variant, &program);
                report.trace(&trace);
                match outcome {
                    Outcome::Held => report.line("=> as it should be."),
                    Outcome::Bug(what) => {
                        bugs.push(check.bug());
                        report.line(format!("=> {what}"))
                    }
                    Outcome::Error(what) => {
                        report.line(format!("=> the check could not run: {what}"));
                        errors.push(what);
                        &mut report
                    }
                };
            }
        }
    }
    let held = "both processes' updates land; the other process receives the post";
    if let Some(error) = errors.first() {
        // A check that could not run proves nothing either way: never CAUGHT, never HOLDS.
        report.line(format!("the demo could not run: {error}"));
        let bug = (variant == Variant::Fixed).then(|| format!("could not run: {error}"));
        report.conclude(bug, format!("could not run: {error}"));
    } else {
        report.conclude((!bugs.is_empty()).then(|| bugs.join("; ")), held);
    }
    report
}
