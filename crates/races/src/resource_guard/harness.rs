//! R13's plumbing, not the lesson: the adapters from each twin to the checks' [`Devices`], the
//! list of checks, and running one on a fresh single-threaded runtime.
//!
//! The adapters are hand-written because the twins' APIs really differ: the broken pool hands out
//! a `bool` keyed by a task id and must be initialised by hand, and `start_camera_session` returns
//! a `bool`; the fixed pool hands out a guard that is the device, and the session owns it.

use std::collections::BTreeSet;
use std::future::Future;

use racelab_kit::demo::Variant;
use racelab_kit::rt;
use racelab_kit::trace::{Trace, traced};

use super::{
    CameraError, Devices, Outcome, Resource, broken, first_session, fixed, one_task_two_devices,
    second_session_while_first_runs, waiters_in_order,
};

impl Devices for broken::CameraManager {
    type Session = bool;
    type Held = ();
    fn as_written() -> Self {
        broken::CameraManager::new()
    }
    fn ready() -> Self {
        let manager = broken::CameraManager::new();
        manager.resource_manager.initialize_resources(); // the call the guide never makes
        manager
    }
    fn start_camera_session(&self) -> impl Future<Output = Result<bool, CameraError>> + Send {
        broken::CameraManager::start_camera_session(self)
    }
    async fn take(&self, task: &str, kind: Resource) -> Option<()> {
        let granted = self.resource_manager.request_resource(kind, task).await;
        granted.then_some(())
    }
    fn give_back(&self, task: &str, _held: Vec<()>) {
        // The guide's API releases by task, once: whatever is recorded for the task comes back.
        self.resource_manager.release_resource(task);
    }
    fn available_resources(&self) -> BTreeSet<Resource> {
        self.resource_manager.available_resources()
    }
}

impl Devices for fixed::CameraManager {
    type Session = fixed::CameraSession;
    type Held = fixed::ResourceGuard;
    fn as_written() -> Self {
        fixed::CameraManager::new()
    }
    fn ready() -> Self {
        fixed::CameraManager::new()
    }
    fn start_camera_session(
        &self,
    ) -> impl Future<Output = Result<fixed::CameraSession, CameraError>> + Send {
        fixed::CameraManager::start_camera_session(self)
    }
    async fn take(&self, _task: &str, kind: Resource) -> Option<fixed::ResourceGuard> {
        Some(self.resource_manager.acquire(kind).await)
    }
    fn give_back(&self, _task: &str, held: Vec<fixed::ResourceGuard>) {
        drop(held); // each guard returns its device
    }
    fn available_resources(&self) -> BTreeSet<Resource> {
        self.resource_manager.available_resources()
    }
}

/// The four checks, in the order the demo and the book tell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// [`first_session`].
    FirstSession,
    /// [`second_session_while_first_runs`].
    SecondSession,
    /// [`one_task_two_devices`].
    TwoDevices,
    /// [`waiters_in_order`].
    WaitersInOrder,
}

impl Check {
    /// All four.
    pub const ALL: [Check; 4] = [
        Check::FirstSession,
        Check::SecondSession,
        Check::TwoDevices,
        Check::WaitersInOrder,
    ];

    /// What it checks, as a heading.
    pub fn title(self) -> &'static str {
        match self {
            Check::FirstSession => "a new CameraManager, as the guide builds it, starts a session",
            Check::SecondSession => "while S1's camera session runs, S2 asks for the camera",
            Check::TwoDevices => "task T takes the camera and the microphone, then gives back all",
            Check::WaitersInOrder => "H holds the camera; W1, W2, W3 ask for it in that order",
        }
    }

    /// The bug it catches in the broken twin, in a few words (for verdicts and the tour's table).
    pub fn bug(self) -> &'static str {
        match self {
            Check::FirstSession => "no camera as written",
            Check::SecondSession => "two sessions own one camera",
            Check::TwoDevices => "a task's first device leaks",
            Check::WaitersInOrder => "no way to wait for a busy device",
        }
    }

    async fn on<M: Devices>(self) -> Outcome {
        match self {
            Check::FirstSession => first_session::<M>().await,
            Check::SecondSession => second_session_while_first_runs::<M>().await,
            Check::TwoDevices => one_task_two_devices::<M>().await,
            Check::WaitersInOrder => waiters_in_order::<M>().await,
        }
    }
}

/// Runs one check on one twin, on a fresh `current_thread` runtime, and returns its outcome and
/// what every task said.
pub fn run(check: Check, variant: Variant) -> (Outcome, Trace) {
    traced(|_| match variant {
        Variant::Broken => bounded(check.on::<broken::CameraManager>()),
        Variant::Fixed => bounded(check.on::<fixed::CameraManager>()),
    })
}

/// Runs `future` on the kit's deterministic runtime (`racelab_kit::rt`: one thread, paused
/// clock). A check whose tasks all wait on each other would otherwise block `cargo test` forever;
/// here it is *proven* stuck — no task could run and no timer was due — and panics at once with
/// that proof, instead of after a wall-clock timeout.
pub fn bounded<F: Future>(future: F) -> F::Output {
    rt::run(rt::until_stuck(future))
        .unwrap_or_else(|stuck| panic!("the check never finishes: {stuck}"))
}
