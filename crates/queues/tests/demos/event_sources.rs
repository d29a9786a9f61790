//! Q12 `event_sources`: a file source that watches the file for writes goes deaf after an atomic
//! save (real inotify, so Linux only); a timer that spawns its handler per tick overlaps it (tokio's paused clock).

#[cfg(target_os = "linux")]
use queues::event_sources::{file_check, run_file_scenario};
use queues::event_sources::{timer_check, timer_scenario};
use racelab_kit::demo::Variant;

/// The trivial case: an in-place write reaches the broken monitor's handler.
#[test]
#[cfg(target_os = "linux")] // the file watch needs inotify: see the module doc of event_sources
fn broken_event_sources_sees_an_in_place_write() {
    let (seen, _) = run_file_scenario(Variant::Broken);
    let seen = seen.expect("the scenario ran");
    assert_eq!(seen.steps[0], ("the in-place write", 1));
}

/// The atomic save: the handler hears nothing of it, and nothing of the write after it — decided
/// by the sentinel's event, not by a timeout.
// ANCHOR: caught
#[test]
#[cfg(target_os = "linux")] // the file watch needs inotify: see the module doc of event_sources
fn broken_event_sources_goes_deaf_after_an_atomic_save() {
    let (seen, trace) = run_file_scenario(Variant::Broken);
    let seen = seen.expect("the scenario ran");
    assert_eq!(
        seen.steps,
        [
            ("the in-place write", 1),
            ("the atomic save", 0),
            ("the write after it", 0)
        ]
    );
    assert_eq!(
        file_check(&seen),
        Err("the handler missed: the atomic save; the write after it".to_string())
    );
    racelab_testkit::snapshot!("event_sources__trace", trace.render());
}
// ANCHOR_END: caught

/// The fixed monitor under the same scenario: every change, once each.
// ANCHOR: holds
#[test]
#[cfg(target_os = "linux")] // the file watch needs inotify: see the module doc of event_sources
fn fixed_event_sources_sees_every_change() {
    let (seen, _) = run_file_scenario(Variant::Fixed);
    let seen = seen.expect("the scenario ran");
    assert_eq!(file_check(&seen), Ok(()));
    assert!(
        seen.steps.iter().all(|(_, events)| *events == 1),
        "{seen:?}"
    );
}
// ANCHOR_END: holds

fn render(log: &[(u128, String)]) -> String {
    log.iter()
        .map(|(at, what)| format!("{at:>3} ms  {what}\n"))
        .collect()
}

/// The timer spawned per tick: handlers overlap, and the cancel handler runs while three of them
/// are still running.
// ANCHOR: timer_caught
#[tokio::test(start_paused = true)]
async fn broken_event_sources_timer_handlers_overlap() {
    let log = timer_scenario(Variant::Broken).await;
    assert_eq!(
        timer_check(&log),
        Err("up to 3 handlers ran at once; \
             the cancel handler ran at 42 ms while 3 handler(s) still ran; \
             a handler ended at 45 ms, after the cancel handler; \
             a handler ended at 55 ms, after the cancel handler; \
             a handler ended at 65 ms, after the cancel handler"
            .to_string())
    );
    racelab_testkit::snapshot!("event_sources__timer_broken", render(&log));
}
// ANCHOR_END: timer_caught

/// The timer that awaits its handler: one at a time, late ticks delayed, the cancel handler last
/// and once.
// ANCHOR: timer_holds
#[tokio::test(start_paused = true)]
async fn fixed_event_sources_timer_handlers_take_turns() {
    let log = timer_scenario(Variant::Fixed).await;
    assert_eq!(timer_check(&log), Ok(()));
    racelab_testkit::snapshot!("event_sources__timer_fixed", render(&log));
}
// ANCHOR_END: timer_holds
