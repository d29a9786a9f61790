//! P4 `conflict_resolution` — merging two edits of one record needs the version both started from.
//!
//! Ports the guide's `ConflictResolutionManager` and its four strategies, "Data Synchronization
//! Conflict Resolution" (L6257–6407). What the guide gets wrong:
//!
//! * Detection compares only the two versions (L6296–6318): equal numbers mean "no conflict",
//!   different ones mean a conflict. Without the **base** (the version both sides started from)
//!   it cannot tell "both edited v5" from "nobody edited", and a plain fast-forward (the laptop
//!   edited, the phone did not) is reported as a conflict.
//! * Last-write-wins reads both timestamps from `Date()` (L6355–6359, a stub the guide leaves to
//!   the reader), local first, so as written the remote one is always the later: **the remote
//!   side always wins**, whatever was written when.
//! * Deletion-wins returns `Data()` (L6362–6379): a deleted record becomes an empty one, and the
//!   version it gets can be lower than the remote one (L6374: local v4 against a remote delete at
//!   v10 gives v5; L6342 too, once `getTimestamp` is real).
//! * Both sides deleted, at different versions, falls through to `.mergeConflict` (L6317), which
//!   asks a person to resolve a non-conflict.
//!
//! [`broken`] is the guide's logic on [`Record`]s with an injected clock that ticks on every read
//! (the guide's `Date()`, read local first). [`fixed`] is a three-way merge, field by field, with
//! a [`Resolution`] that can say `Delete`, and last-write-wins by each edit's own [`Stamp`] (its
//! time, then the device id to break ties — a total order, the same on every device). The two are
//! a **declared rewrite**: the key lines are `fixed.rs`'s field loop (`merge_fields`), its
//! fast-forward loop (which keeps the newer copy's own version) and the deletion arms of its
//! `match` (a record absent at the base and created on one side is kept).
//!
//! The check is a set of [`Law`]s ([`check`]) every merge must obey; the tests state them as
//! proptest properties over generated edits (a fixed seed and case count: a **sampled** check,
//! replayed exactly every run; bases with no record included), and [`decision_table`] pins a
//! hand-picked scenario per row.

use std::fmt;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, as_actor, traced};

pub mod broken;
pub mod fixed;

/// The record's fields, in order.
pub const FIELDS: [&str; 3] = ["title", "body", "done"];

/// A record: one small value per field of [`FIELDS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Record(pub [u8; 3]);

impl Record {
    /// The guide's `Data()`: an empty payload (every field 0). Generated values are 1–3, so an
    /// empty record only ever comes from the guide's deletion-wins.
    pub const EMPTY: Record = Record([0; 3]);
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [t, b, d] = self.0;
        write!(f, "{{title:{t} body:{b} done:{d}}}")
    }
}

/// When an edit was saved, and on which device: ordered by time, then by device id, so two
/// stamps are never equal and every device agrees which is later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    /// The device clock's reading when the edit was saved (a hybrid logical clock in a real
    /// system, so a device cannot stamp a save earlier than any write it has already seen).
    pub at: u64,
    /// The device: [`PHONE`] or [`LAPTOP`].
    pub device: u8,
}

/// The local device.
pub const PHONE: u8 = 1;
/// The remote device.
pub const LAPTOP: u8 = 2;

/// A device's name, for narration.
pub fn device(id: u8) -> &'static str {
    match id {
        PHONE => "phone",
        LAPTOP => "laptop",
        _ => "device",
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={}@{}", self.at, device(self.device))
    }
}

/// One side's copy: the data (`None` = deleted), its version number, and its last edit's stamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    /// The record, or `None` if this side deleted it.
    pub data: Option<Record>,
    /// Bumped by one on every save.
    pub version: u64,
    /// When the last save happened.
    pub stamp: Stamp,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.data {
            Some(record) => write!(f, "v{} {record} ({})", self.version, self.stamp),
            None => write!(f, "v{} deleted ({})", self.version, self.stamp),
        }
    }
}

/// What a merge decides: keep this record, or delete it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// The record lives on with this content.
    Keep(Record),
    /// The record is deleted.
    Delete,
}

