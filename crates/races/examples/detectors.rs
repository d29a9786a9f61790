//! The heavy half of "one bug, many tools": measurements, not tests. `scripts/detectors` drives it
//! and writes the book's tables; you can run it by hand too:
//!
//! ```text
//! cargo run --release -p races --example detectors -- measure <tool> <bug> [--runs N] [--seed S] [--k K]
//! cargo run --release -p races --example detectors -- probe <bug> [--k K]
//! cargo run --release -p races --example detectors -- oracles [--runs N]
//! ```
//!
//! * `measure` runs one bug of `races::detectors` under one in-process tool — `loom`, `shuttle` or
//!   `stress` (a plain loop on real threads) — and prints one tab-separated line: `caught`,
//!   `missed`, `n/a` or `skipped`, then the detail (`37/1000 runs`). (parking_lot's deadlock
//!   detector has one route, R8's own crate: `scripts/detectors` runs
//!   `cargo run -p races-deadlock-detection`, which keeps its feature out of this build.)
//! * `probe` runs one bug once on real threads, for an outside tool to watch (Miri, TSan), and
//!   says what the run itself saw.
//! * `oracles` measures R15: how often a plain stress loop sees R1's lost update, against loom;
//!   and how often the guide's oracles cry "race" on correct code. Prints markdown.
//!
//! Why an example and not a test: detection rates depend on timing and on the machine; a test
//! must never assert on them. Stress runs are OS-scheduled and cannot be seeded; shuttle runs are
//! seeded (`--seed`, default 2024), so their numbers repeat exactly. The data-race bug is undefined
//! behaviour and exists only under `--cfg racelab_ub` (see `races::detectors::data_race`).
//! Bad input: one line on stderr, exit code 2.

use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::time::Instant;

use racelab_kit::explore::explore;
use racelab_kit::randomized;
use racelab_kit::sync::{Loom, Shuttle, Std};
use racelab_kit::watchdog::{self, Outcome};
use races::detectors::data_race::data_race_loom;
use races::detectors::message::relaxed_message;
use races::detectors::{Bug, abba, lost_update};
use races::race_stress_oracles::managers::{array_workload, data_workload};
use races::race_stress_oracles::{StressOracles, broken, fixed};
use races::unsafe_counter::{self as r1, two_increments};

const USAGE: &str =
    "usage: detectors measure <loom|shuttle|stress> <bug> [--runs N] [--seed S] [--k K]
       detectors probe <bug> [--k K]
       detectors oracles [--runs N]
bugs: lost_update, data_race, abba, relaxed_message";

struct Options {
    runs: usize,
    seed: u64,
    k: usize,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("detectors: {message} (try 'detectors --help')");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let (words, options) = parse(args)?;
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let bug = |name: &str| Bug::from_name(name).ok_or(format!("no bug called '{name}'"));
    match words.as_slice() {
        ["measure", tool, name] => {
            let bug = bug(name)?;
            let (verdict, detail) = match *tool {
                "loom" => measure_loom(bug),
                "shuttle" => measure_shuttle(bug, &options),
                "stress" => measure_stress(bug, &options),
                other => return Err(format!("no tool called '{other}'")),
            };
            println!("{verdict}\t{detail}");
            Ok(())
        }
        ["probe", name] => {
            probe(bug(name)?, options.k);
            Ok(())
        }
        ["oracles"] => {
            oracles(options.runs);
            Ok(())
        }
        [] => Err("missing a command".into()),
        _ => Err(format!("unexpected arguments '{}'", words.join(" "))),
    }
}

fn parse(args: &[String]) -> Result<(Vec<String>, Options), String> {
    let mut options = Options {
        runs: 1000,
        seed: 2024,
        k: 100,
    };
    let mut words = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|&v| v > 0 || flag == "--seed")
                .ok_or(format!("{flag} needs a positive number"))
        };
        match arg.as_str() {
            "--runs" => options.runs = value("--runs")? as usize,
            "--seed" => options.seed = value("--seed")?,
            "--k" => options.k = value("--k")? as usize,
            flag if flag.starts_with('-') => return Err(format!("unknown option '{flag}'")),
            word => words.push(word.to_string()),
        }
    }
    Ok((words, options))
}

