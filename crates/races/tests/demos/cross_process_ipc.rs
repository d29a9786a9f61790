//! R14 `cross_process_ipc`: per-process tools used across processes — with two real processes.
//! The peer is the `ipc_peer` binary; each check drives it line by line over its stdin and stdout.

use std::sync::Arc;

use racelab_kit::demo::Variant;
use races::cross_process_ipc::broken;
use races::cross_process_ipc::center::Center;
use races::cross_process_ipc::child::Program;
use races::cross_process_ipc::harness::{Check, Outcome, run};
use tempfile::TempDir;

fn peer() -> Program {
    Program::ipc_peer(env!("CARGO_BIN_EXE_ipc_peer"))
}

/// The trivial case, part 1: inside one process the guide's serial queue does serialise — two
/// threads each add 1 and the file holds 2, in whichever order they run.
#[test]
fn broken_cross_process_ipc_serial_queue_works_inside_one_process() {
    let dir = TempDir::new().unwrap();
    let file = Arc::new(dir.path().join("counter"));
    std::fs::write(&*file, "0\n").unwrap();
    let threads = [0, 1].map(|_| {
        let file = file.clone();
        std::thread::spawn(move || broken::increment(&file, &|_| {}, || {}).unwrap())
    });
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(std::fs::read_to_string(&*file).unwrap().trim(), "2");
}

/// The trivial case, part 2: inside one process `NotificationCenter.default` delivers.
#[test]
fn broken_center_notification_arrives_inside_one_process() {
    let dir = TempDir::new().unwrap();
    let center = Center::new(Variant::Broken, dir.path());
    let mut observer = center.observe("DataUpdated").unwrap();
    center.post("DataUpdated", "count=1").unwrap();
    assert_eq!(observer.received().unwrap().as_deref(), Some("count=1"));
}

/// Across two processes the serial queue excludes nothing: P1 and P2 both read 0 and both write 1.
// ANCHOR: caught
#[test]
fn broken_cross_process_ipc_loses_an_update_between_processes() {
    let (outcome, trace) = run(Check::Counter, Variant::Broken, &peer());
    assert_eq!(
        outcome,
        Outcome::Bug(
            "two processes each added 1 to 0, yet the file holds 1: an update was lost".into()
        )
    );
    racelab_testkit::snapshot!("cross_process_ipc__trace", trace.render());
}
// ANCHOR_END: caught

/// And the post never reaches the other process: it answers "nothing", it does not hang.
#[test]
fn broken_center_notification_never_reaches_the_peer() {
    let (outcome, trace) = run(Check::Notify, Variant::Broken, &peer());
    assert!(matches!(outcome, Outcome::Bug(_)), "{outcome:?}");
    assert!(
        trace.render().contains("ext   has received nothing"),
        "{}",
        trace.render()
    );
}

/// The fixed twin under the same checks: flock makes P2 wait for P1's write; the socket delivers.
#[test]
fn fixed_cross_process_ipc_flock_keeps_both_updates() {
    let (outcome, trace) = run(Check::Counter, Variant::Fixed, &peer());
    assert_eq!(outcome, Outcome::Held, "{}", trace.render());
    assert!(
        trace.render().contains("P2    waits for the lock"),
        "{}",
        trace.render()
    );
}

#[test]
fn fixed_center_socket_reaches_the_peer() {
    let (outcome, trace) = run(Check::Notify, Variant::Fixed, &peer());
    assert_eq!(outcome, Outcome::Held, "{}", trace.render());
}

/// The peer's own contract: bad arguments are one line on stderr and exit code 2.
#[test]
fn fixed_cross_process_ipc_peer_rejects_bad_arguments_in_one_line() {
    for args in [&[][..], &["count", "sideways", "x"], &["observe", "fixed"]] {
        let ran = racelab_testkit::run_bin(env!("CARGO_BIN_EXE_ipc_peer"), args);
        assert_eq!(ran.code, Some(2), "{args:?}");
        assert_eq!(ran.stderr.lines().count(), 1, "{args:?}: {}", ran.stderr);
        assert!(ran.stderr.starts_with("ipc_peer: "), "{}", ran.stderr);
    }
}

/// Nothing outlives a check: a peer left waiting for its go-ahead (as after a failed check) is
/// killed and reaped when its guard drops.
#[test]
fn fixed_cross_process_ipc_child_guard_kills_a_waiting_peer() {
    use races::cross_process_ipc::child::Child;
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("counter");
    std::fs::write(&file, "0\n").unwrap();
    let trace = racelab_kit::trace::Trace::new();
    let args = ["count".into(), "fixed".into(), file.into()];
    let mut p1 = Child::spawn(&peer(), "P1", &args, &trace).unwrap();
    p1.expect(&["reads"]).unwrap(); // now blocked on its stdin, holding the lock
    let pid = p1.id();
    assert!(std::path::Path::new(&format!("/proc/{pid}")).exists());
    drop(p1);
    assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists());
}
