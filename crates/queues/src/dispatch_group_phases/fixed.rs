//! Q13, fixed: a `DispatchGroup` per phase per run.
//!
//! One change, on the lines it fixes: the stored `group` goes, and each phase makes its own, `let
//! group = DispatchGroup::new()` — so a `notify` counts only the tasks it was registered for,
//! whatever other runs are doing. Phase 3 still runs on the concurrent queue here: making it
//! really sequential is the second lesson, in [`sequential`](super::sequential).

use std::sync::Arc;

use racelab_kit::say;

use racelab_dispatch::group::{Dispatch, DispatchGroup};
use racelab_dispatch::serial_queue::SerialQueue;

use super::{Counted, Env, Script, WorkQueue};

// ANCHOR: manager
/// The guide's `ComplexTaskManager`, with a group per phase per run.
pub struct ComplexTaskManager {
    queue: Counted<WorkQueue>,
    main: Counted<SerialQueue>,
    script: Arc<Script>,
}

impl ComplexTaskManager {
    /// Phase 1: three data tasks in parallel; phase 2 when they are done.
    pub fn perform_complex_workflow(self: &Arc<Self>, run: &str) {
        let group = DispatchGroup::new(); // this phase of this run only
        for task in ["task1", "task2", "task3"] {
            group.enter();
            let (this, run, group) = (self.clone(), run.to_string(), group.clone());
            self.queue.dispatch_async(move || {
                this.script.perform_data_task(&run, task);
                group.leave();
            });
        }
        let (this, run) = (self.clone(), run.to_string());
        group.notify_on(&self.main, move || this.start_processing_phase(&run));
    }

    fn start_processing_phase(self: &Arc<Self>, run: &str) {
        say!("{run}: all data tasks completed, starting processing phase");
        self.script.phase_2_started(run);
        // Phase 3: Sequential processing tasks
        let group = DispatchGroup::new(); // this phase of this run only
        for task in ["process1", "process2", "process3"] {
            group.enter();
            let (this, run, group) = (self.clone(), run.to_string(), group.clone());
            self.queue.dispatch_async(move || {
                this.script.perform_processing_task(&run, task);
                group.leave();
            });
        }
        let run = run.to_string();
        group.notify_on(&self.main, move || {
            say!("{run}: all phases completed successfully!")
        });
    }
}
// ANCHOR_END: manager

impl super::Workflow for ComplexTaskManager {
    fn new(env: &Env) -> Arc<Self> {
        Arc::new(ComplexTaskManager {
            queue: env.counted(super::concurrent_queue("complex.tasks")),
            main: env.main_queue(),
            script: env.script.clone(),
        })
    }
    fn perform_complex_workflow(self: &Arc<Self>, run: &str) {
        ComplexTaskManager::perform_complex_workflow(self, run)
    }
    fn processing_width(&self) -> usize {
        self.queue.width()
    }
}
