//! P10 `thread_inspector` — a sidebar, not a demo: the guide's "Thread State Inspection"
//! (L1301–1364) lists a process's threads with Mach calls (`task_threads`, `thread_info`) that
//! Apple's kernel has and Linux does not, so there is no Linux call to port and no broken/fixed
//! pair to run. The book page says why, what the guide's code gets wrong (it never releases the
//! send right it is handed for each listed thread — for a live thread a repeat call only raises a
//! reference count, but every thread that exits after being listed leaves a dead name behind for
//! good, so a periodic monitor fills the task's port name space; `cpu_usage` printed unscaled; two
//! lines that do not compile) and what Linux offers instead: one directory per thread under
//! `/proc/self/task`. Its smoke test, `tests/demos/thread_inspector.rs`, names a thread with
//! `thread::Builder::name` and finds it there on the real kernel.
//!
//! This module only registers the entry, so `cargo run -p production -- list` shows P10 among
//! the demos and `cargo run -p production -- P10` says where to read it.

use racelab_kit::demo::Sidebar;

/// The chapter's registry entry for P10.
pub const SIDEBAR: Sidebar = Sidebar {
    id: "P10",
    name: "thread_inspector",
    summary: "Mach-only in the guide (and it never releases the thread ports it is handed); Linux \
lists threads under /proc/self/task",
    instead: "There is no broken/fixed pair: task_threads and thread_info are Mach calls, with \
no Linux equivalent to port.\nRead it in the book: Production resilience › P10 · \
thread_inspector (book/src/production/thread_inspector.md).\nIts smoke test names a thread and \
finds it under /proc/self/task:\n  cargo test -p production --test demos thread_inspector",
};
