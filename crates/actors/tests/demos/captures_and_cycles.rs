//! A7 `captures_and_cycles`: a stored handler that captures its owner strongly is a cycle; a
//! closure handed to a thread is not.

use std::cell::Cell;
use std::rc::Rc;

use actors::captures_and_cycles::{
    Example, broken, data_manager, fixed, handler_runs_then_the_object_is_freed, run,
};
use racelab_kit::demo::Variant;
use racelab_kit::trace::traced;
use racelab_testkit::compile_fail::{Case, check};

/// The trivial case: the broken handler does its work; with no handler set up, the object is
/// dropped like any other.
#[test]
fn broken_captures_and_cycles_is_fine_until_the_handler_is_stored() {
    let dropped = Rc::new(Cell::new(false));
    let example = broken::RetainCycleExample::new(Rc::clone(&dropped));
    example.call_handler(); // no handler yet: nothing happens
    drop(example);
    assert!(dropped.get());
}

// ANCHOR: caught
/// The catch: after its last outside handle is dropped, the object is still there, kept alive by
/// the closure it owns.
#[test]
fn broken_captures_and_cycles_handler_keeps_its_owner_alive() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "never dropped: 1 strong reference left, held by the object's own handler"
    );
    racelab_testkit::snapshot!("captures_and_cycles__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: the handler ran, and the object went with its last handle.
#[test]
fn fixed_captures_and_cycles_weak_capture_lets_the_object_go() {
    assert_eq!(
        handler_runs_then_the_object_is_freed::<fixed::RetainCycleExample>(),
        Ok(())
    );
}

// ANCHOR: not_a_cycle
/// The guide's L813, tested: a thread holding the last `Arc` of the manager drops it when its
/// closure ends — no cycle, nothing leaked.
#[test]
fn captures_and_cycles_an_arc_moved_into_a_thread_is_not_a_cycle() {
    let (outcome, trace) = traced(|_| data_manager::strong_capture_in_a_thread_is_not_a_cycle());
    assert_eq!(outcome, Ok(()));
    assert_eq!(
        racelab_kit::trace::said(trace.lines()),
        [
            "main: calls fetch_data(), drops its own handle at once, lets the thread run and joins it",
            "fetch: sets data; its Arc is the last reference, and it goes as the closure ends",
            "fetch: DataManager is dropped",
            "main: joined: the manager is gone",
        ]
    );
}
// ANCHOR_END: not_a_cycle

// ANCHOR: compile_fail
/// The guide's Swift shape does not compile in Rust, twice: a thread body that uses `&mut self`
/// (E0521: the thread may outlive the borrow — Swift's `[unowned self]` hazard, refused), and the
/// `[weak self]` version's background write to shared data, made through an `Arc` (E0594).
#[test]
fn broken_captures_and_cycles_swift_shape_does_not_compile() {
    check(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[
            Case {
                file: "captures_and_cycles_self.rs",
                code: "E0521",
            },
            Case {
                file: "captures_and_cycles_shared_write.rs",
                code: "E0594",
            },
        ],
    );
}
// ANCHOR_END: compile_fail
