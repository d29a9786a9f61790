//! Lanes: a trace drawn one column per thread, time flowing down.
//!
//! A numbered list of lines (`3  T1  reads 0`) says everything, but a reader has to keep each
//! thread's story in their head. Side by side, an interleaving can be *seen*: where one thread's
//! step lands between two of another's is where the bug is.
//!
//! ```text
//!  #  T0                                            T1
//!  1  reads 0
//!  2                                                reads 0
//!  3  writes 1
//!  4                                                writes 1
//! ```
//!
//! [`render`] takes the same [`Line`]s a [`Trace`](crate::trace::Trace) holds, so every trace a
//! demo narrates or a test pins can be drawn this way without the demo doing anything. Lanes appear
//! in the order their threads first spoke. Each step keeps its own row (step numbers match the
//! numbered rendering); text wider than its lane wraps at word boundaries onto continuation rows,
//! and a word wider than a whole lane is cut, so no output line is ever wider than asked. Widths
//! are counted in terminal columns (`unicode-width`), so `—`, `→` or CJK text lines up too.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::trace::Line;

/// The width the demos render lanes at: a terminal's 100 columns.
pub const WIDTH: usize = 100;

/// Space between two lanes.
const GAP: usize = 2;

/// The trace's lines as lanes, no line wider than `width` columns (see the module doc). An empty
/// trace renders as an empty string.
pub fn render(lines: &[Line], width: usize) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut actors: Vec<&str> = Vec::new();
    for line in lines {
        if !actors.contains(&line.actor.as_str()) {
            actors.push(&line.actor);
        }
    }
    let number = lines.len().to_string().len().max(2);
    let gutter = number + GAP;
    let lanes = actors.len();
    // Whatever is left after the step numbers, shared out evenly (at least 8 columns a lane).
    let lane = (width.saturating_sub(gutter + GAP * (lanes - 1)) / lanes).max(8);

    let mut out = String::new();
    let header: Vec<Vec<String>> = actors.iter().map(|a| wrap_cell(a, lane)).collect();
    push_row(
        &mut out,
        &format!("{:>number$}", "#"),
        &header,
        lane,
        gutter,
    );
    for (step, line) in lines.iter().enumerate() {
        let mut cells = vec![Vec::new(); lanes];
        let at = actors
            .iter()
            .position(|a| *a == line.actor)
            .expect("every actor has a lane");
        cells[at] = wrap_cell(&line.text, lane);
        push_row(
            &mut out,
            &format!("{:>number$}", step + 1),
            &cells,
            lane,
            gutter,
        );
    }
    out
}

