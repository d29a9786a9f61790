//! `races play`: whole games pinned as transcripts, and each game's step model held to its demo's
//! loom check — loom's failing trace is a game ending with the same message, and every run loom
//! makes of the fixed twin is a game that finishes safely.

use std::io::Write as _;
use std::process::{Command, Stdio};

use racelab_kit::demo::Variant;
use racelab_kit::explore::Exploration;
use racelab_kit::play::{Outcome, Tree, explore_all, transcript};
use racelab_kit::sync::Loom;
use races::{
    CHAPTER, atomic_counter, counter_variants, lock_ordering, unsafe_array, unsafe_counter,
};

const RACES: &str = env!("CARGO_BIN_EXE_races");

fn tree(id: &str, variant: Variant) -> Tree {
    let game = CHAPTER.play.iter().find(|p| p.id == id).expect("playable");
    Tree::from_runs((game.runs)(variant).expect("runs")).expect("a game tree")
}

/// The game ends where loom's failing interleaving ends, with loom's message.
fn loom_failure_is_a_game(id: &str, x: Exploration) {
    let failure = x.expect_failure();
    assert_eq!(
        tree(id, Variant::Broken).outcome(&failure.trace.lines()),
        Some(&Outcome::Failed(failure.message.clone())),
        "{id}: loom's failing trace, played"
    );
}

/// Every run loom makes of the fixed twin is a game that finishes safely.
fn loom_runs_are_safe_games(id: &str, runs: Result<Vec<racelab_kit::play::Run>, String>) {
    let tree = tree(id, Variant::Fixed);
    assert_eq!(
        tree.bugs(),
        0,
        "{id}: no game of the fixed twin reaches the bug"
    );
    for run in runs.expect("the fixed twin never fails") {
        assert_eq!(run.outcome, Outcome::Finished);
        assert_eq!(
            tree.outcome(&run.lines),
            Some(&Outcome::Finished),
            "{id}: loom's run {:?}",
            run.lines
        );
    }
}

#[test]
fn r1_broken_the_lost_update_in_four_moves() {
    let game = transcript(&CHAPTER, "R1", Variant::Broken, "T0\nT1\nT1\nT0\n");
    assert!(game.ends_with("=> bug reached: lost update: 2 increments, but the count is 1\n"));
    racelab_testkit::snapshot!("play__r1_broken", game);
}

#[test]
fn r1_fixed_two_moves_count_both_increments() {
    let game = transcript(&CHAPTER, "R1", Variant::Fixed, "T0\nT1\n");
    assert!(game.contains("=> every thread finished safely: both increments counted"));
    racelab_testkit::snapshot!("play__r1_fixed", game);
}

#[test]
fn r1_every_order_of_two_reads_and_two_writes_is_a_game_and_loom_agrees() {
    let broken = tree("R1", Variant::Broken);
    assert_eq!((broken.games(), broken.bugs()), (6, 4));
    loom_failure_is_a_game("R1", unsafe_counter::explore_variant(Variant::Broken));
    loom_runs_are_safe_games(
        "R1",
        explore_all(unsafe_counter::two_increments::<Loom, unsafe_counter::fixed::Counter<Loom>>),
    );
}

/// Why the games are step models and not loom's own runs: loom runs one interleaving per class of
/// equivalent ones (T1 never goes first here), and lets T1 read 0 after T0 said "writes 1".
#[test]
fn loom_runs_are_not_a_game_tree() {
    let runs =
        explore_all(unsafe_counter::two_increments::<Loom, unsafe_counter::broken::Counter<Loom>>)
            .expect("every run is kept");
    assert!(runs.iter().all(|r| r.lines[0].actor == "T0"));
    let refused = Tree::from_runs(runs).unwrap_err();
    assert!(
        refused.contains("thread order alone does not decide it"),
        "{refused}"
    );
}

#[test]
fn r2_broken_both_threads_take_the_last_ticket_with_a_hint_first() {
    let game = transcript(&CHAPTER, "R2", Variant::Broken, "?\nT0\nT1\nT1\nT0\n");
    assert!(game.contains("hint: T0, T1, T0, T1 from here reaches the bug."));
    racelab_testkit::snapshot!("play__r2_broken", game);
    loom_failure_is_a_game("R2", counter_variants::explore_variant(Variant::Broken));
    loom_runs_are_safe_games(
        "R2",
        explore_all(
            counter_variants::last_ticket::<Loom, counter_variants::fixed::SafeCounter<Loom>>,
        ),
    );
}

#[test]
fn r3_broken_main_reads_the_count_by_itself() {
    let game = transcript(&CHAPTER, "R3", Variant::Broken, "T0\nT1\nT1\nT0\n");
    assert!(game.contains("Relaxed-publish half (atomic_counter/message) is not playable"));
    racelab_testkit::snapshot!("play__r3_broken", game);
    loom_failure_is_a_game("R3", atomic_counter::explore_variant(Variant::Broken));
    loom_runs_are_safe_games(
        "R3",
        explore_all(unsafe_counter::two_increments::<Loom, atomic_counter::fixed::Counter<Loom>>),
    );
}

