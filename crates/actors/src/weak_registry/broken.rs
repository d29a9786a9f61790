//! A8's broken `SafeManager`: the guide's registry of `WeakHandler`s, which in Rust compiles. This
//! version is problematic: the registry keeps only a weak reference to each handler and nobody
//! keeps a strong one, so every handler is freed as `add_handler` returns and never runs.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use racelab_kit::say;

// ANCHOR: registry
/// `class WeakHandler { weak var handler: (() -> Void)? }`.
pub struct WeakHandler {
    handler: Weak<dyn Fn()>,
}

/// `class SafeManager { private var handlers: [WeakHandler] }`.
#[derive(Default)]
pub struct SafeManager {
    handlers: RefCell<Vec<WeakHandler>>,
}

impl super::Registry for SafeManager {
    type Subscription = ();

    fn add_handler(&self, handler: impl Fn() + 'static) {
        let handler: Rc<dyn Fn()> = Rc::new(handler);
        let weak_handler = WeakHandler {
            handler: Rc::downgrade(&handler),
        };
        self.handlers.borrow_mut().push(weak_handler);
        self.clean_up();
        say!("stores a weak reference to the handler");
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
