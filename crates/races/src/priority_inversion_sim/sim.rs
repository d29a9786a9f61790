//! A tiny scheduler simulator: one CPU, fixed priorities, a tick clock, and a pluggable lock
//! protocol. R9 and R10 run the guide's priority examples on it.
//!
//! Why a simulator and not real threads: priority inversion needs a *saturated* CPU and a
//! scheduler that strictly obeys priorities. A CI machine has several cores (so the low-priority
//! task just runs on another one) shared with other jobs, and Linux only schedules by strict
//! priority under `SCHED_FIFO`/`SCHED_RR`, which needs privileges (`CAP_SYS_NICE` or an
//! `RLIMIT_RTPRIO` allowance). A real-thread demo would pass or fail depending on the machine.
//! Here every run of the same task set gives the same timeline, tick for tick.
//!
//! Where to read: [`simulate`] is the main loop; `Sim::pick` is the scheduler; `Sim::lock` and
//! `Sim::unlock` are the locks; the rest is bookkeeping. A [`Run`] records one [`Cell`] per task
//! and tick; drawing those as a timeline is [`super::timeline`]'s job.
//!
//! The model, all of it:
//!
//! * A [`Task`] has a name, a priority (bigger = more urgent), a release time, and a script of
//!   [`Step`]s: `Compute(n)` uses the CPU for `n` ticks; `Lock(l)` and `Unlock(l)` take no time but
//!   need the CPU (a task does them when the scheduler picks it).
//! * Every tick the CPU goes to the ready task with the highest priority *as the lock protocol
//!   says* ([`LockProtocol::priority`]). Equal priorities never preempt each other: the task that
//!   ran most recently goes first, then the one listed first.
//! * `Lock` of a free lock takes it. `Lock` of a held lock blocks the task; it joins the lock's
//!   waiting list. `Unlock` hands the lock straight to the highest-priority waiter (first come,
//!   first served among equals), then calls [`LockProtocol::after_unlock`].
//! * A task's response time is its finish time minus its release time.
//!
//! Protocols are small: [`LockProtocol`] has two methods, both with defaults. The ones R9 and R10
//! compare live in their `broken.rs` and `fixed.rs`.

use std::collections::BTreeMap;

/// A priority: bigger is more urgent.
pub type Prio = u8;
/// A task, by its index in the task list.
pub type TaskId = usize;
/// A lock, by name: `"L"`.
pub type LockId = &'static str;

/// One step of a task's script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Use the CPU for this many ticks.
    Compute(u32),
    /// Take this lock, or block until it is handed over.
    Lock(LockId),
    /// Release this lock (hand it to the highest-priority waiter, if any).
    Unlock(LockId),
}

/// A task: who, how urgent, when it arrives, and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// A short name for the timeline: `H`, `M`, `Lo`.
    pub name: &'static str,
    /// Its priority when it is released.
    pub priority: Prio,
    /// The tick it becomes ready.
    pub release: u32,
    /// What it does, in order.
    pub script: Vec<Step>,
}

/// Builds a [`Task`].
pub fn task(name: &'static str, priority: Prio, release: u32, script: &[Step]) -> Task {
    Task {
        name,
        priority,
        release,
        script: script.to_vec(),
    }
}

impl Task {
    /// One line: `H (priority 3), released at t=1: lock L, compute 2, unlock L`.
    pub fn describe(&self) -> String {
        let steps: Vec<String> = self
            .script
            .iter()
            .map(|step| match step {
                Step::Compute(n) => format!("compute {n}"),
                Step::Lock(l) => format!("lock {l}"),
                Step::Unlock(l) => format!("unlock {l}"),
            })
            .collect();
        format!(
            "{} (priority {}), released at t={}: {}",
            self.name,
            self.priority,
            self.release,
            steps.join(", ")
        )
    }

    /// Its own work: all its `Compute` ticks.
    pub fn work(&self) -> u32 {
        self.script
            .iter()
            .map(|s| match s {
                Step::Compute(n) => *n,
                _ => 0,
            })
            .sum()
    }

    /// Its critical sections: for each `Lock(l)` … `Unlock(l)`, the lock and the ticks computed
    /// while holding it.
    pub fn critical_sections(&self) -> Vec<(LockId, u32)> {
        let mut open: Vec<(LockId, u32)> = Vec::new();
        let mut done = Vec::new();
        for step in &self.script {
            match *step {
                Step::Lock(l) => open.push((l, 0)),
                Step::Compute(n) => open.iter_mut().for_each(|(_, ticks)| *ticks += n),
                Step::Unlock(l) => {
                    if let Some(at) = open.iter().position(|&(held, _)| held == l) {
                        done.push(open.remove(at));
                    }
                }
            }
        }
        done
    }
}