/// Runs `f`, its panics unprinted; whether it panicked.
fn fails(f: impl FnOnce()) -> bool {
    panic::catch_unwind(AssertUnwindSafe(f)).is_err()
}

/// Silences panic messages for the rest of the process: in a measurement they are counted.
fn quiet_panics() {
    panic::set_hook(Box::new(|_| {}));
}

fn verdict(caught: usize) -> &'static str {
    if caught > 0 { "caught" } else { "missed" }
}

fn measure_loom(bug: Bug) -> (&'static str, String) {
    let x = match bug {
        Bug::LostUpdate => explore(|| lost_update::<Loom>(1)),
        Bug::DataRace => explore(data_race_loom),
        Bug::Abba => explore(|| abba::<Loom>(1)),
        Bug::RelaxedMessage => explore(|| relaxed_message::<Loom>(false)),
    };
    match &x.failure {
        Some(f) => (
            "caught",
            format!(
                "every run, on interleaving {} ({})",
                x.interleavings,
                short(&f.message)
            ),
        ),
        None => (
            "missed",
            format!("all {} interleavings pass", x.interleavings),
        ),
    }
}

fn measure_shuttle(bug: Bug, o: &Options) -> (&'static str, String) {
    let failed = match bug {
        Bug::LostUpdate => randomized::failures(|| lost_update::<Shuttle>(1), o.seed, o.runs),
        Bug::DataRace => {
            #[cfg(racelab_ub)]
            {
                use races::detectors::data_race::data_race;
                randomized::failures(|| data_race::<Shuttle>(1), o.seed, o.runs)
            }
            #[cfg(not(racelab_ub))]
            return ("skipped", "needs --cfg racelab_ub".into());
        }
        Bug::Abba => randomized::failures(|| abba::<Shuttle>(1), o.seed, o.runs),
        Bug::RelaxedMessage => {
            randomized::failures(|| relaxed_message::<Shuttle>(false), o.seed, o.runs)
        }
    };
    (
        verdict(failed),
        format!("{failed}/{} schedules (seeds {}…)", o.runs, o.seed),
    )
}

fn measure_stress(bug: Bug, o: &Options) -> (&'static str, String) {
    quiet_panics();
    let k = o.k;
    let started = Instant::now();
    let caught = (0..o.runs)
        .filter(|_| match bug {
            Bug::LostUpdate => fails(|| lost_update::<Std>(k)),
            Bug::DataRace => {
                #[cfg(racelab_ub)]
                {
                    use races::detectors::data_race::data_race;
                    fails(|| data_race::<Std>(k))
                }
                #[cfg(not(racelab_ub))]
                false
            }
            // The watchdog proves a deadlock from R4's recorded lock waits (no idle timeout); the
            // two stuck threads are left behind for good, and the process exits anyway.
            Bug::Abba => matches!(
                watchdog::watch(move || abba::<Std>(k)),
                Outcome::Deadlocked(_)
            ),
            Bug::RelaxedMessage => fails(|| relaxed_message::<Std>(true)),
        })
        .count();
    if bug == Bug::DataRace && cfg!(not(racelab_ub)) {
        return ("skipped", "needs --cfg racelab_ub".into());
    }
    let what = match bug {
        Bug::Abba => "runs deadlocked",
        _ => "runs",
    };
    (
        verdict(caught),
        format!(
            "{caught}/{} {what} ({:.1} s)",
            o.runs,
            started.elapsed().as_secs_f64()
        ),
    )
}

/// What kind of failure a panic message names — its words up to the first `:` or `.` (`lost
/// update`, `deadlock`, `Causality violation`), without backticks — for a table cell.
fn short(message: &str) -> String {
    let first = message
        .split([':', '.', ';', '\n'])
        .next()
        .unwrap_or(message);
    first.replace('`', "").trim().to_string()
}

