//! A16 `dropping_tasks`: a timeout that drops a `JoinHandle` does not stop the task; one that
//! drops the future (or aborts the task) does, and the task's state is dropped at its cancel point.

use actors::dropping_tasks::{
    BANK_TAKES, Checkout, LIMIT, Ledger, TimedOut, a_timed_out_payment_charges_nothing, broken,
    fixed, pay, run,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: when the bank answers in time, the broken checkout pays and charges once.
#[test]
fn broken_dropping_tasks_is_right_when_the_bank_is_fast() {
    let ledger = Ledger::default();
    let paid = rt::run(async {
        let handle = rt::spawn("payment", pay(ledger.clone()));
        tokio::time::timeout(BANK_TAKES + LIMIT, handle).await
    });
    assert_eq!(paid.unwrap().unwrap(), "paid");
    assert_eq!(
        ledger.entries(),
        ["charged at t=500ms", "hold released at t=500ms"]
    );
}

// ANCHOR: caught
/// The forced schedule: the checkout reports a timeout at t=100ms, the card is charged at t=500ms.
#[test]
fn broken_dropping_tasks_charges_the_card_after_the_timeout() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the payment timed out at t=100ms, yet the card was charged at t=500ms: dropping the \
         JoinHandle let the task run on"
    );
    racelab_testkit::snapshot!("dropping_tasks__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: the hold goes at t=100ms, the card is never charged.
#[test]
fn fixed_dropping_tasks_stops_the_payment_at_the_timeout() {
    assert_eq!(
        rt::run(a_timed_out_payment_charges_nothing::<fixed::Checkout>()),
        Ok(())
    );
}

// ANCHOR: unspawned
/// Another fix, under the same check: no task at all. `timeout` owns the payment future and drops
/// it when the limit passes, so the payment stops at its `.await` and its hold goes with it.
struct Unspawned;

impl Checkout for Unspawned {
    async fn pay_with_timeout(ledger: Ledger) -> Result<&'static str, TimedOut> {
        tokio::time::timeout(LIMIT, pay(ledger))
            .await
            .map_err(|_elapsed| TimedOut)
    }
}

#[test]
fn fixed_dropping_tasks_an_unspawned_future_is_dropped_by_the_timeout() {
    assert_eq!(
        rt::run(a_timed_out_payment_charges_nothing::<Unspawned>()),
        Ok(())
    );
}
// ANCHOR_END: unspawned

/// The broken twin's check passes nothing by accident: its own timeout is reported as
/// `Err(TimedOut)`, exactly like the fixed twin's — the caller cannot tell them apart.
#[test]
fn broken_dropping_tasks_reports_the_same_timeout_as_the_fixed_twin() {
    let ledger = Ledger::default();
    let outcome = rt::run(<broken::Checkout as Checkout>::pay_with_timeout(ledger));
    assert_eq!(outcome, Err(TimedOut));
}
