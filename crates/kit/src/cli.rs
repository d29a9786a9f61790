//! The one command line every chapter binary shares, and the `racelab` tour.
//!
//! ```text
//! races list                      one line per demo: ID, name, summary
//! races <demo> [--broken|--fixed] run a demo (by name or ID) and narrate it; default: both twins
//! races all [--broken|--fixed]    run every demo of the chapter
//! racelab [--narrate]             every demo of every chapter, then a summary table
//! ```
//!
//! Exit codes: 0 when every broken twin was caught and every fixed twin held, 1 when a demo did
//! not behave as it should, 2 for bad input. Bad input is one line on stderr, never a panic trace:
//! clap's multi-line usage errors are cut to their first line plus a hint.

use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command, error::ErrorKind};

use crate::demo::{Chapter, Demo, Report, Variant};

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
                .help("`list`, `all`, or a demo's name or ID (e.g. unsafe_counter or R1)"),
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
        );
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
    let target = matches
        .get_one::<String>("demo")
        .map(String::as_str)
        .unwrap_or("list");

    let demos: Vec<&'static Demo> = match target {
        "list" => {
            print!("{}", list(chapter));
            return ExitCode::SUCCESS;
        }
        "all" => chapter.demos.iter().collect(),
        key => match chapter.find(key) {
            Some(demo) => vec![demo],
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
            println!("{}", report.render());
            all_as_expected &= report.verdict().as_expected();
        }
    }
    if all_as_expected {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The chapter's demo list, one line each: `R1  unsafe_counter  summary`.
pub fn list(chapter: &Chapter) -> String {
    let width = chapter
        .demos
        .iter()
        .map(|d| d.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for d in chapter.demos {
        out.push_str(&format!("{:<4} {:<width$}  {}\n", d.id, d.name, d.summary));
    }
    out
}

/// `main` of the `racelab` binary: runs every demo of every chapter, broken and fixed, and prints
/// a summary table.
pub fn tour_main(chapters: &[&'static Chapter]) -> ExitCode {
    let command = Command::new("racelab")
        .about("Tour every racelab chapter: run each demo broken and fixed, then summarise")
        .arg(
            Arg::new("narrate")
                .long("narrate")
                .action(ArgAction::SetTrue)
                .help("print every demo's full narration, not just the summary"),
        );
    let matches = match parse(command, "racelab") {
        Ok(m) => m,
        Err(code) => return code,
    };
    let narrate = matches.get_flag("narrate");

    let mut failures = 0;
    let mut count = 0;
    for chapter in chapters {
        let mut rows = Vec::new();
        for demo in chapter.demos {
            let [broken, fixed] = Variant::BOTH.map(|variant| (demo.run)(variant));
            if narrate {
                for report in [&broken, &fixed] {
                    println!("# {} {} — {}\n", demo.id, demo.name, report.variant);
                    println!("{}", report.render());
                }
            }
            let (b, f) = (broken.verdict(), fixed.verdict());
            // Progress on stderr, so a long tour shows it is alive and stdout stays the table.
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
            rows.push(row(demo, &broken, &fixed));
        }
        println!("{} ({})\n", chapter.title, chapter.name);
        println!("{}", table(&rows));
    }
    println!(
        "{count} demos: {} — run one with `cargo run -p <chapter> -- <demo>`.",
        if failures == 0 {
            "every broken twin caught, every fixed twin holds".to_string()
        } else {
            format!("{failures} twin(s) did NOT behave as expected")
        }
    );
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn row(demo: &Demo, broken: &Report, fixed: &Report) -> [String; 3] {
    let cell = |r: &Report| {
        let v = r.verdict();
        if v.as_expected() {
            v.detail().to_string()
        } else {
            format!("{}: {}", v.label(), v.detail())
        }
    };
    [
        format!("{} {}", demo.id, demo.name),
        cell(broken),
        cell(fixed),
    ]
}

fn table(rows: &[[String; 3]]) -> String {
    let header = [
        "demo".to_string(),
        "broken: what was caught".to_string(),
        "fixed: holds".to_string(),
    ];
    let widths: Vec<usize> = (0..3)
        .map(|c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let fmt_row = |r: &[String; 3]| {
        format!(
            "| {:<w0$} | {:<w1$} | {:<w2$} |\n",
            r[0],
            r[1],
            r[2],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
    };
    let mut out = fmt_row(&header);
    out.push_str(&format!(
        "|{}|{}|{}|\n",
        "-".repeat(widths[0] + 2),
        "-".repeat(widths[1] + 2),
        "-".repeat(widths[2] + 2)
    ));
    for r in rows {
        out.push_str(&fmt_row(r));
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
