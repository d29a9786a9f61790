//! R12 `atomic_file_replace`: a reader in the middle of a write, two writers at once — on real
//! files, ordered by gates.

use std::fs;

use racelab_kit::demo::Variant;
use racelab_kit::watchdog::Outcome;
use races::atomic_file_replace::update::run_two_updates;
use races::atomic_file_replace::{NEW, OLD, Seen, broken, run_read_during_write};

/// The trivial case: with nobody reading in the middle, the in-place write is fine — the bug needs
/// a reader at the wrong moment.
#[test]
fn broken_atomic_file_replace_is_right_with_no_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.txt");
    fs::write(&path, OLD).unwrap();
    broken::write_file(&path, NEW.as_bytes(), &|| {}).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), NEW);
}

/// The forced interleaving: the writer pauses halfway, the reader reads right then, and sees the
/// first half of the new file — every run, because a gate, not luck, puts it there.
// ANCHOR: torn
#[test]
fn broken_atomic_file_replace_reader_sees_half_a_file() {
    let (watched, trace) = run_read_during_write(Variant::Broken);
    let Outcome::Finished(seen) = watched else {
        panic!("the scenario got stuck:\n{}", trace.render())
    };
    assert_eq!(
        seen,
        Seen {
            during: "theme=dark\n".to_string(), // half of NEW: neither file
            after: NEW.to_string(),
        }
    );
    assert!(seen.torn().is_some());
    racelab_testkit::snapshot!("atomic_file_replace__trace", trace.render());
}
// ANCHOR_END: torn

/// The replay: the same gates give the same torn read and the same narration on every run.
#[test]
fn broken_atomic_file_replace_is_torn_the_same_way_every_run() {
    let (_, first) = run_read_during_write(Variant::Broken);
    for _ in 0..2 {
        let (watched, again) = run_read_during_write(Variant::Broken);
        assert!(matches!(watched, Outcome::Finished(ref s) if s.during == "theme=dark\n"));
        assert_eq!(again.render(), first.render());
    }
}

/// Two read-modify-writes, the second reading before the first writes: one increment is lost —
/// although every write is the atomic one.
// ANCHOR: lost
#[test]
fn broken_update_loses_an_update() {
    let (watched, trace) = run_two_updates(Variant::Broken);
    assert!(
        matches!(watched, Outcome::Finished(1)),
        "{watched:?}\n{}",
        trace.render()
    );
}
// ANCHOR_END: lost

/// The fixed twin under the same gate: the reader sees the whole old file, and the new one is in
/// place afterwards.
// ANCHOR: holds
#[test]
fn fixed_atomic_file_replace_reader_sees_old_or_new() {
    let (watched, trace) = run_read_during_write(Variant::Fixed);
    let Outcome::Finished(seen) = watched else {
        panic!("the scenario got stuck:\n{}", trace.render())
    };
    assert_eq!(seen.torn(), None, "{}", trace.render());
    assert_eq!(seen.during, OLD);
}

/// And the same two writers, with the lock: the second waits, reads the first one's result, and
/// both increments count.
#[test]
fn fixed_update_counts_both_updates() {
    let (watched, trace) = run_two_updates(Variant::Fixed);
    assert!(
        matches!(watched, Outcome::Finished(2)),
        "{watched:?}\n{}",
        trace.render()
    );
}
// ANCHOR_END: holds

/// The fixed write leaves nothing behind: no temp file beside the target.
#[test]
fn fixed_atomic_file_replace_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.txt");
    races::atomic_file_replace::fixed::write_file(&path, NEW.as_bytes(), &|| {}).unwrap();
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["settings.txt"]);
}