// ANCHOR: protocol
/// A lock protocol: how holding and waiting for locks changes priorities.
pub trait LockProtocol {
    /// How the protocol is called in headings: `priority inheritance`.
    fn name(&self) -> &'static str;

    /// The priority the scheduler gives `task` right now. By default, the task's own.
    fn priority(&self, world: &World, task: TaskId) -> Prio {
        world.own_priority(task)
    }

    /// Runs as part of `unlocker`'s `Unlock(lock)`, after the lock was handed to the next waiter.
    /// `waiting` is the lock's waiting list as it was just before the hand-over (so it still
    /// includes the task that was handed the lock). By default, nothing.
    fn after_unlock(&self, world: &mut World, unlocker: TaskId, lock: LockId, waiting: &[TaskId]) {
        let _ = (world, unlocker, lock, waiting);
    }
}
// ANCHOR_END: protocol

/// What a protocol may see and change: priorities, who holds what, who waits for what.
#[derive(Debug)]
pub struct World {
    tasks: Vec<Task>,
    own: Vec<Prio>,
    holder: BTreeMap<LockId, TaskId>,
    waiters: BTreeMap<LockId, Vec<TaskId>>,
    notes: Vec<String>,
}

impl World {
    /// Adds a line to the narration, at the current tick.
    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    /// The task's name.
    pub fn name(&self, task: TaskId) -> &'static str {
        self.tasks[task].name
    }

    /// The task's own priority: the one it was released with, unless a protocol changed it.
    pub fn own_priority(&self, task: TaskId) -> Prio {
        self.own[task]
    }

    /// Changes the task's own priority for good (only the guide's "inheritance" does this).
    pub fn set_own_priority(&mut self, task: TaskId, priority: Prio) {
        self.own[task] = priority;
    }

    /// The locks `task` holds.
    pub fn held_by(&self, task: TaskId) -> impl Iterator<Item = LockId> + '_ {
        self.holder
            .iter()
            .filter(move |&(_, &owner)| owner == task)
            .map(|(&lock, _)| lock)
    }

    /// The tasks blocked on `lock`, in the order they came.
    pub fn waiters(&self, lock: LockId) -> &[TaskId] {
        self.waiters.get(lock).map_or(&[], Vec::as_slice)
    }

    /// The lock's priority ceiling: the highest priority of any task whose script takes it.
    pub fn ceiling(&self, lock: LockId) -> Prio {
        self.tasks
            .iter()
            .filter(|t| t.script.contains(&Step::Lock(lock)))
            .map(|t| t.priority)
            .max()
            .unwrap_or(0)
    }

    /// How many tasks there are (a protocol that follows chains of waiters uses it as a limit).
    pub fn task_count(&self) -> usize {
        self.tasks.len()
    }
}

/// What a task was doing during one tick: one character of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Not released yet, or finished: `.`
    Absent,
    /// Ready, but another task has the CPU: `-`
    Ready,
    /// Blocked, waiting for a lock: `x`
    Blocked,
    /// Running at its original priority: `#`
    Running,
    /// Running at a priority above its original one (borrowed from a waiter, or a ceiling): `^`
    Raised,
    /// Running at a priority below its original one: `v`
    Lowered,
}

/// A finished simulation: the timeline, the narration, and when each task finished.
#[derive(Debug, Clone)]
pub struct Run {
    /// The task set, as given.
    pub tasks: Vec<Task>,
    /// `cells[task][tick]`.
    pub cells: Vec<Vec<Cell>>,
    /// `(tick, what happened)`, in order.
    pub log: Vec<(u32, String)>,
    /// The tick each task finished, if it did.
    pub finish: Vec<Option<u32>>,
    /// Whether the run stopped because every task left was blocked.
    pub deadlock: bool,
}

impl Run {
    fn id(&self, name: &str) -> TaskId {
        self.tasks
            .iter()
            .position(|t| t.name == name)
            .unwrap_or_else(|| panic!("no task called {name}"))
    }

    /// Finish minus release, in ticks (`None` if it never finished).
    pub fn response(&self, name: &str) -> Option<u32> {
        let id = self.id(name);
        self.finish[id].map(|f| f - self.tasks[id].release)
    }
}

/// Where one task is in its script.
#[derive(Debug, Clone, Default)]
struct Progress {
    /// The index of the step it is on.
    pc: usize,
    /// Ticks left of the current `Compute` step (set when the step starts).
    left: Option<u32>,
    /// The lock it is blocked on, if any.
    blocked_on: Option<LockId>,
    /// The tick it finished.
    finished: Option<u32>,
    /// The last tick it computed: equal priorities go to the task that ran most recently.
    last_ran: Option<u32>,
}

