//! R15's report: each oracle on correct code (forced orders, then every interleaving), then the
//! counter oracle on R1's broken and fixed counters, searched the twin's way — and the verdict.

use racelab_kit::demo::{Report, Variant};

use super::{
    CounterSearch, explore_array, explore_data, run_array_gated, run_data_gated, search_counter,
};

/// "no race detected" or the alarm, for narration.
fn word(said: &Result<(), String>) -> String {
    match said {
        Ok(()) => "no race detected".to_string(),
        Err(alarm) => alarm.clone(),
    }
}

/// The demo: each oracle on correct code (forced orders, then every interleaving), then the
/// counter oracle on R1's broken and fixed counters, searched the twin's way.
pub(super) fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    // What the twin got wrong: false alarms on correct code (oracle: where), and misses.
    let mut alarms: Vec<(&str, &str)> = Vec::new();
    let mut misses: Vec<&str> = Vec::new();

    report.heading("real threads, a correct array: the remover's turn first (A0 waits for R0)");
    let (run, said, trace) = run_array_gated(variant);
    report.trace(&trace);
    report.line(format!(
        "=> {} added, {} remove tries, {} removed, {} left",
        run.adds, run.remove_tries, run.removed, run.final_count
    ));
    report.line(format!("=> the array oracle: {}", word(&said)));
    if said.is_err() {
        report.line("   a false alarm: this array is correct.");
        alarms.push(("array", "forced order"));
    }

    report.heading("real threads, a correct store: writer 1 is done first (W0 waits for W1)");
    let (run, said, trace) = run_data_gated(variant);
    report.trace(&trace);
    report.line(format!("=> the final value is {:?}", run.final_value));
    report.line(format!("=> the data oracle: {}", word(&said)));
    if said.is_err() {
        report.line("   a false alarm: this store is correct.");
        alarms.push(("data", "forced order"));
    }

    report.heading("loom: the correct array (A0 adds once, R0 tries once), every interleaving");
    let array = explore_array(variant);
    report.exploration(&array);
    if array.found_bug() {
        alarms.push(("array", "loom"));
    }
    report.heading("loom: the correct store (W0 and W1 write once each), every interleaving");
    let data = explore_data(variant);
    report.exploration(&data);
    if data.found_bug() {
        alarms.push(("data", "loom"));
    }

    for (r1, name) in [(Variant::Broken, "broken"), (Variant::Fixed, "fixed")] {
        let search = search_counter(variant, r1);
        match &search {
            CounterSearch::RealRun { run, said, trace } => {
                report.heading(format!(
                    "one real run of R1's {name} counter: this time T1 starts after T0 is done"
                ));
                report.trace(trace);
                report.line(format!(
                    "=> count {} of {}: {}",
                    run.final_count,
                    run.threads * run.iterations,
                    word(said)
                ));
            }
            CounterSearch::Loom(x) => {
                report.heading(format!(
                    "loom: R1's {name} counter, T0 and T1 increment once each, every interleaving"
                ));
                report.exploration(x);
            }
        }
        match (r1, search.alarm()) {
            (Variant::Broken, None) => {
                report.line("   a miss: R1's broken counter loses updates (see R1).");
                misses.push("missed R1's broken counter");
            }
            (Variant::Fixed, Some(_)) => alarms.push(("counter", "R1's fixed counter")),
            _ => {}
        }
    }

    let mut wrong: Vec<String> = Vec::new();
    if !alarms.is_empty() {
        let each: Vec<String> = alarms.iter().map(|(o, w)| format!("{o} ({w})")).collect();
        wrong.push(format!("false alarms on correct code: {}", each.join(", ")));
    }
    wrong.extend(misses.iter().map(|m| m.to_string()));
    let bug = (!wrong.is_empty()).then(|| wrong.join("; "));
    report.conclude(
        bug,
        format!(
            "no false alarm on correct code (forced orders; all {} + {} interleavings); R1's broken counter flagged",
            array.interleavings, data.interleavings
        ),
    );
    report
}