impl fmt::Display for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resolution::Keep(record) => write!(f, "keep {record}"),
            Resolution::Delete => write!(f, "delete"),
        }
    }
}

impl Resolution {
    /// The resolution that leaves `data` as it is.
    pub fn of(data: Option<Record>) -> Self {
        data.map_or(Resolution::Delete, Resolution::Keep)
    }
}

/// Which side did something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The phone (this device).
    Local,
    /// The laptop (the server's copy).
    Remote,
}

/// A conflict the merge reports (and resolved automatically).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Conflict {
    /// The guide's report: a type for the whole record (`updateConflict`, …).
    Record(&'static str),
    /// Both sides changed this field to different values; the later write was kept.
    Field {
        /// The field's name.
        field: &'static str,
        /// The phone's value.
        local: u8,
        /// The laptop's value.
        remote: u8,
        /// The value the merge kept.
        kept: u8,
    },
    /// One side deleted the record while the other edited it; the deletion won.
    DeleteVsEdit {
        /// Who deleted it.
        deleted_by: Side,
    },
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::Record(kind) => write!(f, "{kind}"),
            Conflict::Field {
                field,
                local,
                remote,
                kept,
            } => write!(f, "{field}: phone {local} vs laptop {remote}, kept {kept}"),
            Conflict::DeleteVsEdit { deleted_by } => write!(f, "delete vs edit ({deleted_by:?})"),
        }
    }
}

/// A merge's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// Keep what, or delete.
    pub resolution: Resolution,
    /// The merged record's version.
    pub version: u64,
    /// Every conflict found on the way (each one resolved, none silently).
    pub conflicts: Vec<Conflict>,
}

impl fmt::Display for Merged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.resolution {
            Resolution::Keep(record) => write!(f, "keep {record} as v{}", self.version)?,
            Resolution::Delete => write!(f, "delete as v{}", self.version)?,
        }
        if self.conflicts.is_empty() {
            return write!(f, ", no conflict");
        }
        let all: Vec<String> = self.conflicts.iter().map(ToString::to_string).collect();
        write!(f, ", reports [{}]", all.join("; "))
    }
}

/// The guide's `manualResolutionRequired`: the merge gave up and asks a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NeedsAPerson;

/// A sync's merge step: the base both sides started from, this device's copy, the server's.
pub trait Merge: Default {
    /// Merges `local` and `remote`, both edited from `base`.
    fn merge(
        &self,
        base: &Version,
        local: &Version,
        remote: &Version,
    ) -> Result<Merged, NeedsAPerson>;
}

/// What every merge must do. [`check`] tests one; the tests state each as a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Law {
    /// A field (or a deletion) changed by exactly one side keeps that change.
    OneSidedChangeIsKept,
    /// A field changed by both sides to different values is a reported conflict, and the later
    /// write wins — never silently dropped.
    BothSidedChangeIsReported,
    /// If one side did nothing, the result is the other side, and nothing is a conflict.
    FastForwardIsNoConflict,
    /// The merged version is above both, so every device sees it as newer than what it has —
    /// unless the merge takes the strictly newer copy as it is (content and version): then the
    /// other device sees that copy's number as newer, and idle devices mint no new versions.
    VersionMovesForward,
    /// Merging a copy with itself changes nothing.
    Idempotent,
    /// Which device calls itself local does not change the outcome.
    Commutative,
    /// Every sync is decided by the rules (conflicts resolved and reported): none waits for a
    /// person.
    Decides,
}

impl Law {
    /// Every law, in the order [`obeys_the_laws`] checks them.
    pub const ALL: [Law; 7] = [
        Law::OneSidedChangeIsKept,
        Law::BothSidedChangeIsReported,
        Law::FastForwardIsNoConflict,
        Law::VersionMovesForward,
        Law::Idempotent,
        Law::Commutative,
        Law::Decides,
    ];
}

impl fmt::Display for Law {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Law::OneSidedChangeIsKept => "a change made by one side is kept",
            Law::BothSidedChangeIsReported => "a change made by both sides is reported, later wins",
            Law::FastForwardIsNoConflict => "a fast-forward is never a conflict",
            Law::VersionMovesForward => "the merged version is above both, or the newer one's own",
            Law::Idempotent => "merging a copy with itself changes nothing",
            Law::Commutative => "swapping local and remote changes nothing",
            Law::Decides => "every sync is decided without a person",
        })
    }
}

