//! Q5 `context_switch_batching`: per-item hops to main show the results in finishing order; one
//! batched hop shows them in input order.

use queues::context_switch_batching::{Pace, Twin, check, expected, run_scenario};

/// The trivial case: with one item there is no order to get wrong — but it is still a hop.
#[test]
fn broken_context_switch_batching_hops_once_per_item() {
    let (watched, _) = run_scenario(Twin::Broken, Pace::Free);
    let outcome = watched.expect_finished();
    assert_eq!(outcome.hops, 3, "{outcome:?}");
    let mut shown = outcome.screen.clone();
    shown.sort();
    assert_eq!(shown, expected(), "every item is shown, in some order");
}

/// The forced order: the items finish c, b, a — and main shows them that way, after three hops.
// ANCHOR: caught
#[test]
fn broken_context_switch_batching_shows_finishing_order() {
    let (watched, trace) = run_scenario(Twin::Broken, Pace::Reversed);
    let outcome = watched.expect_finished();
    assert_eq!(outcome.screen, ["C", "B", "A"]);
    assert_eq!(outcome.hops, 3);
    assert_eq!(
        outcome.max_in_flight, 3,
        "all three items were in flight at once"
    );
    assert_eq!(
        check(&outcome),
        Err("main showed C, B, A (input order: A, B, C) after 3 hop(s)".to_string())
    );
    racelab_testkit::snapshot!("context_switch_batching__trace", trace.render());
}
// ANCHOR_END: caught

/// The guide's own fix passes the check — and gives up the parallelism: `map` processes one item
/// at a time.
// ANCHOR: guide_fix
#[test]
fn broken_context_switch_batching_guide_fix_processes_one_item_at_a_time() {
    let (watched, _) = run_scenario(Twin::GuideFix, Pace::Free);
    let outcome = watched.expect_finished();
    assert_eq!(check(&outcome), Ok(()));
    assert_eq!(outcome.max_in_flight, 1, "{outcome:?}");
}
// ANCHOR_END: guide_fix

/// The fixed twin under the same forced order: the items still finish c, b, a, all three in
/// flight at once, and main shows A, B, C after one hop.
// ANCHOR: holds
#[test]
fn fixed_context_switch_batching_shows_input_order_after_one_hop() {
    let (watched, _) = run_scenario(Twin::Fixed, Pace::Reversed);
    let outcome = watched.expect_finished();
    assert_eq!(check(&outcome), Ok(()));
    assert_eq!(outcome.max_in_flight, 3, "parallel, unlike the guide's map");
}
// ANCHOR_END: holds

/// And without gates, the same.
#[test]
fn fixed_context_switch_batching_holds_unpaced() {
    let (watched, _) = run_scenario(Twin::Fixed, Pace::Free);
    assert_eq!(check(&watched.expect_finished()), Ok(()));
}
