//! P11 `memory_pressure_cache`: a cache bounded by count blows its byte budget, and a critical
//! event is handled as a warning.

use std::sync::Arc;

use production::memory_pressure_cache::{
    BUDGET, Handler, MB, Pressure, Simulated, broken, bytes, fixed, monitor, run,
    stays_in_budget_and_clears_on_critical,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt;
use tokio::sync::mpsc;

/// Sends `events` through a simulated source to a fresh `H` holding `images` 1 MB images and one
/// data entry; returns (image bytes, data entries) afterwards.
fn after_events<H: Handler>(images: u32, events: &[Pressure]) -> (u64, u64) {
    rt::run(async {
        let handler = Arc::new(H::new());
        for key in 0..images {
            handler.images().insert(key, Arc::new(vec![0; MB]));
        }
        handler.data().insert("feed", "the feed JSON".into());
        let (tx, source) = mpsc::unbounded_channel();
        let monitoring = monitor(&handler, Simulated(source));
        for event in events {
            tx.send(*event).unwrap();
        }
        drop(tx);
        monitoring.await.unwrap();
        handler.data().run_pending_tasks();
        (bytes(handler.images()), handler.data().entry_count())
    })
}

/// The trivial case: 40 images fit either limit, and a warning clears the data cache — the one
/// branch the broken handler can reach works.
#[test]
fn broken_memory_pressure_cache_is_right_for_a_small_cache_and_a_warning() {
    assert_eq!(
        after_events::<broken::MemoryPressureHandler>(40, &[Pressure::Warning]),
        (40 * MB as u64, 0)
    );
}

// ANCHOR: caught
/// One forced schedule: 100 MB in a 50 MB cache, and a critical event that clears nothing.
#[test]
fn broken_memory_pressure_cache_exceeds_its_budget_and_ignores_critical() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the image cache holds 100 MB, over its 50 MB budget: its only limit counts images; \
         after a critical event the image cache still holds 100 MB: the handler took the warning \
         branch"
    );
    racelab_testkit::snapshot!("memory_pressure_cache__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: at most 50 MB, and empty after the critical event.
#[test]
fn fixed_memory_pressure_cache_stays_in_budget_and_clears_on_critical() {
    assert_eq!(
        rt::run(stays_in_budget_and_clears_on_critical::<
            fixed::MemoryPressureHandler,
        >()),
        Ok(())
    );
}

/// The fixed handler tells the levels apart: a warning clears only the data cache; the images,
/// within budget, stay.
#[test]
fn fixed_memory_pressure_cache_keeps_images_on_a_warning() {
    let (images, data) = after_events::<fixed::MemoryPressureHandler>(100, &[Pressure::Warning]);
    assert!(images > 0 && images <= BUDGET, "{images} bytes");
    assert_eq!(data, 0);
}

/// The professional tool on its own: moka with a weigher counts bytes, and after
/// `run_pending_tasks()` its weighted size is within `max_capacity`.
#[test]
fn fixed_memory_pressure_cache_moka_weighted_size_is_within_max_capacity() {
    let images: moka::sync::Cache<u32, Vec<u8>> = moka::sync::Cache::builder()
        .weigher(|_, image: &Vec<u8>| u32::try_from(image.len()).unwrap_or(u32::MAX))
        .max_capacity(BUDGET)
        .build();
    for key in 0..100 {
        images.insert(key, vec![0; MB]);
    }
    images.run_pending_tasks();
    assert!(
        images.weighted_size() <= BUDGET,
        "{}",
        images.weighted_size()
    );
    assert!(images.entry_count() <= 50);
}

/// Which images moka keeps, on the fixed twin's own cache (moka's default, randomly seeded
/// hasher): nothing is read, so every image has frequency 0, and TinyLFU admits a newcomer only if
/// it is used more often than its victims — once the budget is full, every newcomer is turned
/// away. The first 50 stay, with any hasher, whenever moka drains its write log.
#[test]
fn fixed_memory_pressure_cache_moka_keeps_the_first_images_when_nothing_is_read() {
    let handler = fixed::MemoryPressureHandler::new();
    for key in 0..100 {
        handler.images().insert(key, Arc::new(vec![0; MB]));
    }
    assert_eq!(bytes(handler.images()), BUDGET);
    let mut kept: Vec<u32> = handler.images().iter().map(|(key, _)| *key).collect();
    kept.sort_unstable();
    assert_eq!(kept, (0..50).collect::<Vec<u32>>());
}
