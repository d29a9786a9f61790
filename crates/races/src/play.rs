//! The races chapter's games for `races play <demo>` (see `racelab_kit::play`): which demos can be
//! played, and the step model each game is played on.
//!
//! A game needs every order of the threads' narrated steps, each deciding what happens — and loom
//! gives neither (it runs one interleaving per class of equivalent ones, and its memory model lets
//! a load read an older value than a narrated store wrote; it also ends its search at a deadlock).
//! So each game is a small step model of its demo: one step per line the demo's code says, the
//! same words, the check's own failure message. `tests/demos/play.rs` holds every model to its demo:
//! loom's failing trace is a game that ends with the same message, and every run loom makes of the
//! fixed twin is a game that finishes safely. R3's Relaxed-publish half and the demos that run on
//! real threads, files or processes are not playable.

use racelab_kit::demo::Variant;
use racelab_kit::play::{
    LockThread, Mem, Playable, Step, StepModel, lock_runs, panic_text, step_runs,
};

/// The chapter's playable demos, registered in `crate::CHAPTER`.
pub static GAMES: [Playable; 5] = [
    Playable {
        id: "R1",
        safe: "both increments counted: the count is 2",
        note: None,
        runs: |variant| Ok(step_runs(&R1[variant as usize])),
    },
    Playable {
        id: "R2",
        safe: "exactly one thread took the last ticket: the count is 1",
        note: None,
        runs: |variant| Ok(step_runs(&R2[variant as usize])),
    },
    Playable {
        id: "R3",
        safe: "both increments counted: the count is 2",
        note: Some(
            "This is R3's lost-update half. Its Relaxed-publish half (atomic_counter/message) is \
             not playable: its bug is which value a load reads, not the order threads run in.",
        ),
        runs: |variant| Ok(step_runs(&R3[variant as usize])),
    },
    Playable {
        id: "R4",
        safe: "both threads took both locks and let them go",
        note: None,
        runs: |variant| {
            let threads = match variant {
                Variant::Broken => &R4_BROKEN,
                Variant::Fixed => &R4_FIXED,
            };
            Ok(lock_runs(threads, "is in the critical section"))
        },
    },
    Playable {
        id: "R5",
        safe: "exactly one thread removed index 1, and one item is left",
        note: None,
        runs: |variant| Ok(step_runs(&R5[variant as usize])),
    },
];

const TWO: &[&str] = &["T0", "T1"];

/// Takes one step: moves `t` on and says `text`.
fn says(mem: &mut Mem, t: usize, text: String) -> Step {
    mem.pc[t] += 1;
    Step::Says(text)
}

/// R1: `[broken, fixed]`. Broken: "reads n", then "writes n+1"; fixed: `fetch_add`, one step.
pub static R1: [StepModel; 2] = [
    StepModel {
        threads: TWO,
        shared: 0,
        step: |mem, t| match mem.pc[t] {
            0 => {
                mem.seen[t] = mem.shared;
                says(mem, t, format!("reads {}", mem.shared))
            }
            1 => {
                mem.shared = mem.seen[t] + 1;
                says(mem, t, format!("writes {}", mem.shared))
            }
            _ => Step::Done,
        },
        check: two_increments,
    },
    StepModel {
        threads: TWO,
        shared: 0,
        step: |mem, t| match mem.pc[t] {
            0 => {
                mem.shared += 1;
                let text = format!(
                    "reads {} and writes {} in one step",
                    mem.shared - 1,
                    mem.shared
                );
                says(mem, t, text)
            }
            _ => Step::Done,
        },
        check: two_increments,
    },
];

/// R1's and R3's check, `two_increments`.
fn two_increments(mem: &Mem) -> Result<(), String> {
    match mem.shared {
        2 => Ok(()),
        count => Err(format!(
            "lost update: 2 increments, but the count is {count}"
        )),
    }
}

/// R2: `[broken, fixed]`, one ticket left (`increment_below(1)`). Broken: "sees n" in one lock
/// scope, "increments" in another; fixed: both in one, the lock held in between.
pub static R2: [StepModel; 2] = [
    StepModel {
        threads: TWO,
        shared: 0,
        step: |mem, t| match mem.pc[t] {
            0 => {
                mem.seen[t] = mem.shared;
                if mem.seen[t] >= 1 {
                    mem.pc[t] = 2; // returns false
                    return Step::Says(format!("sees {}", mem.seen[t]));
                }
                says(mem, t, format!("sees {}", mem.seen[t]))
            }
            1 => {
                mem.shared += 1;
                mem.wins += 1;
                says(mem, t, "increments".into())
            }
            _ => Step::Done,
        },
        check: last_ticket,
    },
    StepModel {
        threads: TWO,
        shared: 0,
        step: |mem, t| match mem.pc[t] {
            0 if mem.holder.is_some() => Step::Waits,
            0 => {
                mem.holder = Some(t);
                mem.seen[t] = mem.shared;
                if mem.seen[t] >= 1 {
                    mem.holder = None; // returns false, letting go of the lock
                    mem.pc[t] = 2;
                    return Step::Says(format!("sees {}", mem.seen[t]));
                }
                says(mem, t, format!("sees {}", mem.seen[t]))
            }
            1 => {
                mem.shared += 1;
                mem.wins += 1;
                mem.holder = None;
                says(mem, t, "increments".into())
            }
            _ => Step::Done,
        },
        check: last_ticket,
    },
];

