//! R11's second lesson — two saves from copies read at the same time: one is lost.
//!
//! [`two_grants`]: A and B each add 10 credits to a copy of ann read at the same time. A blind
//! save ([`broken::update_user`], the guide's `updateUser`) loses one; a save that checks a
//! `version` column ([`fixed::update_user`]) returns [`Conflict`], and the caller ([`grant`])
//! re-reads and retries. Each runs on its variant's store ([`super::broken::Store`] or
//! [`super::fixed::Store`]); the stores only carry the saves, the lesson is in the save.

use std::sync::Arc;

use racelab_kit::demo::Variant;
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Step, Trace, traced};
use racelab_kit::watchdog::{self, Outcome};
use racelab_kit::{say, step, wait};
use rusqlite::Connection;

use super::harness::database;
use super::{Conflict, User, UserStore, fetch_user};

pub mod broken;
pub mod fixed;

/// "has a copy": a granter has read ann.
pub const HAS_A_COPY: Step = Step("has a copy");
/// "saves": a granter's save went through.
pub const SAVES: Step = Step("saves");

/// A twin's `update_user`: saves a copy of a user, or reports a [`Conflict`].
pub type UpdateUser = fn(&Connection, &User) -> rusqlite::Result<Result<(), Conflict>>;

// ANCHOR: grant
/// Reads a copy of user `id`, adds 10 credits to it and saves it — again from a fresh copy if the
/// save reports a conflict. `after_read` runs after every read.
pub fn grant<S: UserStore>(
    store: &S,
    update_user: UpdateUser,
    id: i64,
    after_read: impl Fn(),
) -> rusqlite::Result<()> {
    loop {
        let mut copy = store.perform(move |context| fetch_user(context, id))?;
        step!(
            HAS_A_COPY,
            ": {} credits, version {}",
            copy.credits,
            copy.version
        );
        after_read();
        copy.credits += 10;
        let credits = copy.credits;
        match store.perform(move |context| update_user(context, &copy))? {
            Ok(()) => {
                step!(SAVES, " ann with {credits} credits");
                return Ok(());
            }
            Err(Conflict) => say!("is told: conflict, ann was saved since it read her; again"),
        }
    }
}
// ANCHOR_END: grant

// ANCHOR: grants
/// A and B each grant ann 10 credits. A reads, then waits until B has read too; B saves only after
/// A has saved. Ann must end with 20 credits.
pub fn two_grants<S: UserStore>(update_user: UpdateUser) -> Outcome<i64> {
    watchdog::watch(move || {
        let (_dir, path) = database(Some("ann"));
        let store = Arc::new(S::open(&path).expect("open the store"));
        let a = {
            let store = store.clone();
            Std::spawn("A", move || {
                let b_has_read = || wait::until("B reads", || wait::reached("B", HAS_A_COPY));
                grant(&*store, update_user, 1, b_has_read).expect("A's grant")
            })
        };
        wait::until("A reads", || wait::reached("A", HAS_A_COPY));
        let b = {
            let store = store.clone();
            Std::spawn("B", move || {
                let a_has_saved = || wait::until("A saves", || wait::reached("A", SAVES));
                grant(&*store, update_user, 1, a_has_saved).expect("B's grant")
            })
        };
        a.join();
        b.join();
        drop(store);
        let context = Connection::open(&path).expect("open the database");
        fetch_user(&context, 1).expect("read ann").credits
    })
}
// ANCHOR_END: grants

/// [`two_grants`] for one twin.
pub fn run_two_grants(variant: Variant) -> (Outcome<i64>, Trace) {
    match variant {
        Variant::Broken => traced(|_| two_grants::<super::broken::Store>(broken::update_user)),
        Variant::Fixed => traced(|_| two_grants::<super::fixed::Store>(fixed::update_user)),
    }
}