fn merge<M: Merge>(base: &Version, local: &Version, remote: &Version) -> Result<Merged, String> {
    M::default()
        .merge(base, local, remote)
        .map_err(|NeedsAPerson| {
            format!(
                "asked a person to resolve v{} against v{}",
                local.version, remote.version
            )
        })
}

// ANCHOR: check
/// Checks one [`Law`] for merging `local` and `remote`, both edited from `base`.
pub fn check<M: Merge>(
    law: Law,
    base: &Version,
    local: &Version,
    remote: &Version,
) -> Result<(), String> {
    let merged = match merge::<M>(base, local, remote) {
        Ok(merged) => merged,
        Err(gave_up) if law == Law::Decides => return Err(gave_up),
        Err(_) => return Ok(()), // nothing decided: only `Law::Decides` has something to say
    };
    let name = |side| {
        if side == Side::Local {
            "phone"
        } else {
            "laptop"
        }
    };
    match law {
        Law::OneSidedChangeIsKept => {
            for (side, mine, other) in [(Side::Local, local, remote), (Side::Remote, remote, local)]
            {
                let me = name(side);
                match (base.data, mine.data, other.data, merged.resolution) {
                    (Some(_), None, Some(o), r)
                        if Some(o) == base.data && r != Resolution::Delete =>
                    {
                        return Err(format!("the {me}'s deletion was lost: {r}"));
                    }
                    (Some(b), Some(m), Some(o), Resolution::Keep(r)) => {
                        for (i, field) in FIELDS.iter().enumerate() {
                            let changed = m.0[i] != b.0[i] && o.0[i] == b.0[i];
                            if changed && r.0[i] != m.0[i] {
                                return Err(format!(
                                    "the {me}'s change to {field} ({} → {}) was lost",
                                    b.0[i], m.0[i]
                                ));
                            }
                        }
                    }
                    (Some(_), Some(m), Some(_), Resolution::Delete) if Some(m) != base.data => {
                        return Err(format!("the {me}'s edit was lost: delete"));
                    }
                    (None, Some(m), None, r) if r != Resolution::Keep(m) => {
                        return Err(format!("the record the {me} created was lost: {r}"));
                    }
                    _ => {}
                }
            }
        }
        Law::BothSidedChangeIsReported => {
            let reported = |field| {
                merged.conflicts.iter().any(|c| match c {
                    Conflict::Field { field: f, .. } => f == field,
                    _ => true,
                })
            };
            match (base.data, local.data, remote.data) {
                (Some(b), Some(l), Some(r)) => {
                    let later = if local.stamp > remote.stamp { l } else { r };
                    for (i, field) in FIELDS.iter().enumerate() {
                        if l.0[i] == b.0[i] || r.0[i] == b.0[i] || l.0[i] == r.0[i] {
                            continue;
                        }
                        if !reported(field) {
                            return Err(format!(
                                "both changed {field}, and no conflict was reported"
                            ));
                        }
                        let kept = match merged.resolution {
                            Resolution::Keep(m) => m.0[i],
                            Resolution::Delete => 0,
                        };
                        if kept != later.0[i] {
                            let (early, late) = if local.stamp > remote.stamp {
                                (remote.stamp, local.stamp)
                            } else {
                                (local.stamp, remote.stamp)
                            };
                            return Err(format!(
                                "{field}: the earlier write ({early}) beat the later ({late})"
                            ));
                        }
                    }
                }
                (Some(b), l, r) if l != r && (l.is_none() || r.is_none()) => {
                    let edited = l.is_some_and(|l| l != b) || r.is_some_and(|r| r != b);
                    if edited && merged.conflicts.is_empty() {
                        return Err("delete vs edit, and no conflict was reported".into());
                    }
                }
                _ => {}
            }
        }
        Law::FastForwardIsNoConflict => {
            // Idle, from the definition (not the merge's own test): no change since the base,
            // and no save since it either — the same content at no newer version.
            let idle = |v: &Version| v.data == base.data && v.version <= base.version;
            for (quiet, other, who) in [(local, remote, "laptop"), (remote, local, "phone")] {
                if idle(quiet) && !idle(other) {
                    let to = format!("a fast-forward to the {who}'s v{}", other.version);
                    if !merged.conflicts.is_empty() {
                        return Err(format!("{to} was reported as a conflict"));
                    }
                    if merged.resolution != Resolution::of(other.data) {
                        return Err(format!("{to} gave: {}", merged.resolution));
                    }
                }
            }
        }
        Law::VersionMovesForward => {
            let top = local.version.max(remote.version);
            // Taking the strictly newer side as it is (content and number) needs no new number.
            let adopts = |x: &Version, y: &Version| {
                x.version > y.version
                    && merged.version == x.version
                    && merged.resolution == Resolution::of(x.data)
            };
            if local != remote
                && merged.version <= top
                && !adopts(local, remote)
                && !adopts(remote, local)
            {
                return Err(format!(
                    "merging v{} and v{} gave v{}, not above both (nor the newer copy as it is)",
                    local.version, remote.version, merged.version
                ));
            }
        }
        Law::Idempotent => {
            for copy in [local, remote] {
                let again = merge::<M>(base, copy, copy)?;
                let want = Merged {
                    resolution: Resolution::of(copy.data),
                    version: copy.version,
                    conflicts: Vec::new(),
                };
                if again != want {
                    return Err(format!(
                        "merging v{} with itself gave: {again}",
                        copy.version
                    ));
                }
            }
        }
        Law::Decides => {}
        Law::Commutative => {
            let swapped = merge::<M>(base, remote, local)?;
            if swapped.resolution != merged.resolution || swapped.version != merged.version {
                return Err(format!(
                    "phone-local: {} v{}; laptop-local: {} v{}",
                    merged.resolution, merged.version, swapped.resolution, swapped.version
                ));
            }
        }
    }
    Ok(())
}
// ANCHOR_END: check

