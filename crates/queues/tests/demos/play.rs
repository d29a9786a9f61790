//! `queues play Q1`: whole games pinned as transcripts, and the step model held to Q1's loom
//! check — loom's failing trace is a game ending with the same message, and every run loom makes of
//! the fixed twin is a game that finishes safely.

use queues::CHAPTER;
use queues::shared_serial_queue::{explore_variant, fixed, two_saves};
use racelab_kit::demo::Variant;
use racelab_kit::play::{Outcome, Tree, explore_all, transcript};
use racelab_kit::sync::Loom;

fn tree(variant: Variant) -> Tree {
    Tree::from_runs((CHAPTER.play[0].runs)(variant).expect("runs")).expect("a game tree")
}

#[test]
fn q1_broken_two_queues_lose_a_save_chosen_by_number() {
    let game = transcript(&CHAPTER, "Q1", Variant::Broken, "1\n2\n2\n1\n");
    assert!(
        game.ends_with(
            "=> bug reached: lost update: 2 saves, but the database holds 1 record(s)\n"
        )
    );
    racelab_testkit::snapshot!("play__q1_broken", game);
}

#[test]
fn q1_fixed_one_queue_leaves_nothing_to_choose_but_its_one_thread() {
    let game = transcript(&CHAPTER, "Q1", Variant::Fixed, "2\n1\n1\n1\n1\n");
    assert!(game.contains("'2' is not a move"));
    assert!(game.contains("its only possible game finishes safely"));
    racelab_testkit::snapshot!("play__q1_fixed", game);
}

#[test]
fn q1_the_step_model_agrees_with_loom() {
    let broken = tree(Variant::Broken);
    assert_eq!((broken.games(), broken.bugs()), (6, 4));
    let failure = explore_variant(Variant::Broken).expect_failure().clone();
    assert_eq!(
        broken.outcome(&failure.trace.lines()),
        Some(&Outcome::Failed(failure.message))
    );
    let fixed_tree = tree(Variant::Fixed);
    for run in explore_all(two_saves::<Loom, fixed::Store<Loom>>).expect("the fix holds") {
        assert_eq!(fixed_tree.outcome(&run.lines), Some(&Outcome::Finished));
    }
}

#[test]
fn a_demo_that_is_not_playable_says_so() {
    let said = transcript(&CHAPTER, "Q2", Variant::Broken, "");
    assert!(said.starts_with("queues: Q2 "), "{said}");
    assert!(said.ends_with(" is not playable: play needs a small loom model whose bug is reached by thread order (playable: Q1)\n"), "{said}");
}
