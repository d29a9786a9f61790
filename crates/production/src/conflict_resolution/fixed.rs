//! A three-way merge: a **declared rewrite** of [`super::broken`]. The key lines: `merge_fields`
//! (each field against the base: changed by one side → that change; by both → a reported
//! conflict, the later [`Stamp`](super::Stamp) wins) and the deletion arms of `merge` (deleted
//! by both → deleted; deleted by one, untouched by the other → deleted; deleted by one, edited by
//! the other → deleted, and reported; a record absent at the base and created on one side →
//! kept). A fast-forward (one side did nothing, the other is at a strictly newer version)
//! adopts the other side's copy and its version; any other merge gets a new version above both.

use super::{Conflict, FIELDS, Merged, NeedsAPerson, Record, Resolution, Side, Version};

/// The merge step; it needs no clock: each copy carries the stamp of its own last save.
#[derive(Debug, Default)]
pub struct Merger;

// ANCHOR: fields
/// Field by field against the base: whoever changed a field keeps the change; if both changed it
/// differently, the later save wins and the conflict is reported.
fn merge_fields(
    base: Record,
    local: &Version,
    (l, r): (Record, Record),
    remote: &Version,
) -> (Record, Vec<Conflict>) {
    let mut merged = base;
    let mut conflicts = Vec::new();
    for (i, field) in FIELDS.iter().enumerate() {
        let (b, lv, rv) = (base.0[i], l.0[i], r.0[i]);
        merged.0[i] = if lv == rv || rv == b {
            lv
        } else if lv == b {
            rv
        } else {
            let kept = if local.stamp > remote.stamp { lv } else { rv };
            conflicts.push(Conflict::Field {
                field,
                local: lv,
                remote: rv,
                kept,
            });
            kept
        };
    }
    (merged, conflicts)
}
// ANCHOR_END: fields

impl super::Merge for Merger {
    // ANCHOR: merge
    fn merge(
        &self,
        base: &Version,
        local: &Version,
        remote: &Version,
    ) -> Result<Merged, NeedsAPerson> {
        if local == remote {
            return Ok(Merged {
                resolution: Resolution::of(local.data),
                version: local.version,
                conflicts: Vec::new(),
            });
        }
        // A fast-forward: one side did nothing since the base, so the other side's copy is the
        // result as it is — its content *and* its version (a new number here would make two idle
        // devices mint v5, v6, v7… pushing the same content back and forth). Only if that version
        // is strictly newer: a side that created the record and deleted it again before syncing
        // has no record, as at the base, but a higher version, and adopting the other copy's
        // lower number would move the version backwards.
        for (idle, other) in [(local, remote), (remote, local)] {
            if untouched(base, idle) && !untouched(base, other) && other.version > idle.version {
                return Ok(Merged {
                    resolution: Resolution::of(other.data),
                    version: other.version,
                    conflicts: Vec::new(),
                });
            }
        }
        let version = local.version.max(remote.version) + 1;
        let deleted = |by, other: Option<Record>| {
            let edited = other != base.data;
            let conflicts = if edited {
                vec![Conflict::DeleteVsEdit { deleted_by: by }]
            } else {
                Vec::new()
            };
            (Resolution::Delete, conflicts)
        };
        let (resolution, conflicts) = match (local.data, remote.data) {
            (None, None) => (Resolution::Delete, Vec::new()),
            // No record at the base: a side without one did nothing, the other created it.
            (None, created) | (created, None) if base.data.is_none() => {
                (Resolution::of(created), Vec::new())
            }
            (None, other) => deleted(Side::Local, other),
            (other, None) => deleted(Side::Remote, other),
            (Some(l), Some(r)) => {
                // No common ancestor (created on both sides): the base is all zeros, so every
                // field both set differently conflicts (0 counts as unset: a side that set a
                // field to 0 counts as unchanged, and the other side's value wins unreported).
                let b = base.data.unwrap_or(Record::EMPTY);
                let (merged, conflicts) = merge_fields(b, local, (l, r), remote);
                (Resolution::Keep(merged), conflicts)
            }
        };
        Ok(Merged {
            resolution,
            version,
            conflicts,
        })
    }
    // ANCHOR_END: merge
}

/// Whether `side` did nothing since `base`: the same copy, or — when the record did not exist at
/// the base — still no record.
fn untouched(base: &Version, side: &Version) -> bool {
    side == base || (base.data.is_none() && side.data.is_none())
}
