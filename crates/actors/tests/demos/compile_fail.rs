//! The Swift shapes that Rust's type system rejects outright. Error codes are checked on every
//! compiler; the full messages (shown in the book) on the compiler they were recorded with.

use racelab_testkit::compile_fail::{Case, check};

/// A1: a completion handler called twice (a `guard` without its `return`) does not compile: the
/// completion is an `FnOnce`, and the first call moved it (E0382).
// ANCHOR: callbacks_to_async
#[test]
fn broken_callbacks_to_async_second_call_does_not_compile() {
    check(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[Case {
            file: "callbacks_to_async_twice.rs",
            code: "E0382",
        }],
    );
}
// ANCHOR_END: callbacks_to_async
