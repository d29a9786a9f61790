//! The Swift shapes that Rust's type system rejects outright. Error codes are checked on every
//! compiler; the full messages (shown in the book) on the compiler they were recorded with.

use racelab_testkit::compile_fail::{Case, check};

/// Q3: the guide's `ThreadBasedManager` does not compile in Rust, three ways: appending to the
/// thread list through `&self` (E0596), the same list in a `RefCell` shared by two threads (E0277:
/// not `Sync`), and a thread body that borrows `self` (E0521: the thread may outlive it).
// ANCHOR: thread_managers
#[test]
fn broken_thread_managers_swift_shape_does_not_compile() {
    check(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[
            Case {
                file: "thread_managers_append.rs",
                code: "E0596",
            },
            Case {
                file: "thread_managers_refcell.rs",
                code: "E0277",
            },
            Case {
                file: "thread_managers_self.rs",
                code: "E0521",
            },
        ],
    );
}
// ANCHOR_END: thread_managers
