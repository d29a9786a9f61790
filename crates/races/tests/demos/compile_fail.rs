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

/// R11: the guide's cross-context use of what a context fetched, in Rust terms. A `Connection`
/// shared by two threads does not compile (E0277: not `Sync`), and a row cannot be handed out of
/// the function that queried it (E0515: it borrows its statement). These cases use rusqlite, so
/// rustc is given the rusqlite the tests were built with.
#[test]
fn broken_sqlite_connection_confinement_swift_shape_does_not_compile() {
    racelab_testkit::compile_fail::check_with_crates(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[
            Case {
                file: "sqlite_connection_shared.rs",
                code: "E0277",
            },
            Case {
                file: "sqlite_rows_escape.rs",
                code: "E0515",
            },
        ],
        &["rusqlite"],
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
