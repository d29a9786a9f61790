//! The queues chapter's games for `queues play <demo>` (see `racelab_kit::play`, and the races
//! chapter's `play` for why a game is played on a step model rather than on loom's runs): Q1, whose
//! bug is reached by the order its queues' threads run in. `tests/demos/play.rs` holds the model to
//! Q1's loom check. The other demos run on real threads or simulators, or have no bug that thread
//! order alone reaches in a small model, so they are not playable.

use racelab_kit::play::{Mem, Playable, Step, StepModel, step_runs};

/// The chapter's playable demos, registered in `crate::CHAPTER`.
pub static GAMES: [Playable; 1] = [Playable {
    id: "Q1",
    safe: "both saves counted: the database holds 2 records",
    note: None,
    runs: |variant| Ok(step_runs(&Q1[variant as usize])),
}];

/// One save, `save_to_database`: "reads n records", then "writes n+1 records".
fn save(mem: &mut Mem, t: usize, half: usize) -> Step {
    mem.pc[t] += 1;
    if half == 0 {
        mem.seen[t] = mem.shared;
        Step::Says(format!("reads {} records", mem.shared))
    } else {
        mem.shared = mem.seen[t] + 1;
        Step::Says(format!("writes {} records", mem.shared))
    }
}

/// Q1: `[broken, fixed]`. Broken: a queue (a thread) per save, so two threads save at once;
/// fixed: one queue, whose one thread runs both saves in order.
pub static Q1: [StepModel; 2] = [
    StepModel {
        threads: &["critical.operations #1", "critical.operations #2"],
        shared: 0,
        step: |mem, t| match mem.pc[t] {
            pc @ 0..=1 => save(mem, t, pc),
            _ => Step::Done,
        },
        check: two_saves,
    },
    StepModel {
        threads: &["critical.operations #1"],
        shared: 0,
        step: |mem, t| match mem.pc[t] {
            pc @ 0..=3 => save(mem, t, pc % 2),
            _ => Step::Done,
        },
        check: two_saves,
    },
];

/// Q1's check, `two_saves`.
fn two_saves(mem: &Mem) -> Result<(), String> {
    match mem.shared {
        2 => Ok(()),
        records => Err(format!(
            "lost update: 2 saves, but the database holds {records} record(s)"
        )),
    }
}
