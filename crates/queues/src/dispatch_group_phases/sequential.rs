//! Q13, the second lesson: the fixed manager, with a serial queue for the sequential phase.
//!
//! [`fixed`](super::fixed) gives each phase of each run its own group; its phase 3, "Sequential
//! processing tasks", still goes to the concurrent queue, where its tasks run side by side. Here
//! the phase-3 tasks go to a serial queue, so they really run one after another — the lines that
//! differ from `fixed.rs` are marked. (A serial queue per manager: the sequential tasks of two runs
//! also take turns. A queue per run would let two runs overlap while each stays sequential.)

use std::sync::Arc;

use racelab_kit::say;

use racelab_dispatch::group::{Dispatch, DispatchGroup};
use racelab_dispatch::serial_queue::SerialQueue;

use super::{Counted, Env, Script, WorkQueue};

// ANCHOR: manager
/// The guide's `ComplexTaskManager`, with a group per phase per run and a sequential phase 3.
pub struct ComplexTaskManager {
    queue: Counted<WorkQueue>,
    sequential: Counted<SerialQueue>, // phase 3 is sequential: a serial queue
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
            // phase 3's tasks go to the serial queue: one at a time
            self.sequential.dispatch_async(move || {
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
            sequential: env.counted(SerialQueue::new("complex.sequential")), // phase 3's own queue
            main: env.main_queue(),
            script: env.script.clone(),
        })
    }
    fn perform_complex_workflow(self: &Arc<Self>, run: &str) {
        ComplexTaskManager::perform_complex_workflow(self, run)
    }
    fn processing_width(&self) -> usize {
        self.sequential.width() // one
    }
}
