//! The kit every racelab chapter is built on.
//!
//! racelab is one pattern repeated for every example of the Swift guide: a **broken** demo that
//! really goes wrong, a **fixed** twin, a test that catches the broken one and passes the fixed one,
//! a narrated `cargo run` demo, and a book page. This crate holds the parts of that pattern that
//! would otherwise be copied into every chapter — one way of doing each thing:
//!
//! | need | module | what it is |
//! |---|---|---|
//! | write a demo once, run it on real threads *and* under loom | [`sync`] | the [`Primitives`](sync::Primitives) facade with [`Std`](sync::Std) and [`Loom`](sync::Loom) |
//! | say in plain words what each thread did | [`trace`] | [`say!`], [`Trace`](trace::Trace), per-thread actor names |
//! | see an interleaving: one column per thread | [`lanes`] | [`lanes::render`] |
//! | search every interleaving and keep the failing one | [`explore`] | [`explore`](explore::explore) → [`Exploration`](explore::Exploration) |
//! | random schedules from a seed, replayable (feature `shuttle`) | `randomized` | `search`, `replay`, `failures` over shuttle |
//! | hold a thread until another got somewhere; record what a thread waits on | [`wait`] | [`wait::until`], [`Step`](trace::Step), [`wait::Resource`] |
//! | never hang on a deadlock, and prove it | [`watchdog`] | [`watchdog::watch`]: finished, or the proven cycle / who waits on what |
//! | locks that narrate who holds and who waits | [`lock`] | [`NamedMutex`](lock::NamedMutex), [`NamedRwLock`](lock::NamedRwLock), [`NamedCondvar`](lock::NamedCondvar) |
//! | how many jobs run at once, and the most that ever did | [`gauge`] | [`Gauge`](gauge::Gauge), entered with an RAII guard |
//! | a one-shot gate real threads block on until it opens | [`latch`] | [`Latch`](latch::Latch) |
//! | lock a `std` mutex even after a panic poisoned it | [`sync`] | [`lock_unpoisoned`](sync::lock_unpoisoned) |
//! | run async code on one thread and a paused clock; gates, named tasks, "stuck" proven | [`rt`] | [`rt::run`], [`rt::Gate`], [`rt::spawn`], [`rt::until_stuck`] |
//! | be the scheduler: pick who moves next, reach the bug (or not) | [`play`] | [`play::StepModel`], [`play::Tree`], [`play::Game`], [`play::explore_all`] |
//! | one registry, one CLI for every chapter | [`demo`], [`cli`] | [`Chapter`](demo::Chapter), [`Demo`](demo::Demo), [`cli::chapter_main`], [`cli::tour_main`] |
//!
//! Why loom is a normal (not dev-) dependency: the demos print the *same* failing interleaving the
//! tests pin with insta, so `cargo run` and `cargo test` tell one story. Why there is no
//! `--cfg loom`: it changes tokio, rayon and everything else in the build; here the loom world is
//! chosen per call, by a type parameter.
//!
//! Test-only helpers (compile-fail checks, running a chapter binary) live in the dev-only crate
//! `racelab-testkit`.

pub mod cli;
pub mod demo;
pub mod explore;
pub mod gauge;
pub mod lanes;
pub mod latch;
pub mod lock;
pub mod play;
#[cfg(feature = "shuttle")]
pub mod randomized;
pub mod rt;
pub mod sync;
pub mod trace;
pub mod wait;
pub mod watchdog;
