//! R13, broken: the guide's `HardwareResourceManager` and `CameraManager` (L5290–5376).
//!
//! This version is problematic.
//!
//! Ported as literally as Rust allows; the devices are simulated (nothing is opened, and the
//! guide's one-second `Thread.sleep` in `initializeCamera` is left out). The serial
//! `resourceQueue` becomes a `Mutex` — the same exclusion, minus the hop to another thread — and
//! the guide's `UUID` task ids become `task-1`, `task-2`, … so the narration is the same on every
//! run. What goes wrong, each caught by a check in [`super`]:
//!
//! 1. `available_resources` starts empty (L5294) and only `initialize_resources` (L5333) fills it;
//!    nothing in the guide calls it, so `CameraManager` is refused the camera forever.
//! 2. `start_camera_session` releases the camera in a `defer` (L5352–5354), which runs when the
//!    function *returns* — right after initialisation, while the session is supposed to be running.
//!    A second session then gets the same camera.
//! 3. Allocations are keyed by task (L5310): a task's second device overwrites its first in the
//!    map, so `release_resource` returns only the last one and the first never comes back.
//! 4. A busy device is a `false`, at once: nobody can wait for it, only ask again (poll).

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;

use super::{CameraError, Resource};

// ANCHOR: pool
/// The guide's `HardwareResourceManager`: a set of free devices and who has which.
#[derive(Debug, Default)]
pub struct ResourcePool {
    state: Mutex<State>, // the guide's serial `resourceQueue`
}

#[derive(Debug, Default)]
struct State {
    available_resources: BTreeSet<Resource>,
    resource_allocations: HashMap<String, Resource>,
}

impl ResourcePool {
    /// An empty pool, as in the guide: no device is available until `initialize_resources`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives `resource` to `task_id` if it is free; `false` at once if not.
    pub async fn request_resource(&self, resource: Resource, task_id: &str) -> bool {
        let mut state = self.lock();
        if state.available_resources.remove(&resource) {
            state
                .resource_allocations
                .insert(task_id.to_string(), resource); // a second device overwrites the first
            say!("asks for the {resource} as {task_id}: granted");
            true
        } else {
            say!("asks for the {resource} as {task_id}: unavailable");
            false
        }
    }

    /// Puts back the one device recorded for `task_id`.
    pub fn release_resource(&self, task_id: &str) {
        let mut state = self.lock();
        if let Some(resource) = state.resource_allocations.remove(task_id) {
            state.available_resources.insert(resource);
            say!("releases what {task_id} holds: the {resource}");
        }
    }

    /// The devices free right now.
    pub fn available_resources(&self) -> BTreeSet<Resource> {
        self.lock().available_resources.clone()
    }

    /// Makes every device available. The guide defines it and never calls it.
    pub fn initialize_resources(&self) {
        self.lock().available_resources = Resource::ALL.into_iter().collect();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        lock_unpoisoned(&self.state)
    }
}
// ANCHOR_END: pool

// ANCHOR: camera
/// The guide's `CameraManager`.
#[derive(Debug, Default)]
pub struct CameraManager {
    /// The pool, created empty and never initialised — as in the guide.
    pub resource_manager: ResourcePool,
    tasks: AtomicUsize,
}

impl CameraManager {
    /// A manager with the guide's (empty) pool.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the camera, initialises it, and reports whether that worked.
    pub async fn start_camera_session(&self) -> Result<bool, CameraError> {
        let task_id = format!("task-{}", self.tasks.fetch_add(1, Ordering::Relaxed) + 1);

        // ANCHOR: key
        if !self
            .resource_manager
            .request_resource(Resource::Camera, &task_id)
            .await
        {
            return Err(CameraError::ResourceUnavailable);
        }

        // The guide's `defer`: runs when this function returns, not when the session ends.
        let _release = Defer(Some(|| {
            say!("returns from start_camera_session, so its defer runs");
            self.resource_manager.release_resource(&task_id)
        }));

        Ok(self.initialize_camera().await)
        // ANCHOR_END: key
    }

    async fn initialize_camera(&self) -> bool {
        say!("initializes the camera (simulated)");
        true
    }
}
// ANCHOR_END: camera

/// Swift's `defer { … }` in Rust: a value whose drop runs the closure at the end of the scope.
struct Defer<F: FnOnce()>(Option<F>);

impl<F: FnOnce()> Drop for Defer<F> {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            f();
        }
    }
}
