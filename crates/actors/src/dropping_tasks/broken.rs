//! A16's broken checkout: the payment runs in a spawned task and the timeout is put on its
//! `JoinHandle`. This version is problematic: when the timeout elapses it drops the handle, which
//! detaches the task instead of stopping it — the card is charged after the checkout said
//! "timed out".

use racelab_kit::{rt, say};

use super::{Ledger, TimedOut, pay};

/// The checkout.
#[derive(Debug)]
pub struct Checkout;

// ANCHOR: checkout
impl super::Checkout for Checkout {
    async fn pay_with_timeout(ledger: Ledger) -> Result<&'static str, TimedOut> {
        let handle = rt::spawn("payment", pay(ledger));
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
