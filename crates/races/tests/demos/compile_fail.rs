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

/// R5: two threads pushing to the guide's `UnsafeArrayManager` with no lock does not compile
/// (E0499: both would borrow it mutably at once).
#[test]
fn broken_unsafe_array_swift_shape_does_not_compile() {
    check(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[Case {
            file: "unsafe_array.rs",
            code: "E0499",
        }],
    );
}
