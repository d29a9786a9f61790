//! Q11's demo narration: the three searches, each failure (or an example) replayed in plain
//! words, and the verdict.

use racelab_kit::demo::{Report, Variant};

use super::harness::{
    OVERWRITE_AT_CAPACITY, READ_THEN_MAKE_ROOM, Search, check_variant, new_keys_only,
    replay_variant, search_variant,
};
use super::{CAPACITY, Counterexample, MAX_OPS, Op};

/// One section of the demo: how the check went, then a sequence replayed on the twin — the
/// counterexample if there is one, `example` otherwise. Returns what went wrong, if anything.
fn section(
    report: &mut Report,
    variant: Variant,
    outcome: Result<(), Counterexample>,
    example: &[Op],
) -> Option<String> {
    let ops = match &outcome {
        Err(failure) => failure.ops.clone(),
        Ok(()) => example.to_vec(),
    };
    report.trace(&replay_variant(variant, &ops));
    match outcome {
        Err(failure) => {
            report.line(format!("=> {}", failure.message));
            Some(failure.message)
        }
        Ok(()) => {
            report.line("=> the cache agrees with the reference LRU.");
            None
        }
    }
}

/// Narrates a search's size and turns it into an outcome.
fn searched(report: &mut Report, result: Search) -> Result<(), Counterexample> {
    match result.failure {
        Some(failure) => {
            report.line(format!(
                "sequence {} disagrees with the LRU; replayed:",
                result.sequences
            ));
            Err(failure)
        }
        None => {
            report.line(format!(
                "all {} sequences agree with the LRU; the first counterexample for the broken twin, replayed:",
                result.sequences
            ));
            Ok(())
        }
    }
}

/// The demo: the exhaustive check against the reference LRU (new keys only, then the entry just
/// read, then every sequence, overwrites included), each failure replayed in plain words.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "every sequence of up to {MAX_OPS} puts (of new keys) and gets over k0..k3, cache of {CAPACITY}, against a reference LRU"
    ));
    let fresh = searched(&mut report, search_variant(variant, new_keys_only));
    let first = section(
        &mut report,
        variant,
        fresh,
        &[Op::Put(0), Op::Put(1), Op::Put(2), Op::Put(3)],
    );

    report.heading("read k2, then make room for k3: does the entry just read survive?");
    let read = check_variant(variant, &READ_THEN_MAKE_ROOM);
    let second = section(&mut report, variant, read, &READ_THEN_MAKE_ROOM);

    report.heading(format!(
        "every sequence of up to {MAX_OPS} puts and gets, overwrites included"
    ));
    let all = searched(&mut report, search_variant(variant, |_| true));
    let third = section(&mut report, variant, all, &OVERWRITE_AT_CAPACITY);

    let bugs: Vec<String> = [first, second, third].into_iter().flatten().collect();
    report.conclude(
        bugs.first()
            .map(|first| format!("{} of 3 checks fail; the first: {first}", bugs.len())),
        "after every put and get the cache holds exactly what a least-recently-used cache holds",
    );
    report
}
