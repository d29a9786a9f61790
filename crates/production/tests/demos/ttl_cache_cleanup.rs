//! P12 `ttl_cache_cleanup`: the guide's cache cleanup keeps every entry.

use std::time::Duration;

use production::ttl_cache_cleanup::{
    Cache, MAX_AGE, broken, fixed, old_entries_go_young_ones_stay, run,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: while nothing is an hour old, keeping everything is the right answer.
#[test]
fn broken_ttl_cache_cleanup_is_right_while_nothing_is_old() {
    let keys = rt::run(async {
        let manager = broken::MemoryEfficientManager::default();
        manager.insert("feed", "the feed JSON");
        tokio::time::sleep(Duration::from_secs(10 * 60)).await;
        manager.cleanup_cache().await.unwrap();
        manager.keys()
    });
    assert_eq!(keys, ["feed"]);
}

// ANCHOR: caught
/// One forced schedule on the paused clock: at t=75min the 75-minute-old `feed` is still there.
#[test]
fn broken_ttl_cache_cleanup_keeps_an_entry_past_its_hour() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "after the cleanup at t=75min the cache still holds [\"avatar\", \"feed\"]: \
         feed is 75 min old, past the 60 min limit"
    );
    racelab_testkit::snapshot!("ttl_cache_cleanup__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: `feed` goes, `avatar` stays.
#[test]
fn fixed_ttl_cache_cleanup_removes_old_entries_and_keeps_young_ones() {
    assert_eq!(
        rt::run(old_entries_go_young_ones_stay::<
            fixed::MemoryEfficientManager,
        >()),
        Ok(())
    );
}

/// The edges of the fixed twin's rule: an entry exactly an hour old is gone, one a millisecond
/// younger stays, and storing a key again makes it young again.
#[test]
fn fixed_ttl_cache_cleanup_expires_at_exactly_an_hour_and_a_restore_refreshes() {
    let keys = rt::run(async {
        let manager = fixed::MemoryEfficientManager::default();
        manager.insert("an-hour-old", "a");
        manager.insert("restored", "b");
        tokio::time::sleep(Duration::from_millis(1)).await;
        manager.insert("just-younger", "c");
        tokio::time::sleep(MAX_AGE - Duration::from_millis(2)).await;
        manager.insert("restored", "b again");
        tokio::time::sleep(Duration::from_millis(1)).await;
        manager.cleanup_cache().await.unwrap();
        manager.keys()
    });
    assert_eq!(keys, ["just-younger", "restored"]);
}
