//! R15 `race_stress_oracles`: the guide's stress-test checks cry "race" on correct code and pass
//! broken code; right expected values and loom do neither. Every test here is deterministic: the
//! orders are forced with gates or searched by loom. (How *often* a plain stress loop catches R1 is
//! measured by `scripts/detectors`, never asserted in a test.)

use racelab_kit::demo::Variant;
use racelab_kit::sync::Std;
use races::race_stress_oracles::managers::{self, ArrayManager, ArrayRun};
use races::race_stress_oracles::{
    CounterSearch, StressOracles, broken, explore_array, explore_data, fixed, run_array_gated,
    run_data_gated, search_counter,
};

/// The trivial case: when the adders go first, as the guide imagines, its array oracle is right.
#[test]
fn broken_race_stress_oracles_array_oracle_is_right_when_adders_go_first() {
    let manager = ArrayManager::<Std>::new();
    managers::adder(&manager, 0, 3);
    let removed = managers::remover(&manager, 3);
    let run = ArrayRun {
        adds: 3,
        remove_tries: 3,
        removed,
        final_count: manager.count(),
    };
    assert_eq!(broken::Oracles::array(&run), Ok(()));
}

/// The forced order: a gate holds the adder until the remover is done. The array is correct —
/// every item added is still there — and the guide's oracle reports a race, on every run.
// ANCHOR: array_false_alarm
#[test]
fn broken_race_stress_oracles_array_oracle_flags_correct_code() {
    let (run, said, _trace) = run_array_gated(Variant::Broken);
    assert_eq!((run.adds, run.removed, run.final_count), (2, 0, 2));
    assert_eq!(
        said,
        Err("race detected: expected items 0, got 2".to_string())
    );
}
// ANCHOR_END: array_false_alarm

/// Writer 1 (the last spawned) is done before writer 0 starts: a correct store ends with writer
/// 0's last value, and the guide's oracle reports a race.
#[test]
fn broken_race_stress_oracles_data_oracle_flags_correct_code() {
    let (run, said, _trace) = run_data_gated(Variant::Broken);
    assert_eq!(run.final_value, "Value 0-1");
    assert_eq!(
        said,
        Err(r#"race detected: expected final value "Value 1-1", got "Value 0-1""#.to_string())
    );
}

/// No gate needed to find those orders: loom runs one adder and one remover in every order and
/// finds the one where the remover goes first. The minimal false alarm, pinned.
#[test]
fn broken_race_stress_oracles_loom_finds_the_false_alarms() {
    let array = explore_array(Variant::Broken);
    let failure = array.expect_failure();
    assert_eq!(
        failure.message,
        "race detected: expected items 0, got 1 (on a correct array)"
    );
    racelab_testkit::snapshot!("race_stress_oracles__trace", failure.trace.render());

    let data = explore_data(Variant::Broken);
    assert!(
        data.expect_failure()
            .message
            .starts_with(r#"race detected: expected final value "Value 1-0""#)
    );
}

/// The other way to be wrong: one run on real threads is one schedule. When T1 starts after T0
/// is done, R1's broken counter counts right and the guide's (correct!) oracle passes it.
// ANCHOR: miss
#[test]
fn broken_race_stress_oracles_one_real_run_misses_r1s_broken_counter() {
    let search = search_counter(Variant::Broken, Variant::Broken);
    let CounterSearch::RealRun { run, said, .. } = &search else {
        panic!("the guide searches with one real run: {search:?}");
    };
    assert_eq!(run.final_count, 4);
    assert_eq!(
        *said,
        Ok(()),
        "R1's broken counter passed the guide's check"
    );
}
// ANCHOR_END: miss

/// The fixed oracles, in the very same forced orders: no alarm on correct code.
#[test]
fn fixed_race_stress_oracles_pass_correct_code_in_the_forced_orders() {
    let (run, said, _) = run_array_gated(Variant::Fixed);
    assert_eq!(said, Ok(()), "{run:?}");
    let (run, said, _) = run_data_gated(Variant::Fixed);
    assert_eq!(said, Ok(()), "{run:?}");
}

/// …and in every interleaving loom can find.
// ANCHOR: holds
#[test]
fn fixed_race_stress_oracles_pass_correct_code_in_every_interleaving() {
    explore_array(Variant::Fixed).assert_holds();
    explore_data(Variant::Fixed).assert_holds();
}
// ANCHOR_END: holds

/// The fixed twin searches with loom: R1's broken counter is flagged on every run, in the same
/// interleaving R1 pins (both read 0, both write 1); R1's fixed counter is not.
// ANCHOR: loom_counter
#[test]
fn fixed_race_stress_oracles_loom_flags_r1s_broken_counter() {
    let CounterSearch::Loom(x) = search_counter(Variant::Fixed, Variant::Broken) else {
        panic!("the fixed twin searches with loom");
    };
    assert_eq!(
        x.expect_failure().message,
        "race detected: expected count 2, got 1"
    );
    let CounterSearch::Loom(x) = search_counter(Variant::Fixed, Variant::Fixed) else {
        panic!("the fixed twin searches with loom");
    };
    x.assert_holds();
}
// ANCHOR_END: loom_counter

/// And with the guide's own thread counts (200 iterations each) on real threads, in whatever order the OS picks, the
/// fixed oracles pass correct code — they accept every outcome correct code can produce, so this
/// cannot flake. (The guide's oracles often fail here; `scripts/detectors` measures how often.)
#[test]
fn fixed_race_stress_oracles_pass_the_guides_workload_on_real_threads() {
    let run = managers::array_workload::<Std>(5, 5, 200);
    assert_eq!(fixed::Oracles::array(&run), Ok(()), "{run:?}");
    let run = managers::data_workload::<Std>(5, 5, 200);
    assert_eq!(fixed::Oracles::data(&run), Ok(()), "{run:?}");
}
