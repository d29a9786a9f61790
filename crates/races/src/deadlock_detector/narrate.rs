//! R8's report: the detector on paper in words, then the real-thread scenario and the verdict.

use racelab_kit::demo::{Report, Variant};
use racelab_kit::watchdog::Outcome;

use super::{Detector, abba, broken, fixed, run_gated};

/// [`abba`] told in words, with the detector's graph: what the demo prints and the test pins.
pub fn abba_on_paper<D: Detector>() -> (bool, String) {
    let detector = D::new();
    let deadlock = abba(&detector);
    let mut text = String::from("T1 holds A, T2 holds B, T1 waits for B.\n");
    text.push_str(&format!(
        "would T2 waiting for A deadlock? the detector says: {}\n",
        if deadlock { "yes" } else { "no" }
    ));
    text.push_str("its graph:\n");
    for edge in detector.edges() {
        text.push_str(&format!("   {edge}\n"));
    }
    (deadlock, text)
}

/// The demo: the detector on paper, then wired into the lock manager on real threads.
pub(super) fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("on paper: the textbook deadlock, fed to the detector");
    let (deadlock, text) = match variant {
        Variant::Broken => abba_on_paper::<broken::DeadlockDetector>(),
        Variant::Fixed => abba_on_paper::<fixed::DeadlockDetector>(),
    };
    report.line(text.trim_end());

    report.heading("real threads: T1 takes A then B, T2 takes B then A, through the manager");
    let (outcome, trace) = run_gated(variant);
    report.trace(&trace);
    let watched_result = match &outcome {
        Outcome::Finished(done) => Some(*done),
        _ => None,
    };
    let hung = match outcome {
        Outcome::Finished((t1, t2)) => {
            report.line(format!(
                "=> both threads finished (T1 got in: {}, T2 got in: {}).",
                yes(t1),
                yes(t2)
            ));
            None
        }
        Outcome::Deadlocked(proof) => Some(report.deadlocked(&proof)),
        // The backstop proves nothing: it can fail the fixed twin, never catch the broken one.
        Outcome::Stalled { idle } => report.stall(idle, &trace),
    };

    let both_got_in = matches!(watched_result, Some((true, true)));
    let bug = match (variant, deadlock, hung) {
        (Variant::Broken, false, Some(waits)) => Some(format!(
            "the detector saw no cycle on paper, and let T1 and T2 deadlock: {waits}"
        )),
        (Variant::Broken, _, _) => None,
        (Variant::Fixed, true, None) if both_got_in => None,
        (Variant::Fixed, deadlock, hung) => Some(format!(
            "cycle seen on paper: {}; real threads: {}",
            yes(deadlock),
            hung.unwrap_or_else(|| "finished, but not both got in".into())
        )),
    };
    report.conclude(
        bug,
        "the detector names the cycle on paper, and on real threads refuses the lock that would close it",
    );
    report
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
