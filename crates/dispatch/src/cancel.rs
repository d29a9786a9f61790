//! `CancelToken`: a cancellation flag that can be shared, asked, and told to call back — what an
//! [`OperationGraph`](crate::operation::OperationGraph) hands each operation, and what a blocked
//! operation (a download waiting on a server) registers a callback with, so cancelling it wakes it.
//!
//! In a file of its own because it is a tool of its own: the graph uses it, but so can any code
//! that runs work on plain threads and needs "stop, and tell me when you are told to". Cooperative,
//! like `Operation.cancel()`: nothing is interrupted; the work asks ([`CancelToken::is_cancelled`])
//! or is called back ([`CancelToken::on_cancel`]). In async code the professional tool is
//! `tokio_util::sync::CancellationToken` (with `child_token()`), shown in demo Q2's `with_tokio`.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;

type Hook = Box<dyn FnOnce() + Send>;

/// A cancellation flag that can be shared, asked, and told to call back. Cloning shares it.
#[derive(Clone)]
pub struct CancelToken {
    inner: Arc<TokenInner>,
}

struct TokenInner {
    name: String,
    state: Mutex<TokenState>,
}

#[derive(Default)]
struct TokenState {
    cancelled: bool,
    hooks: Vec<Hook>,
}

impl fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelToken")
            .field("operation", &self.inner.name)
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl CancelToken {
    /// A token for the operation called `name`.
    pub fn new(name: &str) -> Self {
        CancelToken {
            inner: Arc::new(TokenInner {
                name: name.to_string(),
                state: Mutex::new(TokenState::default()),
            }),
        }
    }

    /// Cancels the operation (once; later calls do nothing) and runs the registered callbacks on
    /// the calling thread.
    pub fn cancel(&self) {
        let hooks = {
            let mut state = self.state();
            if state.cancelled {
                return;
            }
            state.cancelled = true;
            std::mem::take(&mut state.hooks)
        };
        say!("cancels {}", self.inner.name);
        for hook in hooks {
            hook();
        }
    }

    /// Whether [`CancelToken::cancel`] has been called.
    pub fn is_cancelled(&self) -> bool {
        self.state().cancelled
    }

    /// Registers `hook` to run when the token is cancelled — at once, here, if it already is.
    pub fn on_cancel(&self, hook: impl FnOnce() + Send + 'static) {
        let mut state = self.state();
        if state.cancelled {
            drop(state);
            hook();
        } else {
            state.hooks.push(Box::new(hook));
        }
    }

    fn state(&self) -> MutexGuard<'_, TokenState> {
        lock_unpoisoned(&self.inner.state)
    }
}