/// Every [`Law`], in order: the first one broken, if any.
pub fn obeys_the_laws<M: Merge>(
    base: &Version,
    local: &Version,
    remote: &Version,
) -> Result<(), String> {
    for law in Law::ALL {
        check::<M>(law, base, local, remote).map_err(|e| format!("{law}: {e}"))?;
    }
    Ok(())
}

/// A named sync: the base, the phone's copy and the laptop's.
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    /// What happened, in words.
    pub name: &'static str,
    /// What both started from.
    pub base: Version,
    /// The phone's copy.
    pub local: Version,
    /// The laptop's copy.
    pub remote: Version,
}

const fn v(data: Option<[u8; 3]>, version: u64, at: u64, device: u8) -> Version {
    let data = match data {
        Some(d) => Some(Record(d)),
        None => None,
    };
    Version {
        data,
        version,
        stamp: Stamp { at, device },
    }
}

const BASE: Version = v(Some([1, 1, 1]), 3, 0, PHONE);

/// The decision table's rows (the demo narrates the first four).
pub const SCENARIOS: [Scenario; 10] = [
    Scenario {
        name: "fast-forward: the laptop set the title, the phone did nothing",
        base: BASE,
        local: BASE,
        remote: v(Some([2, 1, 1]), 4, 10, LAPTOP),
    },
    Scenario {
        name: "the phone set the title, the laptop the body, one save each",
        base: BASE,
        local: v(Some([2, 1, 1]), 4, 10, PHONE),
        remote: v(Some([1, 3, 1]), 4, 20, LAPTOP),
    },
    Scenario {
        name: "both set the title, the phone later (t=20 vs t=10)",
        base: BASE,
        local: v(Some([2, 1, 1]), 4, 20, PHONE),
        remote: v(Some([3, 1, 1]), 5, 10, LAPTOP),
    },
    Scenario {
        name: "the laptop deleted it at v10, the phone set the title at v4",
        base: BASE,
        local: v(Some([2, 1, 1]), 4, 20, PHONE),
        remote: v(None, 10, 10, LAPTOP),
    },
    Scenario {
        name: "nobody did anything",
        base: BASE,
        local: BASE,
        remote: BASE,
    },
    Scenario {
        name: "the phone set the title, the laptop the body, two saves on the phone",
        base: BASE,
        local: v(Some([2, 1, 1]), 5, 10, PHONE),
        remote: v(Some([1, 3, 1]), 4, 20, LAPTOP),
    },
    Scenario {
        name: "both set the title at t=10: the device id breaks the tie",
        base: BASE,
        local: v(Some([2, 1, 1]), 4, 10, PHONE),
        remote: v(Some([3, 1, 1]), 4, 10, LAPTOP),
    },
    Scenario {
        name: "the laptop created it; the phone never had it",
        base: v(None, 0, 0, PHONE),
        local: v(None, 0, 0, PHONE),
        remote: v(Some([2, 1, 1]), 1, 10, LAPTOP),
    },
    Scenario {
        name: "the phone created it; the laptop's copy has no record (a stale v0 from t=5)",
        base: v(None, 0, 0, PHONE),
        local: v(Some([1, 2, 3]), 2, 20, PHONE),
        remote: v(None, 0, 5, LAPTOP),
    },
    Scenario {
        name: "both deleted it, at v4 and v5",
        base: BASE,
        local: v(None, 4, 10, PHONE),
        remote: v(None, 5, 20, LAPTOP),
    },
];