// ANCHOR: simulate
/// Runs `tasks` on one CPU under `protocol` until every task has finished (or all that are left
/// are blocked: a deadlock).
pub fn simulate(tasks: &[Task], protocol: &dyn LockProtocol) -> Run {
    let mut sim = Sim::new(tasks, protocol);
    let mut last_ran = None;
    while !sim.all_done() {
        sim.release_arrivals();
        // Zero-time steps (Lock, Unlock) happen at `t`; then one task computes for the tick
        // [t, t+1), or the CPU idles.
        let ran = sim.run_one_tick();
        if ran.is_none() && sim.all_done() {
            break; // the last task finished with a zero-time step: no tick to draw
        }
        sim.narrate_cpu(last_ran, ran);
        if ran.is_none() && sim.deadlocked() {
            sim.say("deadlock: every task left waits for a lock".to_string());
            sim.run.deadlock = true;
            break;
        }
        sim.draw(ran);
        last_ran = ran;
        sim.t += 1;
    }
    // "Finishes" lines are logged at t+1 while tick t runs: put them in time order.
    sim.run.log.sort_by_key(|&(t, _)| t);
    sim.run.finish = sim.at.iter().map(|p| p.finished).collect();
    sim.run
}
// ANCHOR_END: simulate

/// The simulator's state while it runs.
struct Sim<'a> {
    protocol: &'a dyn LockProtocol,
    /// Tasks, their own priorities, the locks: what the protocol sees.
    world: World,
    /// Where each task is in its script.
    at: Vec<Progress>,
    /// Each task's priority, as the protocol last said (for the scheduler and the narration).
    prio: Vec<Prio>,
    /// What is recorded.
    run: Run,
    /// The clock.
    t: u32,
}

impl<'a> Sim<'a> {
    fn new(tasks: &[Task], protocol: &'a dyn LockProtocol) -> Self {
        let n = tasks.len();
        let world = World {
            own: tasks.iter().map(|t| t.priority).collect(),
            tasks: tasks.to_vec(),
            holder: BTreeMap::new(),
            waiters: BTreeMap::new(),
            notes: Vec::new(),
        };
        let prio = (0..n).map(|i| protocol.priority(&world, i)).collect();
        let run = Run {
            tasks: tasks.to_vec(),
            cells: vec![Vec::new(); n],
            log: Vec::new(),
            finish: vec![None; n],
            deadlock: false,
        };
        Sim {
            protocol,
            world,
            at: vec![Progress::default(); n],
            prio,
            run,
            t: 0,
        }
    }

    fn task(&self, i: TaskId) -> &Task {
        &self.run.tasks[i]
    }

    fn say(&mut self, text: String) {
        self.run.log.push((self.t, text));
    }

    fn all_done(&self) -> bool {
        self.at
            .iter()
            .all(|p| p.finished.is_some_and(|f| f <= self.t))
    }

    /// Released and not finished yet.
    fn present(&self, i: TaskId) -> bool {
        self.task(i).release <= self.t && self.at[i].finished.is_none_or(|f| f > self.t)
    }

    /// Present and not blocked on a lock.
    fn ready(&self, i: TaskId) -> bool {
        self.present(i) && self.at[i].blocked_on.is_none()
    }

    fn release_arrivals(&mut self) {
        for i in 0..self.at.len() {
            if self.task(i).release == self.t {
                let line = format!("{} released (priority {})", self.task(i).name, self.prio[i]);
                self.say(line);
            }
        }
    }

    // ANCHOR: pick
    /// The scheduler: the ready task with the highest priority; among equals, the one that ran
    /// most recently, then the one listed first.
    fn pick(&self) -> Option<TaskId> {
        (0..self.at.len())
            .filter(|&i| self.ready(i))
            .max_by_key(|&i| (self.prio[i], self.at[i].last_ran, std::cmp::Reverse(i)))
    }
    // ANCHOR_END: pick

    /// Lets tasks take zero-time steps until one computes for this tick; returns who computed.
    fn run_one_tick(&mut self) -> Option<TaskId> {
        while let Some(i) = self.pick() {
            let computed = self.step(i);
            if self.at[i].pc == self.task(i).script.len() {
                // The script is done: at the end of this tick if it computed, or right now.
                let at = if computed { self.t + 1 } else { self.t };
                self.at[i].finished = Some(at);
                let line = format!(
                    "{} finishes: response time {}",
                    self.task(i).name,
                    at - self.task(i).release
                );
                self.run.log.push((at, line));
            }
            self.update_priorities();
            if computed {
                return Some(i);
            }
        }
        None
    }

    /// Task `i` takes its current step; returns whether it used the CPU for this tick.
    fn step(&mut self, i: TaskId) -> bool {
        let Some(&step) = self.task(i).script.get(self.at[i].pc) else {
            return false; // an empty script: done as soon as it starts
        };
        match step {
            Step::Compute(ticks) => {
                let left = self.at[i].left.get_or_insert(ticks);
                let computed = *left > 0;
                *left = left.saturating_sub(1);
                if *left == 0 {
                    self.at[i].left = None;
                    self.at[i].pc += 1;
                }
                computed
            }
            Step::Lock(lock) => {
                self.lock(i, lock);
                false
            }
            Step::Unlock(lock) => {
                self.unlock(i, lock);
                false
            }
        }
    }

