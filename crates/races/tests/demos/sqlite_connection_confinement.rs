//! R11 `sqlite_connection_confinement`: two writers, one SQLite file; two saves from stale copies.

use racelab_kit::demo::Variant;
use racelab_kit::watchdog::Outcome;
use races::sqlite_connection_confinement::save::run_two_grants;
use races::sqlite_connection_confinement::{
    Overlap, UserStore, broken, fetch_user, insert_user, run_overlapping_writes,
};

/// The trivial case: one write at a time, a connection per operation is fine — the refusal needs
/// a second writer while a transaction is open.
#[test]
fn broken_sqlite_connection_confinement_is_fine_one_writer_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = broken::Store::open(&dir.path().join("users.db")).unwrap();
    let ann = store.perform(|c| insert_user(c, "ann")).unwrap();
    let bob = store.perform(|c| insert_user(c, "bob")).unwrap();
    let names = store
        .perform(move |c| Ok([fetch_user(c, ann)?.name, fetch_user(c, bob)?.name]))
        .unwrap();
    assert_eq!(names, ["ann", "bob"]);
}

/// The forced overlap: A holds its write transaction open until B has tried; B, on a connection of
/// its own with no busy timeout, is refused at once.
// ANCHOR: busy
#[test]
fn broken_sqlite_connection_confinement_second_writer_is_refused() {
    let (watched, trace) = run_overlapping_writes(Variant::Broken);
    let Outcome::Finished(overlap) = watched else {
        panic!("the scenario got stuck:\n{}", trace.render())
    };
    assert_eq!(
        overlap,
        Overlap {
            a: Ok(()),
            b: Err("database is locked".to_string()), // SQLITE_BUSY
            users: vec!["ann".to_string()],
        }
    );
    racelab_testkit::snapshot!("sqlite_connection_confinement__trace", trace.render());
}
// ANCHOR_END: busy

/// Two grants from copies read at the same time: the second save overwrites the first.
// ANCHOR: lost
#[test]
fn broken_save_loses_an_update() {
    let (watched, trace) = run_two_grants(Variant::Broken);
    assert!(
        matches!(watched, Outcome::Finished(10)),
        "{watched:?}\n{}",
        trace.render()
    );
}
// ANCHOR_END: lost

/// The fixed twin under the same gates: B's work waits in the writer's queue behind A's open
/// transaction, then runs; both rows are saved.
// ANCHOR: holds
#[test]
fn fixed_sqlite_connection_confinement_second_writer_waits_its_turn() {
    let (watched, trace) = run_overlapping_writes(Variant::Fixed);
    let Outcome::Finished(overlap) = watched else {
        panic!("the scenario got stuck:\n{}", trace.render())
    };
    assert_eq!(overlap.failure(), None, "{}", trace.render());
}

/// And the stale save is a conflict, not a loss: B re-reads, re-applies, and ann has 20.
#[test]
fn fixed_save_stale_save_is_a_conflict() {
    let (watched, trace) = run_two_grants(Variant::Fixed);
    assert!(
        matches!(watched, Outcome::Finished(20)),
        "{watched:?}\n{}",
        trace.render()
    );
    assert!(trace.render().contains("B  is told: conflict"));
}
// ANCHOR_END: holds