/// Every scenario through both twins, and the first law each result breaks: the decision table.
pub fn decision_table() -> String {
    let mut out = String::new();
    for s in &SCENARIOS {
        out.push_str(&format!(
            "{}\n  base {}\n  phone {}\n  laptop {}\n",
            s.name, s.base, s.local, s.remote
        ));
        for (twin, merged, laws) in [
            (
                "guide",
                merge::<broken::Merger>(&s.base, &s.local, &s.remote),
                obeys_the_laws::<broken::Merger>(&s.base, &s.local, &s.remote),
            ),
            (
                "fixed",
                merge::<fixed::Merger>(&s.base, &s.local, &s.remote),
                obeys_the_laws::<fixed::Merger>(&s.base, &s.local, &s.remote),
            ),
        ] {
            let merged = merged.map_or_else(|e| e, |m| m.to_string());
            let laws = laws
                .err()
                .map_or_else(String::new, |e| format!("\n      BREAKS {e}"));
            out.push_str(&format!("  {twin}: {merged}{laws}\n"));
        }
    }
    out
}

/// Narrates one scenario through twin `M`; returns the first law it breaks.
fn narrate<M: Merge>(s: &Scenario) -> Result<(), Law> {
    as_actor("phone", || say!("has {}", s.local));
    as_actor("laptop", || say!("has {}", s.remote));
    as_actor("sync", || {
        say!("merges from base {}", s.base);
        match M::default().merge(&s.base, &s.local, &s.remote) {
            Ok(merged) => say!("{merged}"),
            Err(NeedsAPerson) => say!("gives up: manual resolution required"),
        }
        for law in Law::ALL {
            if let Err(why) = check::<M>(law, &s.base, &s.local, &s.remote) {
                say!("breaks the law \"{law}\":");
                say!("  {why}");
                return Err(law);
            }
        }
        Ok(())
    })
}

/// Runs the demo's scenarios through one twin, one trace each.
pub fn run(variant: Variant) -> Vec<(&'static str, Result<(), Law>, Trace)> {
    SCENARIOS[..4]
        .iter()
        .map(|s| {
            let (outcome, trace) = traced(|_| match variant {
                Variant::Broken => narrate::<broken::Merger>(s),
                Variant::Fixed => narrate::<fixed::Merger>(s),
            });
            (s.name, outcome, trace)
        })
        .collect()
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P4",
    name: "conflict_resolution",
    summary: "two-way merge; Date() makes remote always win; merge three-way",
    run: demo,
};

/// The demo: four syncs, each merged and held to the laws.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let mut broken = Vec::new();
    for (name, outcome, trace) in run(variant) {
        report.heading(name);
        report.trace(&trace);
        if let Err(law) = outcome {
            broken.push(law);
        }
    }
    let bug = broken
        .first()
        .map(|law| format!("{} of 4 syncs broke a law, first \"{law}\"", broken.len()));
    report.conclude(bug, "all 4 syncs obeyed every law of the merge");
    report
}
