//! A7's fixed `RetainCycleExample` (the guide's `SafeReferenceExample`): the handler captures a
//! `Weak` and upgrades it when it runs, so the object owns the closure but not the other way round.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use racelab_kit::say;

// ANCHOR: example
/// `class SafeReferenceExample { var completionHandler: (() -> Void)? }`.
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

    /// `completionHandler = { [weak self] in guard let self else { return }; self.doSomething() }`.
    fn setup_handler(self: &Rc<Self>) {
        let this = Rc::downgrade(self); // weak: the closure does not keep the object alive
        *self.completion_handler.borrow_mut() = Some(Box::new(move || {
            let Some(this) = this.upgrade() else { return }; // `guard let self`: gone, do nothing
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
