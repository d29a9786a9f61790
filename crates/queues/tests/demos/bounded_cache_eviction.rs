//! Q11 `bounded_cache_eviction`, as a story: the broken cache is right while it has room; the
//! exhaustive check against a reference LRU finds a minimal sequence where it evicts the wrong
//! entry (pinned), and one where it evicts the entry just read; an overwrite at capacity evicts
//! for nothing; the fixed LRU passes the same checks. No threads: the bug is the policy.

use queues::bounded_cache_eviction::{
    CAPACITY, Cache, MAX_OPS, Op, broken, check, fixed, new_keys_only, replay, search, search_where,
};

/// Puts `keys` in order on a fresh cache.
fn fill<C: Cache>(keys: &[&str]) -> C {
    let mut cache = C::with_capacity(CAPACITY);
    for (i, key) in keys.iter().enumerate() {
        cache.put(key, i as u32);
    }
    cache
}

#[test]
fn broken_bounded_cache_eviction_is_right_while_it_has_room() {
    let mut cache = fill::<broken::ImageCache>(&["k0", "k1", "k2"]);
    assert_eq!(cache.cached(), ["k0", "k1", "k2"]);
    assert_eq!(cache.get("k1"), Some(1));
    assert_eq!(cache.get("k3"), None);
    check::<broken::ImageCache>(&[Op::Put(0), Op::Put(1), Op::Put(2), Op::Get(0)])
        .expect("below capacity nothing is evicted, so the policy never shows");
}

// ANCHOR: caught
#[test]
fn broken_bounded_cache_eviction_evicts_not_the_oldest() {
    // Only new keys, so only the eviction order can go wrong; shortest sequences first.
    let result = search_where::<broken::ImageCache>(new_keys_only);
    let failure = result.failure.expect("the check catches the broken cache");
    assert_eq!(
        failure.ops,
        [Op::Put(0), Op::Put(1), Op::Put(2), Op::Put(3)]
    );
    assert_eq!(result.sequences, 493, "found after this many sequences");
    racelab_testkit::snapshot!(
        "bounded_cache_eviction__trace",
        format!(
            "{}=> {}\n",
            replay::<broken::ImageCache>(&failure.ops).render(),
            failure.message
        )
    );
}

// ANCHOR_END: caught

// ANCHOR: just_read
#[test]
fn broken_bounded_cache_eviction_evicts_the_entry_just_read() {
    // The map lists k2 first (fixed-hash order): read k2, and it is the one evicted.
    let mut cache = fill::<broken::ImageCache>(&["k0", "k1", "k2"]);
    assert_eq!(cache.get("k2"), Some(2), "k2 is now the most recently used");
    cache.put("k3", 3);
    assert_eq!(cache.cached(), ["k0", "k1", "k3"], "k2, just read, is gone");
    let ops = [Op::Put(0), Op::Put(1), Op::Put(2), Op::Get(2), Op::Put(3)];
    let failure = check::<broken::ImageCache>(&ops).expect_err("an LRU evicts k0");
    assert!(
        failure
            .message
            .contains(r#"an LRU cache holds ["k1", "k2", "k3"]"#)
    );
}

// ANCHOR_END: just_read

// ANCHOR: overwrite
#[test]
fn broken_bounded_cache_eviction_overwrite_at_capacity_evicts_for_nothing() {
    let mut cache = fill::<broken::ImageCache>(&["k0", "k1", "k2"]);
    cache.put("k0", 10); // a new image for a key already cached: nothing needs to go
    assert_eq!(cache.cached(), ["k0", "k1"], "k2 was evicted for nothing");
    // Over all sequences (overwrites included) this is the very first failure the check finds.
    let failure = search::<broken::ImageCache>()
        .failure
        .expect("the check catches it");
    assert_eq!(
        failure.ops,
        [Op::Put(0), Op::Put(1), Op::Put(2), Op::Put(0)]
    );
}

// ANCHOR_END: overwrite

// ANCHOR: holds
#[test]
fn fixed_bounded_cache_eviction_matches_the_reference_lru() {
    let all = search::<fixed::ImageCache>();
    assert!(all.failure.is_none(), "{:?}", all.failure);
    assert_eq!(
        all.sequences,
        (1..=MAX_OPS as u32).map(|n| 8usize.pow(n)).sum::<usize>()
    );
    assert_eq!(all.sequences, 37_448);
    let fresh = search_where::<fixed::ImageCache>(new_keys_only);
    assert!(fresh.failure.is_none(), "{:?}", fresh.failure);
}

// ANCHOR_END: holds

#[test]
fn fixed_bounded_cache_eviction_keeps_the_entry_just_read_and_overwrites_in_place() {
    let mut cache = fill::<fixed::ImageCache>(&["k0", "k1", "k2"]);
    assert_eq!(cache.get("k1"), Some(1));
    cache.put("k3", 3);
    assert_eq!(
        cache.cached(),
        ["k1", "k2", "k3"],
        "k0, least recently used, went"
    );
    cache.put("k3", 30);
    assert_eq!(
        cache.cached(),
        ["k1", "k2", "k3"],
        "an overwrite evicts nothing"
    );
    assert_eq!(cache.get("k3"), Some(30));
}