    // ANCHOR: locks
    /// `Lock(lock)`: take it if it is free, or block and join its waiting list.
    fn lock(&mut self, i: TaskId, lock: LockId) {
        let name = self.task(i).name;
        match self.world.holder.get(lock) {
            None => {
                self.world.holder.insert(lock, i);
                self.at[i].pc += 1;
                self.say(format!("{name} locks {lock}"));
            }
            Some(&owner) => {
                self.world.waiters.entry(lock).or_default().push(i);
                self.at[i].blocked_on = Some(lock);
                let owner = self.task(owner).name;
                self.say(format!(
                    "{name} wants {lock}, held by {owner} — {name} blocks"
                ));
            }
        }
    }

    /// `Unlock(lock)`: hand it to the waiter with the highest priority (first come among
    /// equals), then let the protocol do its part.
    fn unlock(&mut self, i: TaskId, lock: LockId) {
        let name = self.task(i).name;
        let owner = self.world.holder.remove(lock);
        assert_eq!(
            owner,
            Some(i),
            "{name} unlocks {lock}, which it does not hold"
        );
        self.at[i].pc += 1;
        let waiting = self.world.waiters.remove(lock).unwrap_or_default();
        let next = (waiting.iter().copied()).max_by_key(|&w| (self.prio[w], std::cmp::Reverse(w)));
        match next {
            Some(w) => {
                let rest = waiting.iter().copied().filter(|&x| x != w).collect();
                self.world.waiters.insert(lock, rest);
                self.world.holder.insert(lock, w);
                self.at[w].blocked_on = None;
                self.at[w].pc += 1; // its Lock step is done
                let next = self.task(w).name;
                self.say(format!("{name} unlocks {lock}; {next} takes it"));
            }
            None => self.say(format!("{name} unlocks {lock}")),
        }
        self.protocol
            .after_unlock(&mut self.world, i, lock, &waiting);
        for note in std::mem::take(&mut self.world.notes) {
            self.say(note);
        }
    }
    // ANCHOR_END: locks

    /// Asks the protocol for every task's priority, and narrates each change.
    fn update_priorities(&mut self) {
        for k in 0..self.at.len() {
            let now = self.protocol.priority(&self.world, k);
            if now != self.prio[k] && self.present(k) {
                let own = self.world.own_priority(k);
                let why = match now == own {
                    true => "its own".to_string(),
                    false => format!("its own is {own}"),
                };
                let name = self.task(k).name;
                self.say(format!("{name} now runs at priority {now} ({why})"));
            }
            self.prio[k] = now;
        }
    }

    /// Says who has the CPU when that changes, and who arrived but did not get it.
    fn narrate_cpu(&mut self, last: Option<TaskId>, ran: Option<TaskId>) {
        if ran != last {
            let line = match (ran, last) {
                (Some(i), Some(p)) if self.ready(p) => format!(
                    "{} (priority {}) preempts {}",
                    self.task(i).name,
                    self.prio[i],
                    self.task(p).name
                ),
                (Some(i), _) => format!("{} runs", self.task(i).name),
                (None, _) => "the CPU is idle".to_string(),
            };
            self.say(line);
        }
        let Some(r) = ran else { return };
        for k in 0..self.at.len() {
            if self.task(k).release == self.t && k != r && self.ready(k) {
                let line = format!(
                    "{} is ready, but {} (priority {}) keeps the CPU",
                    self.task(k).name,
                    self.task(r).name,
                    self.prio[r]
                );
                self.say(line);
            }
        }
    }

    /// Nobody can run and nobody is still to come, but some task has not finished.
    fn deadlocked(&self) -> bool {
        let to_come = self.run.tasks.iter().any(|k| k.release > self.t);
        !to_come && !self.all_done()
    }

    /// Adds this tick's column to the timeline.
    fn draw(&mut self, ran: Option<TaskId>) {
        for k in 0..self.at.len() {
            let cell = if !self.present(k) {
                Cell::Absent
            } else if ran == Some(k) {
                match self.prio[k].cmp(&self.task(k).priority) {
                    std::cmp::Ordering::Greater => Cell::Raised,
                    std::cmp::Ordering::Less => Cell::Lowered,
                    std::cmp::Ordering::Equal => Cell::Running,
                }
            } else if self.at[k].blocked_on.is_some() {
                Cell::Blocked
            } else {
                Cell::Ready
            };
            self.run.cells[k].push(cell);
        }
        if let Some(i) = ran {
            self.at[i].last_ran = Some(self.t);
        }
    }
}
