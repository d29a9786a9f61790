//! R14 `cross_process_ipc` — the guide's "IPC" works only inside one process.
//!
//! Ports the guide's "Inter-Process Communication" (L5378–5476): an app and its extension — two
//! processes — share a file and notify each other. Both of the guide's tools are per-process
//! objects, so neither crosses the boundary it is meant to cross:
//!
//! | check | broken (the guide's tool) | fixed (a kernel object) |
//! |---|---|---|
//! | [`two_processes_add_one`]: two processes each add 1 to a counter file holding 0 | [`broken`]: the serial `messageQueue` is per process: both read 0, the file ends at 1 | [`fixed`]: `flock(2)` held across read-modify-write: 2 |
//! | [`notify_other_process`]: the app posts "DataUpdated"; the extension observes it | [`center::broken`]: `NotificationCenter.default` is per process: nothing arrives | [`center::fixed`]: a Unix domain socket: it arrives |
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
//! The two lessons are two twins: the counter file here, the notification centre in [`center`].
//! The plumbing the checks share (the counter file's format, how a check ends, running one check)
//! is in [`harness`]; the other process is [`peer`], held on a short leash by [`child`].
//!
//! Unix only (Unix domain sockets), like the rest of racelab's process demos.

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::Trace;

pub mod broken;
pub mod center;
pub mod child;
pub mod fixed;
pub mod harness;
pub mod peer;

use center::Center;
use child::{Child, Program};
use harness::{Check, Outcome, run, scratch_dir, variant_arg};

// ANCHOR: counter_check
/// Two processes, P1 and P2, each add 1 to a counter file holding 0; then it must hold 2.
/// `main` forces the interleaving: P1 reads; P2 reads (or finds the file locked); P1 writes and
/// exits; P2 goes on.
pub fn two_processes_add_one(program: &Program, variant: Variant, trace: &Trace) -> Outcome {
    let run = || -> Result<Outcome, String> {
        let dir = scratch_dir()?;
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
        let dir = scratch_dir()?;
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
