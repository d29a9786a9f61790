//! The tour (`cargo run -p racelab`) is README's main job: it must run every registered demo of
//! every chapter, broken and fixed, and end with a table and exit code 0.

use racelab_testkit::run_bin;

#[test]
fn the_tour_runs_every_demo_and_prints_the_table() {
    let ran = run_bin(env!("CARGO_BIN_EXE_racelab"), &[]);
    assert_eq!(ran.code, Some(0), "{}\n{}", ran.stdout, ran.stderr);
    for demo in queues::CHAPTER.demos.iter().chain(races::CHAPTER.demos) {
        assert!(
            ran.stdout
                .lines()
                .any(|line| line == format!("{} {}", demo.id, demo.name)),
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
    // It fits a terminal: a reader's 100 columns, not a 400-column table wrapped into noise.
    for line in ran.stdout.lines().chain(ran.stderr.lines()) {
        assert!(
            line.chars().count() <= racelab_kit::cli::TOUR_WIDTH,
            "a line over {} columns:\n{line}",
            racelab_kit::cli::TOUR_WIDTH
        );
    }
}

#[test]
fn the_tour_rejects_a_bad_flag_in_one_line() {
    let ran = run_bin(env!("CARGO_BIN_EXE_racelab"), &["--bogus"]);
    assert_eq!(ran.code, Some(2));
    assert_eq!(ran.stderr.lines().count(), 1, "{}", ran.stderr);
}

#[test]
fn the_tour_draws_lanes_only_with_its_narration() {
    let ran = run_bin(env!("CARGO_BIN_EXE_racelab"), &["--lanes"]);
    assert_eq!(ran.code, Some(2));
    assert_eq!(ran.stderr.lines().count(), 1, "{}", ran.stderr);
}
