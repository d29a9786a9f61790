//! P4 `conflict_resolution`: a two-way merge cannot tell who changed what; a three-way one can.

use production::conflict_resolution::{
    LAPTOP, Law, Merge, PHONE, Record, Resolution, SCENARIOS, Stamp, Version, broken, check,
    decision_table, fixed, obeys_the_laws,
};
use proptest::strategy::{BoxedStrategy, Just, Strategy};
use proptest::test_runner::{TestCaseError, TestError, TestRunner};

/// The trivial case: when nobody edited anything, the guide's merge is right.
#[test]
fn broken_conflict_resolution_is_right_when_nobody_edited() {
    let nobody = &SCENARIOS[4];
    assert_eq!(nobody.name, "nobody did anything");
    assert_eq!(
        obeys_the_laws::<broken::Merger>(&nobody.base, &nobody.local, &nobody.remote),
        Ok(())
    );
}

// ANCHOR: remote_wins
/// The guide's last-write-wins reads `Date()` twice, local first: the laptop wins even when the
/// phone's edit is the later one.
#[test]
fn broken_conflict_resolution_lets_the_remote_side_win_whatever_was_written_when() {
    let s = &SCENARIOS[2];
    assert!(
        s.local.stamp > s.remote.stamp,
        "the phone's edit is the later one"
    );
    let merged = broken::Merger::default()
        .merge(&s.base, &s.local, &s.remote)
        .unwrap();
    assert_eq!(merged.resolution, Resolution::Keep(s.remote.data.unwrap()));
}
// ANCHOR_END: remote_wins

// ANCHOR: strategy
/// One side's copy, edited from `base`: untouched, edited (each field set or left; 1–3 saves),
/// or deleted; when the record did not exist at the base, untouched, created (every field set),
/// or created and deleted again (no record, a newer version). Shrinks towards "untouched" and
/// "field left as it was".
fn side(device: u8, base: Version) -> BoxedStrategy<Version> {
    let at = 1u64..=30;
    let saves = 1u64..=3;
    let stamp = move |at| Stamp { at, device };
    let Some(record) = base.data else {
        let created = (
            proptest::array::uniform3(1u8..=3),
            saves.clone(),
            at.clone(),
        )
            .prop_map(move |(fields, saves, at)| Version {
                data: Some(Record(fields)),
                version: base.version + saves,
                stamp: stamp(at),
            });
        // Created and deleted again before syncing: still no record, but at a newer version.
        let gone = (saves, at).prop_map(move |(saves, at)| Version {
            data: None,
            version: base.version + saves,
            stamp: stamp(at),
        });
        return proptest::prop_oneof![Just(base), created, gone].boxed();
    };
    let fields = proptest::array::uniform3(proptest::option::of(1u8..=3));
    proptest::prop_oneof![
        Just(base),
        (fields, saves.clone(), at.clone()).prop_map(move |(fields, saves, at)| {
            let mut record = record;
            for (value, set) in record.0.iter_mut().zip(fields) {
                *value = set.unwrap_or(*value);
            }
            Version {
                data: Some(record),
                version: base.version + saves,
                stamp: stamp(at),
            }
        }),
        (saves, at).prop_map(move |(saves, at)| Version {
            data: None,
            version: base.version + saves,
            stamp: stamp(at),
        }),
    ]
    .boxed()
}

/// A base (values 1–3, version 1–5; or no record yet, one time in four), the phone's copy and
/// the laptop's.
fn syncs() -> impl Strategy<Value = (Version, Version, Version)> {
    // `prop_oneof!` shrinks towards its first arm: a counterexample keeps a record at the base
    // unless only an absent one breaks the law.
    let record = proptest::prop_oneof![
        3 => proptest::array::uniform3(1u8..=3).prop_map(Some),
        1 => Just(None),
    ];
    (record, 1u64..=5).prop_flat_map(|(record, version)| {
        let base = Version {
            data: record.map(Record),
            version,
            stamp: Stamp {
                at: 0,
                device: PHONE,
            },
        };
        (Just(base), side(PHONE, base), side(LAPTOP, base))
    })
}
// ANCHOR_END: strategy

