//! A4 `task_group_ordering`: a task group hands results back as they finish, all started at once.

use actors::task_group_ordering::{
    Api, IDS, MAX_IN_FLIGHT, User, UserId, broken, fixed, run, users_come_back_in_the_order_asked,
};
use futures_util::{StreamExt, stream};
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: with one id there is only one order, and the broken fan-out gets it right.
#[test]
fn broken_task_group_ordering_is_right_for_one_id() {
    let users = rt::run(async { broken::fetch_multiple_users(&Api::default(), &[3]).await });
    assert_eq!(users, [User { id: 3 }]);
}

// ANCHOR: caught
/// The forced schedule: user i answers after (6 - i) x 100 ms, so the last asked finishes first —
/// and the group hands the users back in that order, with all five requests in flight at once.
#[test]
fn broken_task_group_ordering_returns_users_in_completion_order() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "users came back as [5, 4, 3, 2, 1], in the order they finished, not as asked; \
         5 requests in flight at once (limit 3)"
    );
    racelab_testkit::snapshot!("task_group_ordering__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: `buffered(3)` keeps the ids' order and never has more than
/// three requests in flight.
#[test]
fn fixed_task_group_ordering_keeps_the_order_asked_with_three_in_flight() {
    assert_eq!(
        rt::run(users_come_back_in_the_order_asked(
            fixed::fetch_multiple_users
        )),
        Ok(())
    );
}

/// Order has a price: `buffered` keeps a finished result until every earlier one is out, and the
/// slot it holds counts towards the limit. Users 2 and 3 are done at t=400ms and t=300ms, but
/// users 4 and 5 start only when user 1 answers at t=500ms, so the batch ends at t=700ms — the
/// broken twin's unbounded group ends at t=500ms.
#[test]
fn fixed_task_group_ordering_holds_finished_results_until_their_turn() {
    let (users, at) = rt::run(async {
        let users = fixed::fetch_multiple_users(&Api::default(), &IDS).await;
        (users, rt::now().ms())
    });
    assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), IDS);
    assert_eq!(at, 700);
}

/// The contrast: `buffer_unordered(3)` bounds the fan-out just as well, but yields results as
/// they finish — the task group's order again. Only the order problem is reported.
#[test]
fn buffer_unordered_bounds_the_fan_out_but_does_not_keep_order() {
    async fn unordered(api: &Api, user_ids: &[UserId]) -> Vec<User> {
        let group = stream::iter(user_ids).map(|&id| api.fetch_user(id));
        group.buffer_unordered(MAX_IN_FLIGHT).collect().await
    }
    let problem = rt::run(users_come_back_in_the_order_asked(unordered)).unwrap_err();
    assert!(problem.contains("in the order they finished"), "{problem}");
    assert!(!problem.contains("in flight"), "{problem}");
}
