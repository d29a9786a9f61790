//! N13 `background_task_deadline`: an expiration handler that does not stop the work lets it run
//! past the deadline and complete the task a second time.

use networking::background_task_deadline::{
    BgTask, DEADLINE, RefreshManager, WORK, broken, fixed, run, work_that_outlives_its_deadline,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: when nothing expires, the guide's handler completes the task once, with the
/// work's result.
#[test]
fn broken_background_task_deadline_completes_once_when_nothing_expires() {
    let ((), trace) = racelab_kit::trace::traced(|_| {
        rt::run(async {
            let task = BgTask::default();
            broken::BackgroundRefreshManager.handle_background_refresh(task.clone());
            tokio::time::sleep(WORK + DEADLINE).await;
        });
    });
    let completions: Vec<String> = trace
        .lines()
        .iter()
        .map(|line| line.text.clone())
        .filter(|text| text.starts_with("setTaskCompleted"))
        .collect();
    assert_eq!(
        completions,
        ["setTaskCompleted(success: true) at t=60000ms"]
    );
}

// ANCHOR: caught
/// The forced schedule: the system expires the task at t=30 s; the work goes on and completes it
/// again at t=60 s; nothing was submitted.
#[test]
fn broken_background_task_deadline_completes_twice_and_runs_past_the_deadline() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "completed 2 times, 1 past the deadline; no next refresh submitted"
    );
    racelab_testkit::snapshot!("background_task_deadline__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: completed once at the deadline, the work stopped there.
#[test]
fn fixed_background_task_deadline_completes_once_and_stops_the_work() {
    assert_eq!(
        rt::run(work_that_outlives_its_deadline::<
            fixed::BackgroundRefreshManager,
        >()),
        Ok(())
    );
}
