//! A16's fixed checkout: the same spawned payment, its handle wrapped in tokio-util's
//! `AbortOnDropHandle`, so the timeout's drop of the handle aborts the task. The task's state —
//! the hold on the card — is dropped where it was suspended, and the charge never happens.
//!
//! Two other fixes hold as well (`tests/demos/dropping_tasks.rs` runs one): keep the handle and
//! call `handle.abort()` on timeout, or do not spawn at all — `timeout(LIMIT, pay(ledger))` drops
//! the payment future itself. tokio's `JoinSet` aborts every task it holds when dropped.

use racelab_kit::{rt, say};
use tokio_util::task::AbortOnDropHandle;

use super::{Ledger, TimedOut, pay};

/// The checkout.
#[derive(Debug)]
pub struct Checkout;

// ANCHOR: checkout
impl super::Checkout for Checkout {
    async fn pay_with_timeout(ledger: Ledger) -> Result<&'static str, TimedOut> {
        let handle = AbortOnDropHandle::new(rt::spawn("payment", pay(ledger))); // drop = abort
        match tokio::time::timeout(super::LIMIT, handle).await {
            Ok(joined) => Ok(joined.expect("the payment does not panic")),
            Err(_elapsed) => {
                say!("gives up at {}: the handle is dropped", rt::now());
                Err(TimedOut)
            }
        }
    }
}
// ANCHOR_END: checkout
