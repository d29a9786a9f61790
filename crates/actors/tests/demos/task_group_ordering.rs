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

// ANCHOR: cost
/// Order kept at what cost, in virtual time: the same five requests (the last asked answers
/// first) fetched four ways on the paused clock. Pinned as a table the book shows; the real-time
/// throughput of the same four is `cargo bench -p actors --bench fan_out_order`.
#[test]
fn fan_out_strategies_in_virtual_time() {
    use tokio::task::JoinSet;

    async fn sequential(api: &Api, ids: &[UserId]) -> Vec<User> {
        let mut users = Vec::new();
        for &id in ids {
            users.push(api.fetch_user(id).await);
        }
        users
    }
    async fn join_set(api: &Api, ids: &[UserId]) -> Vec<User> {
        let mut set = JoinSet::new();
        for &id in ids {
            set.spawn(api.fetch_user(id));
        }
        set.join_all().await
    }
    async fn buffered(api: &Api, ids: &[UserId]) -> Vec<User> {
        let requests = stream::iter(ids).map(|&id| api.fetch_user(id));
        requests.buffered(MAX_IN_FLIGHT).collect().await
    }
    async fn unordered(api: &Api, ids: &[UserId]) -> Vec<User> {
        let requests = stream::iter(ids).map(|&id| api.fetch_user(id));
        requests.buffer_unordered(MAX_IN_FLIGHT).collect().await
    }

    let mut table = String::from(
        "| strategy | in the order asked? | done at | most in flight |\n|---|---|---:|---:|\n",
    );
    // Whether the order was kept, not the order itself: under `buffer_unordered` users 1, 4 and 5
    // all answer at t=500ms, and tokio promises no order among equal deadlines.
    let mut row = |name: &str, (users, at, peak): (Vec<UserId>, u128, usize)| {
        let kept = if users == IDS { "yes" } else { "no" };
        table.push_str(&format!("| {name} | {kept} | {at} ms | {peak} |\n"));
    };
    macro_rules! measure {
        ($strategy:ident) => {
            rt::run(async {
                let api = Api::default();
                let users = $strategy(&api, &IDS).await;
                let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
                (ids, rt::now().ms(), api.peak())
            })
        };
    }
    row(
        "one after another (`for … { fetch().await }`)",
        measure!(sequential),
    );
    row("`JoinSet` (the guide's task group)", measure!(join_set));
    row("`buffered(3)`", measure!(buffered));
    row("`buffer_unordered(3)`", measure!(unordered));
    racelab_testkit::snapshot!("task_group_ordering__cost", table);
}
// ANCHOR_END: cost
