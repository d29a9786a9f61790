//! The command-line contract every chapter binary keeps (see `racelab_kit::cli`), written once.
//!
//! Each chapter's `tests/demos/cli.rs` calls these with its own binary and registry, so a chapter
//! cannot drift from the contract and the checks are not copied from chapter to chapter.

use racelab_kit::demo::Chapter;

use crate::run_bin;

/// `<chapter> list` prints one line per demo, starting with its ID and naming its module, and
/// one per sidebar, marked `(sidebar)` — every entry in ID order, no line over 100 columns.
pub fn list_shows_every_demo(bin: &str, chapter: &Chapter) {
    let ran = run_bin(bin, &["list"]);
    assert_eq!(ran.code, Some(0));
    let entries = chapter
        .demos
        .iter()
        .map(|d| (d.id, d.name, ""))
        .chain(chapter.sidebars.iter().map(|s| (s.id, s.name, "(sidebar)")));
    for (id, name, mark) in entries {
        assert!(
            ran.stdout
                .lines()
                .any(|l| l.starts_with(id) && l.contains(name) && l.contains(mark)),
            "{id} missing from:\n{}",
            ran.stdout
        );
    }
    let ids: Vec<u32> = ran
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' ')) // an entry's first line; the rest continue its summary
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|id| id.trim_start_matches(char::is_alphabetic).parse().ok())
        .collect();
    assert!(ids.is_sorted(), "not in ID order:\n{}", ran.stdout);
    for line in ran.stdout.lines() {
        assert!(
            line.chars().count() <= 100,
            "wider than 100 columns: {line}"
        );
    }
}

/// A sidebar (an entry with no twins to run) "runs" by its ID: exit 0, and it says where to read
/// it instead of pretending to run anything. Nothing to check in a chapter without sidebars.
pub fn a_sidebar_says_where_to_read_it(bin: &str, chapter: &Chapter) {
    for sidebar in chapter.sidebars {
        let ran = run_bin(bin, &[&sidebar.id.to_lowercase()]);
        assert_eq!(ran.code, Some(0), "{}", ran.stderr);
        assert!(
            ran.stdout.contains("a sidebar, not a demo") && ran.stdout.contains(sidebar.instead),
            "{}",
            ran.stdout
        );
        assert!(!ran.stdout.contains("verdict"), "{}", ran.stdout);
    }
}

/// The first demo runs by its ID, in lower case, broken twin only, and reports it was caught.
pub fn a_demo_runs_by_id(bin: &str, chapter: &Chapter) {
    let id = chapter.demos[0].id.to_lowercase();
    let ran = run_bin(bin, &[&id, "--broken"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.stdout.contains("verdict (broken): CAUGHT"),
        "{}",
        ran.stdout
    );
    assert!(!ran.stdout.contains("verdict (fixed)"));
}

/// An unknown demo is one line on stderr and exit code 2, never a panic.
pub fn an_unknown_demo_is_one_line(bin: &str) {
    let ran = run_bin(bin, &["nosuch"]);
    assert_eq!(ran.code, Some(2));
    assert_eq!(ran.stderr.lines().count(), 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("no demo called 'nosuch'"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("panicked"));
}

/// A bad flag, or two flags that exclude each other, is one line prefixed with the binary's name
/// and exit code 2.
pub fn a_bad_flag_is_one_line(bin: &str, chapter: &Chapter) {
    let id = chapter.demos[0].id;
    for args in [&[id, "--bogus"][..], &[id, "--broken", "--fixed"]] {
        let ran = run_bin(bin, args);
        assert_eq!(ran.code, Some(2), "{args:?}");
        assert_eq!(ran.stderr.lines().count(), 1, "{args:?}: {}", ran.stderr);
        assert!(
            ran.stderr.starts_with(&format!("{}: ", chapter.name)),
            "{}",
            ran.stderr
        );
    }
}

/// `--lanes` draws the first demo's traces as lanes — a header row `#  <thread>  <thread>` with at
/// least two threads — and nothing it prints is wider than a terminal's 100 columns.
pub fn lanes_fit_a_terminal(bin: &str, chapter: &Chapter) {
    let ran = run_bin(bin, &[chapter.demos[0].id, "--lanes"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let header = ran
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("#  "))
        .unwrap_or_else(|| panic!("no lanes header in:\n{}", ran.stdout));
    assert!(
        header.trim_start()[1..]
            .split("  ")
            .filter(|s| !s.trim().is_empty())
            .count()
            >= 2,
        "fewer than two lanes: {header:?}"
    );
    for line in ran.stdout.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= racelab_kit::lanes::WIDTH,
            "wider than {} columns:\n{line}",
            racelab_kit::lanes::WIDTH
        );
    }
}