/// One run on real threads, for Miri or ThreadSanitizer to watch. Prints what the run itself saw.
fn probe(bug: Bug, k: usize) {
    let name = bug.name();
    let outcome = match bug {
        Bug::LostUpdate => caught(|| lost_update::<Std>(k)),
        Bug::DataRace => {
            #[cfg(racelab_ub)]
            {
                use races::detectors::data_race::data_race;
                caught(|| data_race::<Std>(k))
            }
            #[cfg(not(racelab_ub))]
            {
                println!("probe {name}: skipped (needs --cfg racelab_ub)");
                return;
            }
        }
        Bug::Abba if cfg!(miri) => caught(|| abba::<Std>(k)), // Miri reports deadlocks itself
        Bug::Abba => match watchdog::watch(move || abba::<Std>(k)) {
            Outcome::Finished(()) => None,
            Outcome::Deadlocked(proof) => {
                println!("probe {name}: deadlocked ({proof}; threads left behind)");
                std::process::exit(0);
            }
            Outcome::Stalled { idle } => {
                println!("probe {name}: stalled for {idle:?} (threads left behind)");
                std::process::exit(0);
            }
        },
        Bug::RelaxedMessage => caught(|| relaxed_message::<Std>(true)),
    };
    match outcome {
        None => println!("probe {name}: ok"),
        Some(message) => println!("probe {name}: check failed: {message}"),
    }
}

fn caught(f: impl FnOnce()) -> Option<String> {
    quiet_panics();
    panic::catch_unwind(AssertUnwindSafe(f))
        .err()
        .map(|p| racelab_kit::explore::panic_message(&*p))
}

/// R15's measurements, as markdown.
fn oracles(runs: usize) {
    quiet_panics();
    println!(
        "| search | R1's broken counter, 2 threads × k increments | lost update seen | time |"
    );
    println!("|---|---|---:|---:|");
    for k in [1, 10, 100, 1_000, 10_000, 100_000] {
        let started = Instant::now();
        let seen = (0..runs)
            .filter(|_| fails(|| lost_update::<Std>(k)))
            .count();
        println!(
            "| stress loop, {runs} runs | k = {k} | {seen}/{runs} runs ({:.1}%) | {:.2} s |",
            100.0 * seen as f64 / runs as f64,
            started.elapsed().as_secs_f64()
        );
    }
    for k in [1, 2] {
        let x = explore(move || lost_update::<Loom>(k));
        println!(
            "| loom, one search | k = {k} | every search, on interleaving {} | {:.2} s |",
            x.interleavings,
            x.elapsed.as_secs_f64()
        );
    }
    let proof = explore(two_increments::<Loom, r1::fixed::Counter<Loom>>);
    println!(
        "| loom, R1's *fixed* counter | k = 1 | none: all {} interleavings pass | {:.2} s |",
        proof.interleavings,
        proof.elapsed.as_secs_f64()
    );
    println!();

    let runs = (runs / 10).max(10);
    let (adders, removers, n) = (5, 5, 1000);
    let mut guide = [0usize; 2];
    let mut right = [0usize; 2];
    for _ in 0..runs {
        let run = array_workload::<Std>(adders, removers, n);
        guide[0] += usize::from(broken::Oracles::array(&run).is_err());
        right[0] += usize::from(fixed::Oracles::array(&run).is_err());
        let run = data_workload::<Std>(5, 5, n);
        guide[1] += usize::from(broken::Oracles::data(&run).is_err());
        right[1] += usize::from(fixed::Oracles::data(&run).is_err());
    }
    println!(
        "| oracle, on CORRECT (locked) managers, real threads | the guide's: \"race detected\" | fixed: \"race detected\" |"
    );
    println!("|---|---:|---:|");
    println!(
        "| array: {adders} adders + {removers} removers × {n} | {}/{runs} runs | {}/{runs} runs |",
        guide[0], right[0]
    );
    println!(
        "| data: 5 readers + 5 writers × {n} | {}/{runs} runs | {}/{runs} runs |",
        guide[1], right[1]
    );
}
