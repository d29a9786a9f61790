//! A small actor library: a task that owns its state, a mailbox, replies, and nothing else.
//!
//! Swift's `actor` is a language feature; in Rust an actor is a pattern, and this crate writes it
//! down once so the demos of the actors chapter share it (as the queues chapter shares
//! `racelab-dispatch`). It is the handle/actor split of Alice Ryhl's *Actors with Tokio*:
//!
//! * **The actor** is a value implementing [`Actor`], moved into a tokio task that owns it. Only
//!   that task touches the state, so the state needs no lock — and the task handles **one message
//!   at a time**: while [`Actor::handle`] awaits, the next message waits in the mailbox
//!   (non-reentrant, unlike Swift's actors; the `actor_basics` demo shows both sides).
//! * **The mailbox** is a bounded `tokio::sync::mpsc` channel ([`MAILBOX`] messages): a sender
//!   that outruns the actor waits instead of growing memory without limit.
//! * **A [`Handle`]** is a cloneable sender. [`Handle::tell`] posts a message; [`Handle::ask`]
//!   posts one carrying a [`Reply`] (a `oneshot` sender) and awaits the answer.
//! * **The actor ends when the last `Handle` drops**: the mailbox closes, `recv` returns `None`,
//!   the loop ends, and [`spawn`]'s `JoinHandle` returns the actor's final state. An actor that
//!   keeps a *strong* handle to itself never ends (the `actor_self_reference_leak` demo); it keeps
//!   a [`WeakHandle`] instead — every handler is given one ([`Actor::handle`]'s `me`).
//!
//! What a professional reaches for instead, and when (each shown in the chapter):
//!
//! | need | reach for |
//! |---|---|
//! | shared state touched briefly, never across an `.await` | `std::sync::Mutex` (or parking_lot) |
//! | state held across an `.await` by one task at a time | `tokio::sync::Mutex` (mind futurelock) |
//! | one owner serialising requests that may do I/O | an actor: this crate, or `actix`/`ractor` for supervision trees |
//! | publish the latest value to many readers | `tokio::sync::watch` |
//! | stop a tree of tasks | `tokio_util::sync::CancellationToken` |
//! | fan out N requests, keep input order, bound concurrency | `futures_util::StreamExt::buffered(n)` |
//! | fan out and take results as they finish; abort all on drop | `tokio::task::JoinSet` |
//!
//! The crate is deliberately small (no supervision, no restart, no typed protocol machinery): it
//! is what the demos need and what a reader can hold in their head.

use std::fmt;
use std::future::Future;

use racelab_kit::rt;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// How many messages a mailbox holds before [`Handle::tell`] waits.
pub const MAILBOX: usize = 32;

/// A value that lives in its own task and is changed only by the messages it is sent.
pub trait Actor: Send + Sized + 'static {
    /// What the actor can be sent.
    type Message: Send + 'static;

    /// Handles one message. The next message waits until this future finishes; `me` lets the
    /// actor send to itself without keeping itself alive. A handler sends to itself with
    /// [`Handle::try_tell`] (or from a spawned task), never by awaiting [`Handle::tell`]: with the
    /// mailbox full, it would wait for space only it can free.
    fn handle(
        &mut self,
        message: Self::Message,
        me: &WeakHandle<Self>,
    ) -> impl Future<Output = ()> + Send;
}

/// The sending half of [`Handle::ask`]: the actor answers with `reply.send(value)`.
pub type Reply<T> = oneshot::Sender<T>;

// ANCHOR: spawn
/// Starts `actor` in a task named `name` (its narration's lane). Returns the first handle, and the
/// task, which ends — returning the actor's final state — when the last handle is dropped.
pub fn spawn<A: Actor>(name: &str, mut actor: A) -> (Handle<A>, JoinHandle<A>) {
    let (sender, mut mailbox) = mpsc::channel(MAILBOX);
    let me = WeakHandle {
        sender: mpsc::Sender::downgrade(&sender),
    };
    let task = rt::spawn(name, async move {
        while let Some(message) = mailbox.recv().await {
            actor.handle(message, &me).await;
        }
        actor
    });
    (Handle { sender }, task)
}
// ANCHOR_END: spawn

/// A way to reach an actor. Cloning makes another; the actor ends when the last one drops.
pub struct Handle<A: Actor> {
    sender: mpsc::Sender<A::Message>,
}

impl<A: Actor> Clone for Handle<A> {
    fn clone(&self) -> Self {
        Handle {
            sender: self.sender.clone(),
        }
    }
}

impl<A: Actor> fmt::Debug for Handle<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("closed", &self.sender.is_closed())
            .finish()
    }
}

impl<A: Actor> Handle<A> {
    /// Posts `message` (waiting while the mailbox is full) without waiting for it to be handled.
    pub async fn tell(&self, message: A::Message) -> Result<(), Gone> {
        self.sender.send(message).await.map_err(|_| Gone)
    }

    // ANCHOR: ask
    /// Posts `message` if the mailbox has room, without waiting: `Err(Full(message))` if it has
    /// none, `Err(Gone)` if the actor has stopped. What a handler uses to send to its own actor.
    pub fn try_tell(&self, message: A::Message) -> Result<(), TryTellError<A::Message>> {
        self.sender.try_send(message).map_err(|e| match e {
            mpsc::error::TrySendError::Full(message) => TryTellError::Full(message),
            mpsc::error::TrySendError::Closed(_) => TryTellError::Gone,
        })
    }

    /// Posts the message `ask` builds around a [`Reply`], and waits for the answer.
    pub async fn ask<T>(&self, ask: impl FnOnce(Reply<T>) -> A::Message) -> Result<T, Gone> {
        let (reply, answer) = oneshot::channel();
        self.tell(ask(reply)).await?;
        answer.await.map_err(|_| Gone)
    }
    // ANCHOR_END: ask

    /// A handle that does not keep the actor alive.
    pub fn downgrade(&self) -> WeakHandle<A> {
        WeakHandle {
            sender: self.sender.downgrade(),
        }
    }
}

/// A handle that does not keep its actor alive: [`upgrade`](Self::upgrade) it to send.
pub struct WeakHandle<A: Actor> {
    sender: mpsc::WeakSender<A::Message>,
}

impl<A: Actor> Clone for WeakHandle<A> {
    fn clone(&self) -> Self {
        WeakHandle {
            sender: self.sender.clone(),
        }
    }
}

impl<A: Actor> fmt::Debug for WeakHandle<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WeakHandle")
    }
}

impl<A: Actor> WeakHandle<A> {
    /// A strong handle, if any strong handle still exists — so the actor is still running, or
    /// its task has died and the next send says [`Gone`].
    pub fn upgrade(&self) -> Option<Handle<A>> {
        self.sender.upgrade().map(|sender| Handle { sender })
    }
}

/// Why [`Handle::try_tell`] did not post its message.
#[derive(Debug, PartialEq, Eq)]
pub enum TryTellError<M> {
    /// The mailbox is full; the message is handed back.
    Full(M),
    /// The actor has stopped.
    Gone,
}

/// The actor has stopped (every handle was dropped, or its task ended), or it dropped the reply
/// without answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gone;

impl fmt::Display for Gone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the actor is gone: it stopped, or dropped the reply without answering")
    }
}

impl std::error::Error for Gone {}
