//! Q13, broken: the guide's `ComplexTaskManager` — one `DispatchGroup` for every phase of every
//! call, and "sequential" tasks on a concurrent queue.
//!
//! This version is problematic.
//!
//! Ported line for line from L1071–1127 (`Thread.sleep` becomes the scenario's hold, `print`
//! becomes `say!`; each phase takes a handle to the group, `let group = self.group.clone()`, to
//! move into its closures — Swift's closures capture `self.group` implicitly). The group is a
//! stored property (L1072), so a second call of
//! `performComplexWorkflow` enters the *same* counter: each run's `notify` fires only when the
//! tasks of both runs have left. And phase 3, "Sequential processing tasks" (L1102), goes to the
//! concurrent queue like everything else, so its tasks run side by side.

use std::sync::Arc;

use racelab_kit::say;

use racelab_dispatch::group::{Dispatch, DispatchGroup};
use racelab_dispatch::serial_queue::SerialQueue;

use super::{Counted, Env, Script, WorkQueue};

// ANCHOR: manager
/// The guide's `ComplexTaskManager`.
pub struct ComplexTaskManager {
    group: DispatchGroup, // ONE group, for every phase of every call
    queue: Counted<WorkQueue>,
    main: Counted<SerialQueue>,
    script: Arc<Script>,
}

impl ComplexTaskManager {
    /// Phase 1: three data tasks in parallel; phase 2 when they are done.
    pub fn perform_complex_workflow(self: &Arc<Self>, run: &str) {
        let group = self.group.clone(); // the one stored group
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
        let group = self.group.clone(); // the one stored group, again
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
            group: DispatchGroup::new(),
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
