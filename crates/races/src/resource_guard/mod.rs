//! R13 `resource_guard` — a device released when `start` returns, while its session still runs.
//!
//! Ports the guide's "Hardware Resource Sharing" (L5290–5376): a pool of exclusive devices
//! (camera, microphone, …) handed to tasks, and a `CameraManager` that takes the camera for a
//! session. The devices are simulated — nothing is opened; the point is who *owns* a device when.
//!
//! The guide's code has four bugs, each caught by one check that both twins run (see the
//! [`broken`] doc for the guide lines):
//!
//! | check | broken | fixed |
//! |---|---|---|
//! | [`first_session`]: a new `CameraManager` can start a session | refused: the pool starts empty and `initializeResources()` is never called | granted |
//! | [`second_session_while_first_runs`]: while S1's session runs, S2 is refused | granted: `defer` gave the camera back when `start` returned | refused, until S1's session ends |
//! | [`one_task_two_devices`]: a task's devices all come back | the camera leaks: a task's second device overwrote its first | both guards drop, both come back |
//! | [`waiters_in_order`]: tasks waiting for a busy camera get it in the order they asked | nobody can wait: a busy device is `false` at once, callers must poll | FIFO, as tokio's semaphore promises |
//!
//! The fix is RAII ([`fixed`]): `ResourcePool::acquire(kind)` returns a `ResourceGuard` whose drop
//! gives the device back, and the `CameraSession` owns the camera's guard, so the camera is busy
//! exactly as long as the session exists.
//!
//! How it stays deterministic: every check runs on a tokio `current_thread` runtime, where one
//! task runs at a time and only gives way at an `.await` that is not ready. In
//! [`waiters_in_order`] each waiter tells `main` "asked" through a oneshot and then awaits the
//! camera; `main` cannot run again until that waiter is parked in the semaphore's queue, so the
//! queue order is W1, W2, W3 by construction — no sleeps, no luck. Each task's narration is
//! signed with its name by [`Signed`].
//!
//! The twins are a **declared rewrite**: a `defer` and a guard owned by the session are different
//! shapes (a semaphore per device instead of a set and a task-id map), not a changed line. The key
//! lines (the book shows them side by side, `// ANCHOR: key`): broken `start_camera_session` takes
//! the camera, then `let _release = Defer(…release_resource…)` and returns
//! `Ok(self.initialize_camera().await)` — the release runs on that return; fixed takes
//! `let camera = self.resource_manager.try_acquire(Resource::Camera)?` and moves it into
//! `CameraSession { _camera: camera }`, so the camera comes back when the session is dropped.
//! Swift's `defer` is hand-written in the broken twin on purpose: it is the lesson.
//!
//! Plumbing: the guide's device and error types are in [`devices`]; the adapters from each
//! twin to [`Devices`], the [`Check`] list and the runtime that runs one are in [`harness`].
//!
//! Not a bug worth a check, but the guide's `DispatchQueue(…, attributes: .serial)` (L5293, L5343)
//! does not compile: `DispatchQueue.Attributes` has no `.serial` — serial is the default.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::{Arc, Mutex};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Signed, as_actor};
use tokio::sync::oneshot;

pub mod broken;
pub mod devices;
pub mod fixed;
pub mod harness;

pub use devices::{CameraError, Resource};
pub use harness::{Check, bounded, run};

/// What the checks need from either twin's `CameraManager`. The twins' APIs really differ (a
/// `bool` or a session, a task id or a guard), so the adapters are hand-written, in [`harness`].
pub trait Devices: Send + Sync + Sized + 'static {
    /// What `start_camera_session` hands back: the guide's `Bool`, or a session that owns the camera.
    type Session: Send;
    /// What a task holds while it uses one device: nothing (broken), or a guard (fixed).
    type Held: Send;
    /// `CameraManager()`, exactly as the guide builds it.
    fn as_written() -> Self;
    /// A manager whose devices are all available. For the broken twin this adds the
    /// `initializeResources()` call the guide forgot, so the later checks can get past bug 1.
    fn ready() -> Self;
    /// `startCameraSession()`.
    fn start_camera_session(
        &self,
    ) -> impl Future<Output = Result<Self::Session, CameraError>> + Send;
    /// `task` asks for `kind`: waits for it if the twin can wait; `None` if it is refused.
    fn take(&self, task: &str, kind: Resource) -> impl Future<Output = Option<Self::Held>> + Send;
    /// `task` is done with everything in `held`.
    fn give_back(&self, task: &str, held: Vec<Self::Held>);
    /// The devices free right now.
    fn available_resources(&self) -> BTreeSet<Resource>;
}

/// A check's verdict: `Err` says what went wrong, in words.
pub type Outcome = Result<(), String>;

/// A new `CameraManager`, as the guide builds it, must be able to start a session.
pub async fn first_session<M: Devices>() -> Outcome {
    let manager = M::as_written();
    match Signed::new("S1", manager.start_camera_session()).await {
        Ok(session) => {
            as_actor("S1", || {
                say!("runs its session, then ends it");
                drop(session);
            });
            Ok(())
        }
        Err(e) if manager.available_resources().is_empty() => Err(format!(
            "S1 was refused the camera ({e}): a new CameraManager has no free device at all"
        )),
        Err(e) => Err(format!("S1 was refused the camera: {e}")),
    }
}

