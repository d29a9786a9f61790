//! R13, fixed: a device is held by a guard, and the guard lives as long as the session.
//!
//! The same two types as the broken twin, rebuilt around RAII:
//!
//! * `ResourcePool` has one tokio [`Semaphore`] with one permit per device, all created in `new`
//!   — a pool is never "not yet initialised".
//! * `acquire(kind)` waits for the device and returns a [`ResourceGuard`] holding an
//!   [`OwnedSemaphorePermit`]; dropping the guard — however the holder ends: return, `?`, panic,
//!   cancellation — gives the device back. No task-id map, so nothing can be overwritten: a task
//!   holding three devices holds three guards, and drops all three.
//! * `CameraSession` owns the camera's guard, so the camera is busy exactly as long as the session
//!   exists; `start_camera_session` hands the session to its caller instead of releasing on return.
//!
//! Why a tokio semaphore. It is fair: waiters get permits in the order they asked (FIFO), and a
//! late `try_acquire` cannot jump the queue, because a released permit goes straight to the first
//! waiter. Waiting is `async`, so a task waiting for the camera parks without blocking a runtime
//! thread — the guide's API is `async` for the same reason. The *owned* permit (`acquire_owned`
//! on an `Arc<Semaphore>`) borrows nothing, so the guard can move into a session, into another
//! task, or out of the function that took it. A synchronous pool (`Mutex<set>` + `Condvar`)
//! would also be correct for `try_acquire`, but its waiters wake in no promised order and a
//! waiting caller blocks its thread. The devices are simulated, as in the broken twin.

use std::collections::BTreeSet;
use std::sync::Arc;

use racelab_kit::say;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError};

use super::{CameraError, Resource};

// ANCHOR: pool
/// One semaphore per device, each with one permit: the device is free when the permit is.
#[derive(Debug)]
pub struct ResourcePool {
    devices: [Arc<Semaphore>; Resource::ALL.len()],
}

/// A device, held. Dropping it gives the device back to the pool.
#[derive(Debug)]
#[must_use = "the device goes back to the pool when the guard is dropped"]
pub struct ResourceGuard {
    kind: Resource,
    _permit: OwnedSemaphorePermit, // returned to the semaphore when the guard drops
}

impl ResourcePool {
    /// Every device available from the start: there is no separate `initialize` to forget.
    pub fn new() -> Self {
        ResourcePool {
            devices: Resource::ALL.map(|_| Arc::new(Semaphore::new(1))),
        }
    }

    /// Waits until `kind` is free, then holds it. Waiters are served in the order they asked.
    pub async fn acquire(&self, kind: Resource) -> ResourceGuard {
        let device = self.device(kind).clone();
        let permit = match device.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                say!("waits for the {kind}");
                let permit = device.acquire_owned().await; // joins the queue, FIFO
                permit.expect("the pool never closes its semaphores")
            }
        };
        say!("takes the {kind}");
        ResourceGuard {
            kind,
            _permit: permit,
        }
    }

    /// Holds `kind` if it is free right now; never waits.
    pub fn try_acquire(&self, kind: Resource) -> Result<ResourceGuard, CameraError> {
        match self.device(kind).clone().try_acquire_owned() {
            Ok(permit) => {
                say!("takes the {kind}");
                Ok(ResourceGuard {
                    kind,
                    _permit: permit,
                })
            }
            Err(TryAcquireError::NoPermits) => {
                say!("asks for the {kind}: busy");
                Err(CameraError::ResourceUnavailable)
            }
            Err(TryAcquireError::Closed) => unreachable!("the pool never closes its semaphores"),
        }
    }

    /// The devices free right now.
    pub fn available_resources(&self) -> BTreeSet<Resource> {
        Resource::ALL
            .into_iter()
            .filter(|&kind| self.device(kind).available_permits() > 0)
            .collect()
    }

    fn device(&self, kind: Resource) -> &Arc<Semaphore> {
        &self.devices[kind as usize]
    }
}

impl Drop for ResourceGuard {
    fn drop(&mut self) {
        // Said before the permit (a field) is released, so the next holder's "takes" comes after.
        say!("returns the {}", self.kind);
    }
}
// ANCHOR_END: pool

impl Default for ResourcePool {
    fn default() -> Self {
        Self::new()
    }
}

// ANCHOR: camera
/// The guide's `CameraManager`.
#[derive(Debug, Default)]
pub struct CameraManager {
    /// The pool, built with every device available.
    pub resource_manager: ResourcePool,
}

/// A running camera session. It owns the camera; dropping it ends the session and frees the camera.
#[derive(Debug)]
pub struct CameraSession {
    _camera: ResourceGuard,
}

impl CameraManager {
    /// A manager with a full pool.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the camera, initialises it, and hands back the session that holds it.
    pub async fn start_camera_session(&self) -> Result<CameraSession, CameraError> {
        // ANCHOR: key
        let camera = self.resource_manager.try_acquire(Resource::Camera)?;

        // No `defer`: the guard moves into the session and lives as long as the session does.
        if self.initialize_camera().await {
            Ok(CameraSession { _camera: camera })
        } else {
            Err(CameraError::InitializationFailed) // `camera` drops here: back to the pool
        }
        // ANCHOR_END: key
    }

    async fn initialize_camera(&self) -> bool {
        say!("initializes the camera (simulated)");
        true
    }
}
// ANCHOR_END: camera
