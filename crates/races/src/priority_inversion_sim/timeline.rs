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

/// Pixel sizes of the SVG timeline.
const CELL_W: usize = 16;
const CELL_H: usize = 22;
const ROW_GAP: usize = 6;
const CHAR_W: usize = 8;
const PAD: usize = 8;

/// A cell's fill and, where colour alone would not say it, a mark drawn in it (for readers who do
/// not see the colours, and for print).
fn paint(cell: Cell) -> Option<(&'static str, &'static str)> {
    match cell {
        Cell::Absent => None,
        Cell::Ready => Some(("none", "")),
        Cell::Blocked => Some(("#9a9a9a", "x")),
        Cell::Running => Some(("#3b82c4", "")),
        Cell::Raised => Some(("#d99a00", "^")),
        Cell::Lowered => Some(("#c8463d", "v")),
    }
}

impl Run {
    /// The timeline as an SVG Gantt chart, for the book: one row per task, one column per tick,
    /// the same cells as [`Run::gantt`] (drawn from the same `cells`, so the two never disagree).
    ///
    /// Written to read in mdBook's light and dark themes alike: every text and outline is
    /// `currentColor` (the page's text colour, since the SVG is inlined), and the fills are
    /// mid-tones that keep their contrast on a white or a near-black page. Each coloured cell
    /// also carries its timeline symbol (`x`, `^`, `v`), so colour is never the only cue. No blank
    /// line inside, so Markdown keeps it as one HTML block.
    pub fn gantt_svg(&self) -> String {
        let ticks = self.cells.iter().map(Vec::len).max().unwrap_or(0);
        let label = |t: &Task| format!("{} ({})", t.name, t.priority);
        let label_w = self
            .tasks
            .iter()
            .map(|t| label(t).chars().count())
            .max()
            .unwrap_or(0)
            * CHAR_W
            + PAD;
        let top = PAD + 16; // the tick ruler
        let rows_h = self.tasks.len() * (CELL_H + ROW_GAP);
        let legend = [
            (Cell::Running, "runs"),
            (Cell::Raised, "above its priority"),
            (Cell::Lowered, "below its priority"),
            (Cell::Blocked, "waits for a lock"),
            (Cell::Ready, "ready, not running"),
        ];
        let legend_item_w = |text: &str| CELL_W + 2 + text.chars().count() * CHAR_W + 2 * PAD;
        // The legend wraps onto as many rows as the chart's width needs (at least one item a row).
        let grid_w = PAD + label_w + ticks * CELL_W + PAD;
        let width = grid_w.max(
            PAD + legend
                .iter()
                .map(|(_, t)| legend_item_w(t))
                .max()
                .unwrap_or(0),
        );
        let mut legend_rows = vec![Vec::new()];
        let mut row_w = PAD;
        for item in legend {
            let w = legend_item_w(item.1);
            if row_w + w > width && !legend_rows.last().is_some_and(Vec::is_empty) {
                legend_rows.push(Vec::new());
                row_w = PAD;
            }
            legend_rows.last_mut().expect("a row").push(item);
            row_w += w;
        }
        let legend_y = top + rows_h + 14;
        let height = legend_y + legend_rows.len() * 20 + 4;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\" \
             font-family=\"monospace\" font-size=\"12\" fill=\"currentColor\">",
            self.describe_for_screen_readers()
        );
        let x0 = PAD + label_w;
        for tick in (0..ticks).step_by(5) {
            let x = x0 + tick * CELL_W + CELL_W / 2;
            let _ = writeln!(
                out,
                "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{tick}</text>",
                PAD + 10
            );
        }
        for (row, (task, cells)) in self.tasks.iter().zip(&self.cells).enumerate() {
            let y = top + row * (CELL_H + ROW_GAP);
            let _ = writeln!(
                out,
                "<text x=\"{PAD}\" y=\"{}\">{}</text>",
                y + CELL_H / 2 + 4,
                label(task)
            );
            for (tick, cell) in cells.iter().enumerate() {
                let Some((fill, mark)) = paint(*cell) else {
                    continue;
                };
                let x = x0 + tick * CELL_W;
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{fill}\" \
                     stroke=\"currentColor\" stroke-opacity=\"0.5\"/>",
                    x + 1,
                    CELL_W - 2
                );
                if !mark.is_empty() {
                    let _ = writeln!(
                        out,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#fff\">{mark}</text>",
                        x + CELL_W / 2,
                        y + CELL_H / 2 + 4
                    );
                }
            }
        }
        for (line, items) in legend_rows.iter().enumerate() {
            let legend_y = legend_y + line * 20;
            let mut x = PAD;
            for &(cell, text) in items {
                let (fill, mark) = paint(cell).expect("legend cells are drawn");
                let _ = writeln!(
                    out,
                    "<rect x=\"{x}\" y=\"{legend_y}\" width=\"{}\" height=\"14\" fill=\"{fill}\" \
                 stroke=\"currentColor\" stroke-opacity=\"0.5\"/>",
                    CELL_W - 2
                );
                if !mark.is_empty() {
                    let _ = writeln!(
                        out,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#fff\">{mark}</text>",
                        x + CELL_W / 2 - 1,
                        legend_y + 11
                    );
                }
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\">{text}</text>",
                    x + CELL_W + 2,
                    legend_y + 11
                );
                x += legend_item_w(text);
            }
        }
        out.push_str("</svg>\n");
        out
    }

    /// One sentence for the SVG's `aria-label`: the response times.
    fn describe_for_screen_readers(&self) -> String {
        format!(
            "Timeline of {} tasks; {}",
            self.tasks.len(),
            self.responses()
        )
    }
}
