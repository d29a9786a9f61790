//! A8 `weak_registry`: a registry that holds its handlers only weakly calls nothing unless someone
//! owns each handler.

use actors::weak_registry::{Registry, broken, fires_while_subscribed_and_not_after, fixed, run};
use racelab_kit::demo::Variant;

/// The trivial case: with no handlers, the broken registry is empty and calls nothing — as it
/// should.
#[test]
fn broken_weak_registry_is_right_with_no_handlers() {
    let manager = broken::SafeManager::default();
    assert_eq!((manager.call_handlers(), manager.held()), (0, 0));
}

// ANCHOR: caught
/// The catch: the handler is freed as `add_handler` returns, so it never runs.
#[test]
fn broken_weak_registry_never_calls_its_handler() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the handler ran 0 times while subscribed: nothing held it strongly"
    );
    racelab_testkit::snapshot!("weak_registry__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: it runs while subscribed, not after, and the registry empties.
#[test]
fn fixed_weak_registry_calls_while_subscribed_and_empties_after() {
    assert_eq!(
        fires_while_subscribed_and_not_after::<fixed::SafeManager>(),
        Ok(())
    );
}

/// Many subscribers: each runs while its own subscription lives, independently of the others.
#[test]
fn fixed_weak_registry_each_subscription_is_its_own() {
    use std::cell::Cell;
    use std::rc::Rc;
    let manager = fixed::SafeManager::default();
    let runs = Rc::new(Cell::new([0; 2]));
    let subscribe = |i: usize| {
        let runs = Rc::clone(&runs);
        manager.add_handler(move || {
            let mut r = runs.get();
            r[i] += 1;
            runs.set(r);
        })
    };
    let (first, second) = (subscribe(0), subscribe(1));
    assert_eq!(manager.call_handlers(), 2);
    drop(first);
    assert_eq!((manager.call_handlers(), manager.held()), (1, 1));
    drop(second);
    assert_eq!((manager.call_handlers(), manager.held()), (0, 0));
    assert_eq!(runs.get(), [1, 2]);
}