/// 512 cases from a fixed seed: the same sample, and the same shrunk failure, every run.
fn runner(persist: bool) -> TestRunner {
    runner_of(persist, 512)
}

/// `cases` cases from a fixed seed, nothing read from the environment (`racelab_testkit::props`).
fn runner_of(persist: bool, cases: u32) -> TestRunner {
    let regressions = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/demos/proptest-regressions/conflict_resolution.txt"
    );
    racelab_testkit::props::runner(cases, persist.then_some(regressions))
}

/// The shrunk counterexample to `law` for twin `M`, if the sample has one.
fn counterexample<M: Merge>(law: Law, persist: bool) -> Option<String> {
    let result = runner(persist).run(&syncs(), |(base, local, remote)| {
        check::<M>(law, &base, &local, &remote).map_err(TestCaseError::fail)
    });
    match result {
        Ok(()) => None,
        Err(TestError::Fail(reason, (base, local, remote))) => Some(format!(
            "{law}\n  base   {base}\n  phone  {local}\n  laptop {remote}\n  => {reason}"
        )),
        Err(other) => panic!("{other}"),
    }
}

// ANCHOR: caught
/// Each law as a property over generated syncs; the guide's merge breaks six of the seven, and
/// proptest shrinks each to a smallest sync. No failure persistence: the seed is fixed, the
/// counterexamples are pinned here instead.
#[test]
fn broken_conflict_resolution_breaks_six_laws_of_seven() {
    let mut found = Vec::new();
    for law in Law::ALL {
        match counterexample::<broken::Merger>(law, false) {
            Some(example) => found.push(example),
            None => assert_eq!(law, Law::Idempotent, "the guide's merge obeys {law}"),
        }
    }
    assert_eq!(found.len(), 6, "{found:#?}");
    racelab_testkit::snapshot!("conflict_resolution__trace", found.join("\n\n"));
}
// ANCHOR_END: caught

/// When the phone wrote last, a field both sides changed keeps the phone's value (if the merge
/// reports the conflict at all: that is the other law). The property behind "remote always wins".
fn phones_later_write_is_kept<M: Merge>(
    base: &Version,
    local: &Version,
    remote: &Version,
) -> Result<(), String> {
    if local.stamp < remote.stamp {
        return Ok(());
    }
    let Ok(merged) = M::default().merge(base, local, remote) else {
        return Ok(());
    };
    let (Some(l), Some(r), Resolution::Keep(kept)) = (local.data, remote.data, merged.resolution)
    else {
        return Ok(());
    };
    let later = if local.stamp > remote.stamp { l } else { r };
    let b = base.data.unwrap_or(Record::EMPTY); // no record at the base: every field is new
    for i in 0..3 {
        let both = l.0[i] != b.0[i] && r.0[i] != b.0[i];
        if both && l.0[i] != r.0[i] && !merged.conflicts.is_empty() && kept.0[i] != later.0[i] {
            return Err(format!("kept {kept}, not the phone's later write {later}"));
        }
    }
    Ok(())
}

// ANCHOR: lww
/// The last-write-wins bug on its own: among syncs where the phone wrote last, proptest finds and
/// shrinks one (4,096 cases: such syncs are rare in the sample) where the merge reports the
/// conflict and keeps the laptop's earlier write — the guide's `Date()`, read local first, always
/// makes the remote side look later.
#[test]
fn broken_conflict_resolution_lets_the_remote_side_win_though_the_phone_wrote_last() {
    let result = runner_of(false, 4096).run(&syncs(), |(base, local, remote)| {
        phones_later_write_is_kept::<broken::Merger>(&base, &local, &remote)
            .map_err(TestCaseError::fail)
    });
    let Err(TestError::Fail(reason, (base, local, remote))) = result else {
        panic!("the guide's last-write-wins should keep an earlier write: {result:?}");
    };
    assert!(
        local.stamp > remote.stamp,
        "the phone's write is the later one"
    );
    racelab_testkit::snapshot!(
        "conflict_resolution__last_write_wins",
        format!("base   {base}\nphone  {local}\nlaptop {remote}\n=> {reason}")
    );
}
// ANCHOR_END: lww

