//! The command-line contract every chapter binary keeps (see `racelab_kit::cli`).

use racelab_testkit::run_bin;

const QUEUES: &str = env!("CARGO_BIN_EXE_queues");

#[test]
fn list_shows_every_demo_with_its_id() {
    let ran = run_bin(QUEUES, &["list"]);
    assert_eq!(ran.code, Some(0));
    for demo in queues::CHAPTER.demos {
        assert!(
            ran.stdout
                .lines()
                .any(|l| l.starts_with(demo.id) && l.contains(demo.name)),
            "{} missing from:\n{}",
            demo.id,
            ran.stdout
        );
    }
}

#[test]
fn a_demo_runs_by_id_and_reports_its_verdict() {
    let ran = run_bin(QUEUES, &["q6", "--broken"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stdout.contains("verdict (broken): CAUGHT"),
        "{}",
        ran.stdout
    );
    assert!(!ran.stdout.contains("verdict (fixed)"));
}

#[test]
fn an_unknown_demo_is_one_line_and_exit_2() {
    let ran = run_bin(QUEUES, &["nosuch"]);
    assert_eq!(ran.code, Some(2));
    assert_eq!(ran.stderr.lines().count(), 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("no demo called 'nosuch'"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("panicked"));
}

#[test]
fn a_bad_flag_is_one_line_and_exit_2() {
    for args in [&["Q6", "--bogus"][..], &["Q6", "--broken", "--fixed"]] {
        let ran = run_bin(QUEUES, args);
        assert_eq!(ran.code, Some(2), "{args:?}");
        assert_eq!(ran.stderr.lines().count(), 1, "{args:?}: {}", ran.stderr);
        assert!(ran.stderr.starts_with("queues: "), "{}", ran.stderr);
    }
}