// ANCHOR: sessions
/// While S1's session runs, S2 must be refused the camera; once S1's session ends, S2 gets it.
pub async fn second_session_while_first_runs<M: Devices>() -> Outcome {
    let manager = M::ready();
    let first = Signed::new("S1", manager.start_camera_session()).await;
    let first = first.map_err(|e| format!("S1 could not start: {e}"))?;
    as_actor("S1", || say!("runs its session"));

    let second = Signed::new("S2", manager.start_camera_session()).await;
    if second.is_ok() {
        return Err(
            "S2 got the camera while S1's session runs: two sessions own one camera".into(),
        );
    }

    as_actor("S1", || {
        say!("ends its session");
        drop(first);
    });
    let again = Signed::new("S2", async {
        let session = manager.start_camera_session().await?;
        say!("runs its session, then ends it");
        drop(session);
        Ok::<(), CameraError>(())
    });
    again
        .await
        .map_err(|e| format!("S2 could not start after S1's session ended: {e}"))
}
// ANCHOR_END: sessions

/// A task takes the camera and the microphone, then gives back what it holds: every device must be
/// free again.
pub async fn one_task_two_devices<M: Devices>() -> Outcome {
    let manager = M::ready();
    let task = Signed::new("T", async {
        let camera = manager.take("task-T", Resource::Camera).await;
        let microphone = manager.take("task-T", Resource::Microphone).await;
        let held: Vec<M::Held> = camera.into_iter().chain(microphone).collect();
        if held.len() != 2 {
            return Err("T could not take a free camera and microphone".to_string());
        }
        say!("records a video, then gives back all it holds");
        manager.give_back("task-T", held);
        Ok(())
    });
    task.await?;
    let free = manager.available_resources();
    let lost: Vec<String> = Resource::ALL
        .into_iter()
        .filter(|kind| !free.contains(kind))
        .map(|kind| kind.to_string())
        .collect();
    if lost.is_empty() {
        say!("sees every device free again");
        Ok(())
    } else {
        Err(format!(
            "T gave everything back, yet the {} never returned to the pool",
            lost.join(", ")
        ))
    }
}

// ANCHOR: waiters
/// H holds the camera; W1, W2, W3 ask for it, in that order, and wait. When H lets go they must
/// get it one after another, in the order they asked.
pub async fn waiters_in_order<M: Devices>() -> Outcome {
    let manager = Arc::new(M::ready());
    let held = Signed::new("H", manager.take("task-H", Resource::Camera)).await;
    let held = held.ok_or("H could not take a free camera")?;

    let served = Arc::new(Mutex::new(Vec::new()));
    let mut waiters = Vec::new();
    for name in ["W1", "W2", "W3"] {
        let (asked, has_asked) = oneshot::channel();
        let (manager, served) = (manager.clone(), served.clone());
        waiters.push(tokio::spawn(Signed::new(name, async move {
            let _ = asked.send(());
            let task = format!("task-{name}");
            match manager.take(&task, Resource::Camera).await {
                Some(camera) => {
                    served.lock().unwrap_or_else(|p| p.into_inner()).push(name);
                    say!("uses the camera");
                    manager.give_back(&task, vec![camera]);
                }
                None => say!("is turned away"),
            }
        })));
        // One thread, one task at a time: `main` resumes only once this waiter is parked in `take`.
        has_asked
            .await
            .map_err(|_| format!("{name} ended before asking"))?;
    }

    as_actor("H", || {
        say!("is done with the camera");
        manager.give_back("task-H", vec![held]);
    });
    for waiter in waiters {
        waiter.await.map_err(|e| format!("a waiter failed: {e}"))?;
    }
    let served = served.lock().unwrap_or_else(|p| p.into_inner()).clone();
    match served.as_slice() {
        ["W1", "W2", "W3"] => Ok(()),
        [] => Err(
            "W1, W2 and W3 were turned away at once: nobody can wait for a busy device, \
             only ask again and again (poll)"
                .into(),
        ),
        other => Err(format!("served {other:?}, but they asked W1, W2, W3")),
    }
}
// ANCHOR_END: waiters

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R13",
    name: "resource_guard",
    summary: "a defer frees the camera while its session runs; a guard owned by the session does not",
    run: demo,
};

/// The demo: the four checks, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let mut failures = Vec::new();
    for check in Check::ALL {
        report.heading(check.title());
        let (outcome, trace) = run(check, variant);
        report.trace(&trace);
        match outcome {
            Ok(()) => report.line("=> as it should be."),
            Err(what) => {
                failures.push(check.bug());
                report.line(format!("=> {what}"))
            }
        };
    }
    report.conclude(
        (!failures.is_empty()).then(|| failures.join("; ")),
        "S2 refused while S1's session runs; every device comes back; waiters served in order",
    );
    report
}