/// The fixed merge keeps the phone's value whenever the phone wrote last.
#[test]
fn fixed_conflict_resolution_keeps_the_phones_later_write() {
    let result = runner_of(true, 4096).run(&syncs(), |(base, local, remote)| {
        phones_later_write_is_kept::<fixed::Merger>(&base, &local, &remote)
            .map_err(TestCaseError::fail)
    });
    assert!(result.is_ok(), "{result:?}");
}

/// The same seven properties hold for the three-way merge (failures would be persisted and
/// replayed first on the next run).
#[test]
fn fixed_conflict_resolution_obeys_every_law() {
    for law in Law::ALL {
        assert_eq!(counterexample::<fixed::Merger>(law, true), None);
    }
}

/// A record that did not exist at the base and was created on one side is kept, with no
/// conflict: the other side did nothing (B3: the merge used to delete it, and report a deletion
/// nobody made).
#[test]
fn fixed_conflict_resolution_keeps_a_record_created_on_one_side() {
    let created: Vec<&_> = SCENARIOS.iter().filter(|s| s.base.data.is_none()).collect();
    assert_eq!(created.len(), 2);
    for s in created {
        let merged = fixed::Merger.merge(&s.base, &s.local, &s.remote).unwrap();
        let new = s.local.data.or(s.remote.data).unwrap();
        assert_eq!(merged.resolution, Resolution::Keep(new), "{}", s.name);
        assert!(merged.conflicts.is_empty(), "{}: {merged}", s.name);
        assert_eq!(
            obeys_the_laws::<fixed::Merger>(&s.base, &s.local, &s.remote),
            Ok(()),
            "{}",
            s.name
        );
    }
}

/// A side that created the record and deleted it again before syncing (absent at the base v1,
/// absent at v3) did something: merged with the other side's creation at v2, the creation is kept
/// under a number above both, not adopted at its own lower v2 (review 2: the fast-forward took
/// "absent, still absent" as idle whatever the version).
#[test]
fn fixed_conflict_resolution_moves_past_a_side_that_created_and_deleted() {
    let stamp = |at, device| Stamp { at, device };
    let base = Version {
        data: None,
        version: 1,
        stamp: stamp(0, PHONE),
    };
    let gone = Version {
        data: None,
        version: 3,
        stamp: stamp(2, PHONE),
    };
    let created = Version {
        data: Some(Record([1, 2, 3])),
        version: 2,
        stamp: stamp(1, LAPTOP),
    };
    for (local, remote) in [(&gone, &created), (&created, &gone)] {
        let merged = fixed::Merger.merge(&base, local, remote).unwrap();
        assert_eq!(merged.resolution, Resolution::Keep(created.data.unwrap()));
        assert_eq!(merged.version, 4, "{merged}");
        assert!(merged.conflicts.is_empty(), "{merged}");
        assert_eq!(
            obeys_the_laws::<fixed::Merger>(&base, local, remote),
            Ok(())
        );
    }
}

/// The decision table: every hand-picked sync through both merges, and the law each result
/// breaks.
#[test]
fn fixed_conflict_resolution_decision_table() {
    racelab_testkit::snapshot!("conflict_resolution__decisions", decision_table());
    for s in &SCENARIOS {
        assert_eq!(
            obeys_the_laws::<fixed::Merger>(&s.base, &s.local, &s.remote),
            Ok(())
        );
    }
}
