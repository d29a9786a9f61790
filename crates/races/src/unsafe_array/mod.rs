//! R5 `unsafe_array` — check-then-act: two threads remove the last item, the second one crashes.
//!
//! Ports the guide's "2. Array Modification" (L3861–3928) and its test copy (L6995–7011). The
//! guide's `UnsafeArrayManager` is a data race on a Swift `Array` (undefined behaviour, which Rust
//! does not compile — see `tests/compile_fail/unsafe_array.rs`). Underneath that sits a second bug
//! the guide does not mention: `removeItem(at:)` checks `index < items.count`, then removes. Even
//! with each step locked, two threads removing the last index can both pass the check, and the
//! second removal is out of range. The guide also has no `index >= 0` check; a `usize` index makes
//! that case impossible in Rust.
//!
//! The check: an array of two items; `T0` and `T1` each remove index 1 if it is there. Nothing may
//! panic, exactly one thread gets the item, and one item is left. loom runs it under every
//! interleaving.

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::sync::prelude::*;

pub mod broken;
pub mod fixed;

/// What the check needs from an array manager. The twins keep their own method names — the
/// broken one the guide's `removeItem(at:)`, the fixed one `remove_at`, a rename that states the new
/// contract (the book's R5 page says why) — so this is the one adapter, written out below.
pub trait Items: Send + Sync + 'static {
    /// A manager holding `items`.
    fn new(items: Vec<String>) -> Self;
    /// Removes the item at `index` if there is one, and returns it.
    fn remove(&self, index: usize) -> Option<String>;
    /// How many items there are.
    fn count(&self) -> usize;
}

impl<P: Primitives> Items for broken::ArrayManager<P, String> {
    fn new(items: Vec<String>) -> Self {
        broken::ArrayManager::new(items)
    }
    fn remove(&self, index: usize) -> Option<String> {
        self.remove_item(index)
    }
    fn count(&self) -> usize {
        self.item_count()
    }
}

impl<P: Primitives> Items for fixed::ArrayManager<P, String> {
    fn new(items: Vec<String>) -> Self {
        fixed::ArrayManager::new(items)
    }
    fn remove(&self, index: usize) -> Option<String> {
        self.remove_at(index)
    }
    fn count(&self) -> usize {
        self.item_count()
    }
}

// ANCHOR: check
/// Two items; `T0` and `T1` each remove index 1 if it is there. Nothing may panic, exactly one of
/// them gets the item, and one item is left.
pub fn two_removals<P: Primitives, A: Items>() {
    let items = Arc::new(A::new(vec!["first".into(), "second".into()]));
    let threads = ["T0", "T1"].map(|name| {
        let items = items.clone();
        P::spawn(name, move || items.remove(1))
    });
    let removed: Vec<String> = threads.into_iter().filter_map(|t| t.join()).collect();
    if removed != ["second"] {
        panic!("index 1 was removed {} times: {removed:?}", removed.len());
    }
    let left = items.count();
    if left != 1 {
        panic!("one removal, but {left} items are left");
    }
}
// ANCHOR_END: check

/// Runs the check under loom for one twin.
pub fn explore_variant(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(two_removals::<Loom, broken::ArrayManager<Loom, String>>),
        Variant::Fixed => explore(two_removals::<Loom, fixed::ArrayManager<Loom, String>>),
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R5",
    name: "unsafe_array",
    summary: "check-then-remove in two lock scopes panics on the second removal; one lock scope does not",
    run: demo,
};

/// The demo: the loom search, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("loom: two items; T0 and T1 each remove index 1 if it is there, in every order");
    let x = explore_variant(variant);
    report.exploration(&x);
    report.conclude(
        x.failure.map(|f| f.message),
        format!(
            "exactly one thread removes index 1, and nothing panics, in all {} interleavings",
            x.interleavings
        ),
    );
    report
}
