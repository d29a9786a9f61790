//! A3 `actor_basics`: an `await` inside an actor's handler holds up every message behind it.

use actors::actor_basics::{Msg, broken, fixed, quick_read_while_a_slow_add_runs, run};
use racelab_actor::spawn;
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: with nobody else waiting, the broken actor adds and answers correctly.
#[test]
fn broken_actor_basics_is_right_for_one_caller_at_a_time() {
    let users = rt::run(async {
        let (manager, _task) = spawn("user-manager", broken::UserManager::default());
        manager.tell(Msg::AddUser("John")).await.unwrap();
        tokio::time::sleep(2 * actors::actor_basics::LOOKUP).await;
        manager.ask(Msg::GetUsers).await.unwrap()
    });
    assert_eq!(users, ["John"]);
}

// ANCHOR: caught
/// The forced schedule: `getUsers()` posted right behind `addUser(John)` waits out the lookup.
#[test]
fn broken_actor_basics_makes_get_users_wait_behind_a_slow_add() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "getUsers() waited 1000 ms behind addUser's lookup: one message at a time"
    );
    racelab_testkit::snapshot!("actor_basics__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: answered at t=0ms, and John is added once.
#[test]
fn fixed_actor_basics_answers_at_once_and_adds_john_once() {
    assert_eq!(
        rt::run(quick_read_while_a_slow_add_runs::<fixed::UserManager>()),
        Ok(())
    );
}
