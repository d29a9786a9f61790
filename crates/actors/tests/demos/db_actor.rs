//! A11 `db_actor`: an actor around a database — the Swift shape does not compile in Rust, and the
//! shape that does must not turn "no database" into success.

use actors::db_actor::{DbError, UserStore, broken, closed_database_refuses_work, fixed, run};
use racelab_kit::demo::Variant;
use racelab_kit::rt;
use racelab_kit::watchdog::{Outcome, watch};
use racelab_testkit::compile_fail::{Case, check_with_crates};

// ANCHOR: compile_fail
/// The guide's `queue.async { self.database?… }` inside an actor method, in Rust: a `&mut self`
/// method moves its borrow of `self.database` into `spawn_blocking`, which needs `'static`
/// (E0521: borrowed data escapes outside of method).
#[test]
fn broken_db_actor_swift_shape_does_not_compile() {
    check_with_crates(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[Case {
            file: "db_actor_spawn_blocking.rs",
            code: "E0521",
        }],
        &["rusqlite", "tokio"],
    );
}
// ANCHOR_END: compile_fail

/// The trivial case: initialised first, the broken manager saves and reads back.
#[test]
fn broken_db_actor_is_right_once_initialised() {
    let users = watch(|| {
        rt::run(async {
            let db = broken::DatabaseManager::new();
            db.initialize().await;
            db.save_user("Ann").await.unwrap();
            db.fetch_users().await
        })
    })
    .expect_finished();
    assert_eq!(users, Ok(vec!["Ann".to_string()]));
}

// ANCHOR: uninitialised
/// The guide's own race: `saveUser` before `initialize()` has run. It returns `Ok(())`, and Ann
/// is nowhere — the caller cannot tell "saved" from "dropped".
#[test]
fn broken_db_actor_saves_nothing_before_initialize_and_says_ok() {
    let (saved, users) = watch(|| {
        rt::run(async {
            let db = broken::DatabaseManager::new();
            let saved = db.save_user("Ann").await;
            db.initialize().await;
            (saved, db.fetch_users().await)
        })
    })
    .expect_finished();
    assert_eq!(saved, Ok(()));
    assert_eq!(users, Ok(vec![]));
}
// ANCHOR_END: uninitialised

// ANCHOR: caught
/// The forced schedule: save, close, save again. Each call waits for the database thread's
/// answer, so the order is fixed; after close, the broken manager still answers `Ok`.
#[test]
fn broken_db_actor_reports_success_on_a_closed_database() {
    let (outcome, trace) = run(Variant::Broken);
    let Outcome::Finished(result) = outcome else {
        panic!("the scenario must finish");
    };
    assert_eq!(
        result.unwrap_err(),
        "saveUser(Bob) after close returned Ok(()) and saved nothing; \
         fetchUsers() after close returned Ok: no users, it claims"
    );
    racelab_testkit::snapshot!("db_actor__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: after close, both operations are `Err(Closed)`.
#[test]
fn fixed_db_actor_refuses_work_after_close() {
    let result = watch(|| rt::run(closed_database_refuses_work::<fixed::DatabaseManager>()))
        .expect_finished();
    assert_eq!(result, Ok(()));
}

/// What the fixed handle answers after close, exactly: the thread is gone, so the send fails.
#[test]
fn fixed_db_actor_after_close_is_err_closed() {
    let (saved, fetched) = watch(|| {
        rt::run(async {
            let db = fixed::DatabaseManager::open().await.unwrap();
            db.close().await;
            (db.save_user("Bob").await, db.fetch_users().await)
        })
    })
    .expect_finished();
    assert_eq!(saved, Err(DbError::Closed));
    assert_eq!(fetched, Err(DbError::Closed));
}
