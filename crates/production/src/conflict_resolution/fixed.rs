//! A three-way merge: a **declared rewrite** of [`super::broken`]. The key lines: `merge_fields`
//! (each field against the base: changed by one side → that change; by both → a reported
//! conflict, the later [`Stamp`](super::Stamp) wins) and the deletion arms of `merge` (deleted
//! by both → deleted; deleted by one, untouched by the other → deleted; deleted by one, edited by
//! the other → deleted, and reported). The new version is above both.

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
            (None, other) => deleted(Side::Local, other),
            (other, None) => deleted(Side::Remote, other),
            (Some(l), Some(r)) => {
                // No common ancestor (created on both sides): every differing field conflicts.
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