/// The trace's lines as an HTML table for the book: a column per actor (thread, task or process,
/// in the order they first spoke), a row per step, the step number first, and `caption` (say, the
/// report section the trace belongs to) above it. No styling of its own, so mdBook's light and
/// dark themes draw it like every other table; no blank line inside, so Markdown keeps it as one
/// HTML block. Text is HTML-escaped. An empty trace renders as an empty string.
pub fn render_html(lines: &[Line], caption: Option<&str>) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut actors: Vec<&str> = Vec::new();
    for line in lines {
        if !actors.contains(&line.actor.as_str()) {
            actors.push(&line.actor);
        }
    }
    let mut out = String::from("<table class=\"racelab-lanes\">\n");
    if let Some(caption) = caption {
        out.push_str(&format!("<caption>{}</caption>\n", escape(caption)));
    }
    out.push_str("<thead><tr><th>#</th>");
    for actor in &actors {
        out.push_str(&format!("<th>{}</th>", escape(actor)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (step, line) in lines.iter().enumerate() {
        out.push_str(&format!("<tr><td>{}</td>", step + 1));
        for actor in &actors {
            if *actor == line.actor {
                out.push_str(&format!("<td>{}</td>", escape(&line.text)));
            } else {
                out.push_str("<td></td>");
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One step (or the header): the number in the gutter, then each lane's wrapped text, as many
/// rows as the tallest cell needs. Trailing spaces are trimmed.
fn push_row(out: &mut String, number: &str, cells: &[Vec<String>], lane: usize, gutter: usize) {
    let rows = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    for row in 0..rows {
        let mut line = if row == 0 {
            format!("{number:<gutter$}")
        } else {
            " ".repeat(gutter)
        };
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                line.push_str(&" ".repeat(GAP));
            }
            let text = cell.get(row).map_or("", String::as_str);
            line.push_str(text);
            line.push_str(&" ".repeat(lane.saturating_sub(text.width())));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// `text` in rows of at most `width` columns: broken at spaces, and inside a word only when the
/// word alone is wider than a row.
fn wrap_cell(text: &str, width: usize) -> Vec<String> {
    let mut rows = Vec::new();
    let mut row = String::new();
    for word in text.split_whitespace() {
        let sep = usize::from(!row.is_empty());
        if row.width() + sep + word.width() <= width {
            if sep == 1 {
                row.push(' ');
            }
            row.push_str(word);
            continue;
        }
        if !row.is_empty() {
            rows.push(std::mem::take(&mut row));
        }
        // The word starts a new row; cut it only if it cannot fit a row of its own.
        for c in word.chars() {
            if row.width() + c.width().unwrap_or(0) > width {
                rows.push(std::mem::take(&mut row));
            }
            row.push(c);
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

/// `text` after `head`, wrapped at word boundaries so that no line is wider than `width`
/// characters; continuation lines are indented to where the text started. A single word longer
/// than a line is put on a line of its own (never cut). Widths are terminal columns.
pub fn wrap(head: &str, text: &str, width: usize) -> String {
    let indent = head.width();
    let mut out = String::new();
    let mut line = head.to_string();
    let mut len = indent;
    let mut empty = true;
    for word in text.split_whitespace() {
        let w = word.width();
        if !empty && len + 1 + w > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = " ".repeat(indent);
            len = indent;
            empty = true;
        }
        if !empty {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += w;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// Each line of `text` no wider than `width` columns: a longer line is [`wrap`]ped, its
/// continuation rows indented by `indent` spaces. For narration printed beside lanes.
pub fn fit(text: &str, width: usize, indent: usize) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let bare = line.strip_suffix('\n').unwrap_or(line);
        if bare.width() <= width {
            out.push_str(line);
            continue;
        }
        let wrapped = wrap("", bare, width.saturating_sub(indent));
        for (i, row) in wrapped.lines().enumerate() {
            if i > 0 {
                out.push_str(&" ".repeat(indent));
            }
            out.push_str(row);
            out.push('\n');
        }
        if !line.ends_with('\n') {
            out.pop();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(actor: &str, text: &str) -> Line {
        Line {
            actor: actor.to_string(),
            text: text.to_string(),
            step: None,
        }
    }

    fn widest(out: &str) -> usize {
        out.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
    }

    #[test]
    fn two_threads_read_as_two_lanes() {
        let lost_update = [
            line("T0", "reads 0"),
            line("T1", "reads 0"),
            line("T0", "writes 1"),
            line("T1", "writes 1"),
        ];
        assert_eq!(
            render(&lost_update, 40),
            " #  T0                 T1\n \
             1  reads 0\n \
             2                     reads 0\n \
             3  writes 1\n \
             4                     writes 1\n"
        );
    }

    #[test]
    fn one_lane_is_the_numbered_list() {
        let out = render(&[line("main", "starts"), line("main", "ends")], 30);
        assert_eq!(out, " #  main\n 1  starts\n 2  ends\n");
    }

    #[test]
    fn lanes_are_ordered_by_first_word_and_fit_the_width_for_one_to_four_threads() {
        for threads in 1..=4 {
            let lines: Vec<Line> = (0..8)
                .map(|i| {
                    let actor = format!("T{}", (i * 3 + 1) % threads);
                    line(
                        &actor,
                        "wants lock2 (held by T1) and waits for it to be released",
                    )
                })
                .collect();
            let out = render(&lines, WIDTH);
            assert!(widest(&out) <= WIDTH, "{threads} lanes:\n{out}");
            let header = out.lines().next().unwrap();
            let first = lines[0].actor.as_str();
            assert!(
                header[3..].trim_start().starts_with(first),
                "lane of the first speaker comes first:\n{out}"
            );
            assert_eq!(out.lines().filter(|l| l.contains("wants")).count(), 8);
        }
    }

    #[test]
    fn long_text_wraps_at_words_under_its_own_step() {
        let out = render(
            &[
                line("T0", "wants lock2 (held by T1)"),
                line("T1", "wants lock1 (held by T0)"),
            ],
            30,
        );
        assert_eq!(
            out,
            " #  T0            T1\n \
             1  wants lock2\n    \
             (held by T1)\n \
             2                wants lock1\n                  \
             (held by T0)\n"
        );
    }

    #[test]
    fn a_word_wider_than_a_lane_is_cut_not_spilled() {
        let out = render(
            &[
                line("T0", "a"),
                line("T1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
            ],
            24,
        );
        assert!(widest(&out) <= 24, "\n{out}");
        assert_eq!(out.matches('x').count(), 30, "no character lost:\n{out}");
    }

    #[test]
    fn width_is_counted_in_columns_not_bytes() {
        let out = render(
            &[
                line("T0", "reads 0 — then → writes 1"),
                line("T1", "読み取り 0"),
            ],
            40,
        );
        assert!(widest(&out) <= 40, "\n{out}");
        // The second lane starts at the same column on every row that has it.
        let column = |needle: &str| {
            let row = out.lines().find(|l| l.contains(needle)).unwrap();
            row[..row.find(needle).unwrap()].width()
        };
        assert_eq!(column("T1"), column("読み取り"));
    }

    #[test]
    fn an_empty_trace_draws_nothing() {
        assert_eq!(render(&[], WIDTH), "");
        assert_eq!(render_html(&[], None), "");
    }

    #[test]
    fn the_book_gets_an_html_table_with_a_column_per_thread() {
        let out = render_html(
            &[line("T0", "reads 0"), line("T1", "wants <lock> & waits")],
            Some("loom: T0 & T1"),
        );
        assert_eq!(
            out,
            "<table class=\"racelab-lanes\">\n\
             <caption>loom: T0 &amp; T1</caption>\n\
             <thead><tr><th>#</th><th>T0</th><th>T1</th></tr></thead>\n\
             <tbody>\n\
             <tr><td>1</td><td>reads 0</td><td></td></tr>\n\
             <tr><td>2</td><td></td><td>wants &lt;lock&gt; &amp; waits</td></tr>\n\
             </tbody>\n</table>\n"
        );
        assert!(
            !out.contains("\n\n"),
            "no blank line: one HTML block in Markdown"
        );
    }

    #[test]
    fn wrap_keeps_every_line_within_the_width_and_indents_continuations() {
        let text = "lost update: two increments, but the count is one after both threads wrote";
        let out = wrap("  broken  caught  ", text, 40);
        assert_eq!(
            out,
            "  broken  caught  lost update: two\n                  increments, but the\n                  count is one after\n                  both threads wrote\n"
        );
        assert!(out.lines().all(|l| l.chars().count() <= 40));
    }

    #[test]
    fn wrap_never_cuts_a_word_longer_than_a_line() {
        let out = wrap("> ", "a supercalifragilistic word", 10);
        assert_eq!(out, "> a\n  supercalifragilistic\n  word\n");
    }

    #[test]
    fn wrap_counts_characters_not_bytes() {
        // "—" is three bytes but one column.
        let out = wrap("", "a — b — c", 5);
        assert_eq!(out, "a — b\n— c\n");
    }

    #[test]
    fn fit_wraps_only_the_lines_that_are_too_wide() {
        let text = "short\n## a heading that is much too wide for ten\nend\n";
        assert_eq!(
            fit(text, 16, 3),
            "short\n## a heading\n   that is much\n   too wide for\n   ten\nend\n"
        );
    }
}
