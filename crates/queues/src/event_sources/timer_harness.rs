//! Q12's timer scenario, apart from the check in [`super`]: a timer whose handler outlasts its
//! period, cancelled mid-run, on tokio's paused clock (so it runs the same on every platform).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use racelab_kit::demo::Variant;

use super::{Logged, timer_broken, timer_fixed};

/// The timer's period.
pub const PERIOD: Duration = Duration::from_millis(10);
/// How long one run of the timer's handler takes: longer than the period.
pub const HANDLER_TAKES: Duration = Duration::from_millis(25);
/// When the scenario cancels the timer (between tick times, so no two things happen at once).
pub const CANCEL_AT: Duration = Duration::from_millis(42);

// ANCHOR: timer_scenario
/// Starts a timer whose handler outlasts the period, cancels it at [`CANCEL_AT`], and waits until
/// everything is quiet; returns what happened when. Meant for tokio's paused clock, on which every
/// run is the same run: time only moves when every task waits for it.
pub async fn timer_scenario(variant: Variant) -> Vec<Logged> {
    let started = tokio::time::Instant::now();
    let log = Arc::new(Mutex::new(Vec::<Logged>::new()));
    let note = {
        let log = log.clone();
        move |what: String| {
            log.lock()
                .unwrap()
                .push((started.elapsed().as_millis(), what))
        }
    };
    let on_tick = {
        let note = note.clone();
        move |n: u32| {
            let note = note.clone();
            async move {
                note(format!("handler {n} starts"));
                tokio::time::sleep(HANDLER_TAKES).await;
                note(format!("handler {n} ends"));
            }
        }
    };
    let on_cancel = move || note("cancel handler runs".to_string());
    match variant {
        Variant::Broken => {
            let timer = timer_broken::TimerSource::start(PERIOD, on_tick, on_cancel);
            tokio::time::sleep(CANCEL_AT).await;
            timer.cancel().await;
        }
        Variant::Fixed => {
            let timer = timer_fixed::TimerSource::start(PERIOD, on_tick, on_cancel);
            tokio::time::sleep(CANCEL_AT).await;
            timer.cancel().await;
        }
    }
    // Paused time: this only lets any handler still running finish.
    tokio::time::sleep(HANDLER_TAKES * 4).await;
    log.lock().unwrap().clone()
}
// ANCHOR_END: timer_scenario
