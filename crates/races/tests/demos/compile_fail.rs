//! The Swift shapes that Rust's type system rejects outright. Error codes are checked on every
//! compiler; the full messages (shown in the book) on the compiler they were recorded with.

use racelab_testkit::compile_fail::{Case, check};

/// R1: sharing the guide's `UnsafeCounter` between threads does not compile (E0277: `Cell` is not
/// `Sync`).
#[test]
fn broken_unsafe_counter_swift_shape_does_not_compile() {
    check(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[Case {
            file: "unsafe_counter.rs",
            code: "E0277",
        }],
    );
}

/// R10: the guide's unsynchronized `waitingThreads`, a `Vec` pushed to through `&self` from two
/// threads, does not compile (E0277: `RefCell` is not `Sync`).
#[test]
fn broken_priority_inheritance_sim_waiting_list_does_not_compile() {
    check(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[Case {
            file: "priority_inheritance_sim.rs",
            code: "E0277",
        }],
    );
}
