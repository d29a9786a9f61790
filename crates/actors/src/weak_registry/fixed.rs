//! A8's fixed `SafeManager`: the same registry of weak handlers, and `add_handler` gives the
//! caller the one strong reference — a [`Subscription`]. The handler runs while the subscription
//! lives; dropping it frees the handler, which unregisters it.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use racelab_kit::say;

// ANCHOR: registry
/// `class WeakHandler { weak var handler: (() -> Void)? }`.
pub struct WeakHandler {
    handler: Weak<dyn Fn()>,
}

/// What `add_handler` returns: the handler's owner. Keep it while you want the handler called;
/// drop it to unregister.
#[must_use = "dropping the subscription unregisters the handler at once"]
pub struct Subscription {
    _handler: Rc<dyn Fn()>,
}

/// `class SafeManager { private var handlers: [WeakHandler] }`.
#[derive(Default)]
pub struct SafeManager {
    handlers: RefCell<Vec<WeakHandler>>,
}

impl super::Registry for SafeManager {
    type Subscription = Subscription; // the caller gets something back: the handler's owner

    fn add_handler(&self, handler: impl Fn() + 'static) -> Subscription {
        let handler: Rc<dyn Fn()> = Rc::new(handler);
        let weak_handler = WeakHandler {
            handler: Rc::downgrade(&handler),
        };
        self.handlers.borrow_mut().push(weak_handler);
        self.clean_up();
        say!("stores a weak reference to the handler");
        Subscription { _handler: handler } // the subscriber owns the handler; the registry only watches it
    }

    fn call_handlers(&self) -> usize {
        self.clean_up();
        let live: Vec<Rc<dyn Fn()>> = self
            .handlers
            .borrow()
            .iter()
            .filter_map(|h| h.handler.upgrade())
            .collect();
        for handler in &live {
            handler();
        }
        live.len()
    }

    fn held(&self) -> usize {
        self.clean_up();
        self.handlers.borrow().len()
    }
}

impl SafeManager {
    /// `handlers = handlers.filter { $0.handler != nil }`.
    fn clean_up(&self) {
        self.handlers
            .borrow_mut()
            .retain(|h| h.handler.strong_count() > 0);
    }
}
// ANCHOR_END: registry
