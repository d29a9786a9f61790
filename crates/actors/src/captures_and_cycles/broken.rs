//! A7's broken `RetainCycleExample`: the guide's stored completion handler, whose closure captures
//! `self` strongly. This version is problematic: the object owns the closure and the closure owns
//! the object — a cycle of `Rc`s, so neither is ever dropped.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use racelab_kit::say;

// ANCHOR: example
/// `class RetainCycleExample { var completionHandler: (() -> Void)? }`.
pub struct RetainCycleExample {
    completion_handler: RefCell<Option<Box<dyn Fn()>>>,
    dropped: Rc<Cell<bool>>,
}

impl super::Example for RetainCycleExample {
    fn new(dropped: Rc<Cell<bool>>) -> Rc<Self> {
        Rc::new(RetainCycleExample {
            completion_handler: RefCell::new(None),
            dropped,
        })
    }

    /// `completionHandler = { self.doSomething() }`.
    fn setup_handler(self: &Rc<Self>) {
        let this = Rc::clone(self);
        *self.completion_handler.borrow_mut() = Some(Box::new(move || {
            this.do_something();
        }));
    }

    fn call_handler(&self) {
        if let Some(handler) = &*self.completion_handler.borrow() {
            handler();
        }
    }
}
// ANCHOR_END: example

impl RetainCycleExample {
    fn do_something(&self) {
        say!("does something");
    }
}

impl Drop for RetainCycleExample {
    fn drop(&mut self) {
        self.dropped.set(true);
        say!("RetainCycleExample is dropped");
    }
}
