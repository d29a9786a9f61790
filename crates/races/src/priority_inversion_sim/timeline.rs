//! Drawing a simulated run: the timeline (one row per task, one column per tick), its legend, the
//! narration and the response times, as the R9 and R10 demos print them.
//!
//! Kept apart from [`super::sim`] so that the simulator is only the model and the scheduler: it
//! records what each task did in each tick as a [`Cell`], and this file turns those into text.

use std::fmt::Write as _;

use super::sim::{Cell, Run, Task};

/// What the timeline's symbols mean.
pub const LEGEND: &str = "# runs   ^ runs above its own priority   v runs below its own priority\n\
                          x waits for a lock   - ready, not running   . not there";

/// One cell's character in the timeline.
fn symbol(cell: Cell) -> char {
    match cell {
        Cell::Absent => '.',
        Cell::Ready => '-',
        Cell::Blocked => 'x',
        Cell::Running => '#',
        Cell::Raised => '^',
        Cell::Lowered => 'v',
    }
}

impl Run {
    /// The narration: `t=1: H wants L, held by Lo — H blocks`, one line each.
    pub fn narration(&self) -> String {
        let mut out = String::new();
        for (t, text) in &self.log {
            let _ = writeln!(out, "t={t}: {text}");
        }
        out
    }

    /// The timeline, one row per task and one column per tick, with a ruler on top.
    pub fn gantt(&self) -> String {
        let ticks = self.cells.iter().map(Vec::len).max().unwrap_or(0);
        let label = |t: &Task| format!("{} ({})", t.name, t.priority);
        let width = self.tasks.iter().map(|t| label(t).len()).max().unwrap_or(0) + 2;
        let tens: String = (0..ticks)
            .map(|i| match i % 10 {
                0 => char::from_digit((i / 10 % 10) as u32, 10).unwrap_or('?'),
                _ => ' ',
            })
            .collect();
        let units: String = (0..ticks)
            .map(|i| char::from_digit((i % 10) as u32, 10).unwrap_or('?'))
            .collect();
        let mut out = format!("{:width$}{}\n", "", tens.trim_end());
        let _ = writeln!(out, "{:width$}{units}", "tick");
        for (task, row) in self.tasks.iter().zip(&self.cells) {
            let row: String = row.iter().map(|c| symbol(*c)).collect();
            let _ = writeln!(out, "{:width$}{row}", label(task));
        }
        out
    }

    /// One line: every task's response time.
    pub fn responses(&self) -> String {
        let parts: Vec<String> = self
            .tasks
            .iter()
            .map(|t| match self.response(t.name) {
                Some(r) => format!("{} {r}", t.name),
                None => format!("{} never finished", t.name),
            })
            .collect();
        format!(
            "response times (finish - release, in ticks): {}",
            parts.join(", ")
        )
    }
}
