//! A16 `dropping_tasks` — dropping a tokio `JoinHandle` does not stop its task; dropping a future
//! does.
//!
//! A Rust-only lesson, the other half of the guide's cancellation sections (its "Cancellation
//! that cancels nothing", L2366–2385, keeps a `Task` handle it never cancels): in Swift, as in
//! tokio, an unstructured task runs on when its handle is thrown away. What the two spellings of
//! "give up" do in tokio:
//!
//! * dropping a **future** (`timeout` does, when it elapses; so does `select!` for the losing
//!   branch) cancels it: it is never polled again, and its locals are dropped at the `.await` it
//!   was suspended in — the *cancel point*;
//! * dropping a **`JoinHandle`** detaches the task. It keeps running on the runtime, to the end,
//!   side effects and all. Only `handle.abort()` (or a handle that aborts on drop: tokio's
//!   `JoinSet`, tokio-util's `AbortOnDropHandle`) stops it.
//!
//! The check ([`a_timed_out_payment_charges_nothing`]): a checkout pays through the bank, which
//! takes [`BANK_TAKES`] (500 ms of paused time), with a [`LIMIT`] of 100 ms. The payment puts a
//! hold on the card first, released when the payment's state is dropped. When the checkout says
//! "timed out", the card must never be charged, and the hold must be released at the timeout.
//!
//! * [`broken`] spawns the payment and puts the timeout on its `JoinHandle`: at t=100ms the
//!   timeout drops the handle and reports a timeout, and at t=500ms the card is charged anyway.
//! * [`fixed`] wraps the handle in an `AbortOnDropHandle`: the same drop aborts the task, whose
//!   state — the hold — is dropped at t=100ms, where it was suspended; the charge never happens.
//!
//! How it is caught: **one forced schedule**. Only one task is ever ready at a time (the caller
//! and the payment wait on different timers), and the paused clock makes 100 and 500 ms exact.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::{Trace, as_actor, traced};
use racelab_kit::{rt, say};

pub mod broken;
pub mod fixed;

/// How long the checkout waits for the bank.
pub const LIMIT: Duration = Duration::from_millis(100);

/// How long the bank takes to charge a card (paused time: exact, and free).
pub const BANK_TAKES: Duration = Duration::from_millis(500);

/// What happened to the card, with the paused clock's time: `"charged at t=500ms"`.
#[derive(Debug, Clone, Default)]
pub struct Ledger(Arc<Mutex<Vec<String>>>);

impl Ledger {
    /// Writes down what happened.
    pub fn record(&self, what: String) {
        lock_unpoisoned(&self.0).push(what);
    }

    /// Everything written down so far.
    pub fn entries(&self) -> Vec<String> {
        lock_unpoisoned(&self.0).clone()
    }
}

/// The hold on the card: part of the payment's state, released when that state is dropped —
/// at the end of the payment, or at its cancel point.
#[derive(Debug)]
pub struct Hold(Ledger);

impl Drop for Hold {
    fn drop(&mut self) {
        let at = rt::now();
        self.0.record(format!("hold released at {at}"));
        // A cancelled task's state is dropped by the runtime, outside any poll of it: sign the
        // line by hand so it stays in the payment's lane.
        as_actor("payment", || say!("releases the hold on the card at {at}"));
    }
}

// ANCHOR: payment
/// The payment: a hold on the card, the bank's call, the charge.
pub async fn pay(ledger: Ledger) -> &'static str {
    let _hold = Hold(ledger.clone());
    say!("puts a hold on the card and calls the bank");
    tokio::time::sleep(BANK_TAKES).await; // the cancel point: dropped here, the hold goes at once
    ledger.record(format!("charged at {}", rt::now()));
    say!("charges the card at {}", rt::now());
    "paid"
}
// ANCHOR_END: payment

/// A payment has timed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// What the twins implement: pay, giving up after [`LIMIT`].
pub trait Checkout {
    /// Pays through [`pay`]; `Err(TimedOut)` if the bank has not answered within [`LIMIT`].
    fn pay_with_timeout(ledger: Ledger) -> impl Future<Output = Result<&'static str, TimedOut>>;
}

// ANCHOR: check
/// Pays with a [`LIMIT`] shorter than the bank's [`BANK_TAKES`], then waits out the bank: a
/// payment reported as timed out must never charge the card, and its hold must go at the timeout.
pub async fn a_timed_out_payment_charges_nothing<C: Checkout>() -> Result<(), String> {
    let ledger = Ledger::default();
    say!(
        "pays with a {} ms timeout; the bank takes {} ms",
        LIMIT.as_millis(),
        BANK_TAKES.as_millis()
    );
    let outcome = C::pay_with_timeout(ledger.clone()).await;
    say!("hears {outcome:?} at {}", rt::now());
    tokio::time::sleep(2 * BANK_TAKES).await; // long enough for anything still running to finish
    let entries = ledger.entries();
    say!("reads the ledger at {}: {entries:?}", rt::now());

    if outcome != Err(TimedOut) {
        return Err(format!(
            "the payment should have timed out, got {outcome:?}"
        ));
    }
    if let Some(charge) = entries.iter().find(|e| e.starts_with("charged")) {
        return Err(format!(
            "the payment timed out at t={}ms, yet the card was {charge}: dropping the JoinHandle \
             let the task run on",
            LIMIT.as_millis()
        ));
    }
    let released = format!("hold released at t={}ms", LIMIT.as_millis());
    if !entries.contains(&released) {
        return Err(format!(
            "the hold was not released at the timeout: {entries:?}"
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "checkout",
            a_timed_out_payment_charges_nothing::<broken::Checkout>(),
        ),
        Variant::Fixed => rt::run_as(
            "checkout",
            a_timed_out_payment_charges_nothing::<fixed::Checkout>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A16",
    name: "dropping_tasks",
    summary: "dropping a JoinHandle detaches the task; abort it, or drop the future",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock: a checkout pays with a {} ms timeout; the bank takes {} ms",
        LIMIT.as_millis(),
        BANK_TAKES.as_millis()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the timed-out payment was stopped at t=100ms: its hold released, the card never charged",
    );
    report
}
