//! The one command line every chapter binary shares, and the `racelab` tour.
//!
//! ```text
//! races list                      one line per demo: ID, name, summary
//! races <demo> [--broken|--fixed] [--lanes]
//!                                 run a demo (by name or ID) and narrate it; default: both twins;
//!                                 --lanes draws each trace one column per thread
//! races all [--broken|--fixed]    run every demo of the chapter
//! races play <demo> [--broken|--fixed]
//!                                 be the scheduler of a demo's loom model (default: the broken
//!                                 twin); see `play` for the game and its input
//! racelab [--narrate [--lanes]]   every demo of every chapter, then a summary, one block per demo
//! ```
//!
//! Exit codes: 0 when every broken twin was caught and every fixed twin held, 1 when a demo did
//! not behave as it should, 2 for bad input. Bad input is one line on stderr, never a panic trace:
//! clap's multi-line usage errors are cut to their first line plus a hint.

use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command, error::ErrorKind};

use crate::demo::{Chapter, Demo, Report, Variant};
use crate::lanes::wrap;

/// `main` of a chapter binary: `fn main() -> ExitCode { racelab_kit::cli::chapter_main(&CHAPTER) }`.
pub fn chapter_main(chapter: &'static Chapter) -> ExitCode {
    let command = Command::new(chapter.name)
        .about(format!(
            "{}: run the chapter's demos, broken and fixed",
            chapter.title
        ))
        .arg(
            Arg::new("demo")
                .value_name("DEMO")
                .help("`list`, `all`, `play`, or a demo's name or ID (e.g. unsafe_counter or R1)"),
        )
        .arg(
            Arg::new("game")
                .value_name("GAME")
                .help("after `play`: the demo to play (e.g. R1)"),
        )
        .arg(
            Arg::new("broken")
                .long("broken")
                .action(ArgAction::SetTrue)
                .conflicts_with("fixed")
                .help("run only the broken twin"),
        )
        .arg(
            Arg::new("fixed")
                .long("fixed")
                .action(ArgAction::SetTrue)
                .help("run only the fixed twin"),
        )
        .arg(lanes_arg());
    let matches = match parse(command, chapter.name) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let variants: Vec<Variant> = if matches.get_flag("broken") {
        vec![Variant::Broken]
    } else if matches.get_flag("fixed") {
        vec![Variant::Fixed]
    } else {
        Variant::BOTH.to_vec()
    };
    let lanes = matches.get_flag("lanes");
    let target = matches
        .get_one::<String>("demo")
        .map(String::as_str)
        .unwrap_or("list");
    let game = matches.get_one::<String>("game").map(String::as_str);
    if target == "play" {
        let variant = if matches.get_flag("fixed") {
            Variant::Fixed
        } else {
            Variant::Broken
        };
        return crate::play::play_main(chapter, game, variant);
    }
    if let Some(extra) = game {
        eprintln!(
            "{}: unexpected argument '{extra}' (only `play` takes a second name; try '{} --help')",
            chapter.name, chapter.name
        );
        return ExitCode::from(2);
    }

    let demos: Vec<&'static Demo> = match target {
        "list" => {
            print!("{}", list(chapter));
            return ExitCode::SUCCESS;
        }
        "all" => chapter.demos.iter().collect(),
        key => match chapter.find(key) {
            Some(demo) => vec![demo],
            None if chapter.find_sidebar(key).is_some() => {
                let sidebar = chapter.find_sidebar(key).expect("just found");
                println!(
                    "# {} {} — a sidebar, not a demo\n",
                    sidebar.id, sidebar.name
                );
                println!("{}\n\n{}", sidebar.summary, sidebar.instead);
                return ExitCode::SUCCESS;
            }
            None => {
                eprintln!(
                    "{}: no demo called '{key}' (try '{} list')",
                    chapter.name, chapter.name
                );
                return ExitCode::from(2);
            }
        },
    };

    let mut all_as_expected = true;
    for demo in demos {
        for &variant in &variants {
            let report = (demo.run)(variant);
            println!("# {} {} — {variant}\n", demo.id, demo.name);
            println!("{}", show(&report, lanes));
            all_as_expected &= report.verdict().as_expected();
        }
    }
    if all_as_expected {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `--lanes`: draw traces one column per thread instead of as numbered steps.
fn lanes_arg() -> Arg {
    Arg::new("lanes")
        .long("lanes")
        .action(ArgAction::SetTrue)
        .help("draw each trace as lanes, one column per thread (at most 100 columns wide)")
}

/// A report as the user asked for it: traces as numbered steps, or as lanes.
fn show(report: &Report, lanes: bool) -> String {
    if lanes {
        report.render_lanes()
    } else {
        report.render()
    }
}

/// The chapter's demo list, one entry each: `R1  unsafe_counter  summary`, the summary wrapped
/// within [`TOUR_WIDTH`] columns. Sidebars (entries with no twins to run) are listed among them
/// in ID order, marked `(sidebar)`.
pub fn list(chapter: &Chapter) -> String {
    let mut rows: Vec<(&str, &str, String)> = chapter
        .demos
        .iter()
        .map(|d| (d.id, d.name, d.summary.to_string()))
        .collect();
    for s in chapter.sidebars {
        let at = rows
            .iter()
            .position(|(id, _, _)| id_number(id) > id_number(s.id))
            .unwrap_or(rows.len());
        rows.insert(at, (s.id, s.name, format!("(sidebar) {}", s.summary)));
    }
    let width = rows
        .iter()
        .map(|(_, name, _)| name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (id, name, summary) in rows {
        out.push_str(&wrap(
            &format!("{id:<4} {name:<width$}  "),
            &summary,
            TOUR_WIDTH,
        ));
    }
    out
}

/// The number in an inventory ID (`P10` → 10), for placing sidebars among the demos.
fn id_number(id: &str) -> u32 {
    id.trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .unwrap_or(u32::MAX)
}

/// `main` of the `racelab` binary: runs every demo of every chapter, broken and fixed, and prints
/// a summary: one block per demo, no line wider than [`TOUR_WIDTH`].
pub fn tour_main(chapters: &[&'static Chapter]) -> ExitCode {
    let command = Command::new("racelab")
        .about("Tour every racelab chapter: run each demo broken and fixed, then summarise")
        .arg(
            Arg::new("narrate")
                .long("narrate")
                .action(ArgAction::SetTrue)
                .help("print every demo's full narration, not just the summary"),
        )
        .arg(lanes_arg().requires("narrate"));
    let matches = match parse(command, "racelab") {
        Ok(m) => m,
        Err(code) => return code,
    };
    let narrate = matches.get_flag("narrate");
    let lanes = matches.get_flag("lanes");

    let mut failures = 0;
    let mut count = 0;
    for chapter in chapters {
        let mut blocks = Vec::new();
        for demo in chapter.demos {
            let [broken, fixed] = Variant::BOTH.map(|variant| (demo.run)(variant));
            if narrate {
                for report in [&broken, &fixed] {
                    println!("# {} {} — {}\n", demo.id, demo.name, report.variant);
                    println!("{}", show(report, lanes));
                }
            }
            let (b, f) = (broken.verdict(), fixed.verdict());
            // Progress on stderr, so a long tour shows it is alive and stdout stays the summary.
            eprintln!(
                "{} {}: broken {}, fixed {}",
                demo.id,
                demo.name,
                b.label(),
                f.label()
            );
            failures += usize::from(!b.as_expected());
            failures += usize::from(!f.as_expected());
            count += 1;
            blocks.push(block(demo, &broken, &fixed));
        }
        println!("{} ({})\n", chapter.title, chapter.name);
        println!("{}", blocks.join("\n"));
    }
    let summary = format!(
        "{count} demos: {}.",
        if failures == 0 {
            "every broken twin caught, every fixed twin holds".to_string()
        } else {
            format!("{failures} twin(s) did NOT behave as expected")
        }
    );
    print!("{}", wrap("", &summary, TOUR_WIDTH));
    println!("Run one with `cargo run -p <chapter> -- <demo>`; `list` names them.");
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The widest line the tour prints: a reader's terminal must not wrap it into noise.
pub const TOUR_WIDTH: usize = 100;

/// One demo's block in the tour's summary: its ID and name, then one wrapped line per twin.
///
/// ```text
/// R1 unsafe_counter
///   broken  caught  lost update: 2 increments, but the count is 1
///   fixed   holds   2 increments count 2 in all 3 interleavings
/// ```
fn block(demo: &Demo, broken: &Report, fixed: &Report) -> String {
    let mut out = format!("{} {}\n", demo.id, demo.name);
    for (twin, report) in [("broken", broken), ("fixed", fixed)] {
        let v = report.verdict();
        let label = if v.as_expected() {
            if twin == "broken" { "caught" } else { "holds" }.to_string()
        } else {
            v.label().to_string()
        };
        let head = format!("  {twin:<6}  {label:<6}  ");
        out.push_str(&wrap(&head, v.detail(), TOUR_WIDTH));
    }
    out
}

/// Parses the process arguments; help and version print and exit 0, any other error becomes one
/// line on stderr and exit code 2.
fn parse(command: Command, name: &str) -> Result<ArgMatches, ExitCode> {
    match command.try_get_matches() {
        Ok(matches) => Ok(matches),
        Err(err)
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            let _ = err.print();
            Err(ExitCode::SUCCESS)
        }
        Err(err) => {
            let rendered = err.render().to_string();
            let first = rendered
                .lines()
                .next()
                .unwrap_or("bad arguments")
                .trim_start_matches("error: ");
            eprintln!("{name}: {first} (try '{name} --help')");
            Err(ExitCode::from(2))
        }
    }
}
