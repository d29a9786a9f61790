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

/// R6: waiting on a condition variable without holding its lock (the guide's `condition.wait()`)
/// does not compile (E0061: `Condvar::wait` takes the `MutexGuard`).
#[test]
fn broken_producer_consumer_wait_without_the_lock_does_not_compile() {
    check(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[Case {
            file: "producer_consumer.rs",
            code: "E0061",
        }],
    );
}
