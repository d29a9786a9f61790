//! R8, the professional tool: parking_lot's `check_deadlock()` finds the AB/BA cycle among real
//! threads. (One scenario per test binary: `check_deadlock()` sees every thread in the process.)

use racelab_kit::watchdog::Outcome;
use racelab_testkit::run_bin;

const BIN: &str = env!("CARGO_BIN_EXE_races-deadlock-detection");

/// Gates force AB/BA; parking_lot's detector reports the cycle, naming both threads.
// ANCHOR: finds
#[test]
fn broken_deadlock_detector_parking_lot_finds_the_abba_cycle() {
    let (watched, text) = races_deadlock_detection::narrate();
    let Outcome::Finished(cycles) = watched else {
        panic!("{watched:?}\n{text}")
    };
    assert_eq!(cycles, [["T1", "T2"]], "{text}");
    racelab_testkit::snapshot!("deadlock_detector__parking_lot", text);
}
// ANCHOR_END: finds

/// The binary tells the same story, and exits by itself.
#[test]
fn the_binary_reports_the_cycle_and_exits() {
    let ran = run_bin(BIN, &[]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stdout.contains("reports a cycle: T1 and T2"),
        "{}",
        ran.stdout
    );
}

/// Bad input: one line, exit 2.
#[test]
fn an_argument_is_one_line_and_exit_2() {
    let ran = run_bin(BIN, &["--bogus"]);
    assert_eq!(ran.code, Some(2));
    assert_eq!(ran.stderr.lines().count(), 1, "{}", ran.stderr);
}
