//! The Relaxed message-passing bug: publish `data`, then raise `ready`, both with `Relaxed`.
//!
//! No undefined behaviour — every access is atomic — so Miri's and TSan's race detectors have
//! nothing to report. The bug is in what the memory model *allows*: a `Relaxed` store of `ready`
//! does not carry the earlier store of `data` with it, so a reader may see `ready == true` and
//! still read the old `data`. loom models that and finds it; shuttle treats every atomic as
//! `SeqCst` and cannot; on x86-64 the hardware never reorders these stores (or these loads), so a
//! stress loop there sees nothing either, while an ARM phone may. The fix is `Release` on the
//! `ready` store and `Acquire` on its load (R3 in detail).

use std::sync::Arc;

use racelab_kit::sync::prelude::*;

/// The value the sender publishes.
pub const MESSAGE: usize = 42;

// ANCHOR: message
/// A one-slot mailbox: the data, and a flag that says it is there.
pub struct Mailbox<P: Primitives> {
    data: P::AtomicUsize,
    ready: P::AtomicBool,
}

impl<P: Primitives> Mailbox<P> {
    /// Empty.
    pub fn new() -> Self {
        Mailbox {
            data: P::AtomicUsize::new(0),
            ready: P::AtomicBool::new(false),
        }
    }

    /// Writes the message, then raises the flag with `publish` ordering.
    pub fn send(&self, publish: Ordering) {
        self.data.store(MESSAGE, Ordering::Relaxed);
        self.ready.store(true, publish); // Relaxed: `data` need not be visible when `ready` is
    }

    /// The message if the flag is up (`observe` is the flag load's ordering).
    pub fn try_receive(&self, observe: Ordering) -> Option<usize> {
        self.ready
            .load(observe)
            .then(|| self.data.load(Ordering::Relaxed))
    }
}
// ANCHOR_END: message

impl<P: Primitives> Default for Mailbox<P> {
    fn default() -> Self {
        Self::new()
    }
}

/// The model: a sender and a receiver; whenever the receiver sees the flag up, it must see the
/// message. `spin`: the receiver waits for the flag (real threads) instead of looking once
/// (loom, shuttle: every schedule is tried anyway, and a spin would need a yield).
pub fn message_passing<P: Primitives>(publish: Ordering, observe: Ordering, spin: bool) {
    let mailbox = Arc::new(Mailbox::<P>::new());
    let receiver = {
        let mailbox = mailbox.clone();
        P::spawn("receiver", move || {
            loop {
                match mailbox.try_receive(observe) {
                    Some(data) => {
                        assert!(
                            data == MESSAGE,
                            "stale message: ready was set, but data is {data}"
                        );
                        return;
                    }
                    None if spin => std::hint::spin_loop(),
                    None => return,
                }
            }
        })
    };
    let sender = {
        let mailbox = mailbox.clone();
        P::spawn("sender", move || mailbox.send(publish))
    };
    sender.join();
    receiver.join();
}

/// The bug: both sides `Relaxed`.
pub fn relaxed_message<P: Primitives>(spin: bool) {
    message_passing::<P>(Ordering::Relaxed, Ordering::Relaxed, spin);
}
