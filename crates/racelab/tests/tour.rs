//! The tour (`cargo run -p racelab`) is README's main job: it must run every registered demo of
//! every chapter, broken and fixed, and end with a table and exit code 0.

use racelab_testkit::run_bin;

#[test]
fn the_tour_runs_every_demo_and_prints_the_table() {
    let ran = run_bin(env!("CARGO_BIN_EXE_racelab"), &[]);
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains("| demo"), "{}", ran.stdout);
    for demo in queues::CHAPTER.demos.iter().chain(races::CHAPTER.demos) {
        assert!(
            ran.stdout.contains(&format!("| {} {}", demo.id, demo.name)),
            "{} missing from the tour:\n{}",
            demo.id,
            ran.stdout
        );
    }
    assert!(
        ran.stdout
            .contains("every broken twin caught, every fixed twin holds"),
        "{}",
        ran.stdout
    );
}

#[test]
fn the_tour_rejects_a_bad_flag_in_one_line() {
    let ran = run_bin(env!("CARGO_BIN_EXE_racelab"), &["--bogus"]);
    assert_eq!(ran.code, Some(2));
    assert_eq!(ran.stderr.lines().count(), 1, "{}", ran.stderr);
}