/// R2's check, `last_ticket`.
fn last_ticket(mem: &Mem) -> Result<(), String> {
    let (winners, count) = (mem.wins, mem.shared);
    if count > 1 || winners != 1 {
        return Err(format!(
            "overshoot: limit 1, but {winners} threads took a ticket and the count is {count}"
        ));
    }
    Ok(())
}

/// R3's lost-update half: `[broken, fixed]`. Broken: "gets n", then "sets n+1" (two lock
/// scopes); fixed: `fetch_add`, one step. Then `main` reads the count ("gets n") for the check.
pub static R3: [StepModel; 2] = [
    StepModel {
        threads: &["T0", "T1", "main"],
        shared: 0,
        step: |mem, t| match (t, mem.pc[t]) {
            (2, 0) => main_gets(mem, t),
            (_, 0) => {
                mem.seen[t] = mem.shared;
                says(mem, t, format!("gets {}", mem.shared))
            }
            (_, 1) if t != 2 => {
                mem.shared = mem.seen[t] + 1;
                says(mem, t, format!("sets {}", mem.shared))
            }
            _ => Step::Done,
        },
        check: two_increments,
    },
    StepModel {
        threads: &["T0", "T1", "main"],
        shared: 0,
        step: |mem, t| match (t, mem.pc[t]) {
            (2, 0) => main_gets(mem, t),
            (_, 0) => {
                mem.shared += 1;
                let text = format!(
                    "gets {} and sets {} in one step",
                    mem.shared - 1,
                    mem.shared
                );
                says(mem, t, text)
            }
            _ => Step::Done,
        },
        check: two_increments,
    },
];

/// `main`, once both threads are joined: the check's `counter.get()`, which narrates.
fn main_gets(mem: &mut Mem, t: usize) -> Step {
    if !mem.others_done(t) {
        return Step::Waits;
    }
    says(mem, t, format!("gets {}", mem.shared))
}

/// R4's broken twin as lock orders: `method1` takes lock1 then lock2, `method2` the opposite.
pub const R4_BROKEN: [LockThread; 2] = [("T0", &["lock1", "lock2"]), ("T1", &["lock2", "lock1"])];
/// R4's fixed twin: both methods take lock1, then lock2.
pub const R4_FIXED: [LockThread; 2] = [("T0", &["lock1", "lock2"]), ("T1", &["lock1", "lock2"])];

/// R5: `[broken, fixed]`, two items, each thread removes index 1 if it is there. Broken: the
/// check in one lock scope, then "locks again" and removes — `Vec::remove` panics if the other
/// thread removed it in between; fixed: the check and the removal under one lock.
pub static R5: [StepModel; 2] = [
    StepModel {
        threads: TWO,
        shared: 2,
        step: |mem, t| match mem.pc[t] {
            0 if mem.holder.is_some() => Step::Waits,
            0 => {
                let count = mem.shared;
                if 1 >= count {
                    mem.pc[t] = 3; // returns None
                    return Step::Says(format!("checks 1 < count {count}: false"));
                }
                says(mem, t, format!("checks 1 < count {count}: true"))
            }
            1 if mem.holder.is_some() => Step::Waits,
            1 => {
                let text = format!("locks again: count is {}", mem.shared);
                if let Some(message) = removal(mem.shared) {
                    return Step::Fails(text, message);
                }
                mem.holder = Some(t);
                says(mem, t, text)
            }
            2 => {
                mem.shared -= 1;
                mem.wins += 1;
                mem.holder = None;
                says(mem, t, "removes item 1".into())
            }
            _ => Step::Done,
        },
        check: two_removals,
    },
    StepModel {
        threads: TWO,
        shared: 2,
        step: |mem, t| match mem.pc[t] {
            0 if mem.holder.is_some() => Step::Waits,
            0 => {
                let count = mem.shared;
                if 1 >= count {
                    mem.pc[t] = 2; // returns None, letting go of the lock
                    return Step::Says(format!("checks 1 < count {count}: false"));
                }
                mem.holder = Some(t);
                says(mem, t, format!("checks 1 < count {count}: true"))
            }
            1 => {
                mem.shared -= 1;
                mem.wins += 1;
                mem.holder = None;
                says(mem, t, "removes item 1".into())
            }
            _ => Step::Done,
        },
        check: two_removals,
    },
];

/// What `Vec::remove(1)` panics with on `count` items, if it panics.
fn removal(count: usize) -> Option<String> {
    panic_text(|| {
        vec![(); count].remove(1);
    })
}

/// R5's check, `two_removals` (the removed item is always "second": only index 1 is removed).
fn two_removals(mem: &Mem) -> Result<(), String> {
    if mem.wins != 1 {
        let removed = vec!["second"; mem.wins];
        return Err(format!(
            "index 1 was removed {} times: {removed:?}",
            removed.len()
        ));
    }
    match mem.shared {
        1 => Ok(()),
        left => Err(format!("one removal, but {left} items are left")),
    }
}