#[test]
fn r4_broken_each_thread_holds_one_lock_and_wants_the_other() {
    let moves = "T0\nT0\nT1\nT1\nT1\nT1\nT0\n";
    let game = transcript(&CHAPTER, "R4", Variant::Broken, moves);
    assert!(game.contains("T1 cannot move now: it waits for another thread to move first."));
    assert!(game.ends_with("=> bug reached: deadlock: every thread is blocked\n"));
    racelab_testkit::snapshot!("play__r4_broken", game);
}

#[test]
fn r4_fixed_one_lock_order_lets_both_finish() {
    let moves = "T0\nT0\nT1\nT1\nT0\nT0\nT0\nT0\nT0\nT1\nT1\nT1\nT1\nT1\nT1\n";
    let game = transcript(&CHAPTER, "R4", Variant::Fixed, moves);
    assert!(game.contains("T1 cannot move now"));
    assert!(game.contains("all 16 possible games finish safely."));
    racelab_testkit::snapshot!("play__r4_fixed", game);
}

/// loom ends its search at R4's deadlock; the lock model plays its failing trace, the real
/// threads' gated trace, and every run of the fixed twin.
#[test]
fn r4_the_lock_model_agrees_with_loom_and_with_real_threads() {
    let stopped = explore_all(
        lock_ordering::both_methods::<Loom, lock_ordering::broken::DeadlockExample<Loom>>,
    )
    .unwrap_err();
    assert!(stopped.contains("deadlock"), "{stopped}");
    loom_failure_is_a_game("R4", lock_ordering::explore_variant(Variant::Broken));
    let (_, gated) = lock_ordering::run_gated(Variant::Broken);
    assert_eq!(
        tree("R4", Variant::Broken).outcome(&gated.lines()),
        Some(&Outcome::Failed("deadlock: every thread is blocked".into()))
    );
    loom_runs_are_safe_games(
        "R4",
        explore_all(
            lock_ordering::both_methods::<Loom, lock_ordering::fixed::DeadlockExample<Loom>>,
        ),
    );
    let (_, gated) = lock_ordering::run_gated(Variant::Fixed);
    assert_eq!(
        tree("R4", Variant::Fixed).outcome(&gated.lines()),
        Some(&Outcome::Finished)
    );
}

#[test]
fn r5_broken_the_second_removal_panics_after_an_impossible_move_and_an_undo() {
    let moves = "T0\nT1\nT1\nT0\nu\nT1\nT1\nT0\nT0\nT1\n";
    let game = transcript(&CHAPTER, "R5", Variant::Broken, moves);
    assert!(game.ends_with(
        "=> bug reached: removal index (is 1) should be < len (is 1)\n\
         ignored 2 lines of input after the game ended.\n"
    ));
    racelab_testkit::snapshot!("play__r5_broken", game);
    loom_failure_is_a_game("R5", unsafe_array::explore_variant(Variant::Broken));
    loom_runs_are_safe_games(
        "R5",
        explore_all(
            unsafe_array::two_removals::<Loom, unsafe_array::fixed::ArrayManager<Loom, String>>,
        ),
    );
}

#[test]
fn a_demo_that_is_not_playable_says_so() {
    let said = transcript(&CHAPTER, "R6", Variant::Broken, "");
    assert_eq!(
        said,
        "races: R6 producer_consumer is not playable: play needs a small loom model whose bug is \
         reached by thread order (playable: R1, R2, R3, R4, R5)\n"
    );
}

/// What `printf '<input>' | races play <args>` prints, and its exit code.
fn piped(args: &[&str], input: &str) -> (Option<i32>, String, String) {
    let mut child = Command::new(RACES)
        .arg("play")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run races");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write the moves");
    let out = child.wait_with_output().expect("races ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_binary_plays_from_a_pipe_and_refuses_in_one_line() {
    let (code, out, err) = piped(&["R1"], "T0\nT1\nT1\nT0\n");
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(
        out,
        transcript(&CHAPTER, "R1", Variant::Broken, "T0\nT1\nT1\nT0\n")
    );
    let (code, out, _) = piped(&["R1", "--fixed"], "T0\nT1\n");
    assert_eq!(code, Some(0));
    assert!(out.contains("both increments counted"), "{out}");
    let (code, out, _) = piped(&["R1"], "T0\n");
    assert_eq!(code, Some(0), "a game left unfinished is not an error");
    assert!(out.ends_with("game left unfinished: the input ended after 1 step.\n"));
    for (args, starts) in [
        (&["R99"][..], "races: no demo called 'R99'"),
        (&["R6"][..], "races: R6 producer_consumer is not playable"),
        (&[][..], "races: play needs a demo"),
    ] {
        let (code, out, err) = piped(args, "");
        assert_eq!(code, Some(2), "{args:?}");
        assert_eq!((out.as_str(), err.lines().count()), ("", 1), "{args:?}");
        assert!(err.starts_with(starts), "{err}");
    }
}
