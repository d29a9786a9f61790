//! The guide's `ConflictResolutionManager` (L6257–6407), ported. This version is problematic: a
//! **declared rewrite** separates it from [`super::fixed`].
//!
//! It merges two-way: only the two copies and their version numbers, never the base. Its
//! last-write-wins reads both timestamps from a clock at merge time, local first — the guide's
//! `Date()` — so the remote side always wins; deletion-wins returns an empty record; both sides
//! deleted at different versions asks a person.

use std::cell::Cell;

use super::{Conflict, Merged, NeedsAPerson, Record, Resolution, Version};

/// The guide's `ConflictType`.
#[expect(
    clippy::enum_variant_names,
    reason = "the guide's names: updateConflict, deleteConflict, …"
)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ConflictType {
    UpdateConflict,
    DeleteConflict,
    VersionConflict,
    MergeConflict,
}

/// The guide's `ConflictResolutionManager`, with its clock injected: every read is one tick
/// later than the last, as two calls to `Date()` are.
#[derive(Debug, Default)]
pub struct Merger {
    clock: Cell<u64>,
}

/// The guide's `ConflictResolution`: data (never "deleted") and a version.
struct ConflictResolution {
    resolved_data: Record,
    new_version: u64,
}

// ANCHOR: detect
/// `detectConflicts` (L6296–6318): two versions, no base.
fn detect_conflicts(local: &Version, remote: &Version) -> Option<ConflictType> {
    if local.version == remote.version {
        return None; // No conflict
    }
    match (local.data, remote.data) {
        (None, Some(_)) | (Some(_), None) => Some(ConflictType::DeleteConflict),
        (Some(_), Some(_)) if local.version > remote.version => Some(ConflictType::VersionConflict),
        (Some(_), Some(_)) => Some(ConflictType::UpdateConflict),
        (None, None) => Some(ConflictType::MergeConflict),
    }
}
// ANCHOR_END: detect

impl Merger {
    // ANCHOR: lww
    /// `LastWriteWinsStrategy` (L6331–6360).
    fn last_write_wins(&self, local: &Version, remote: &Version) -> ConflictResolution {
        let local_timestamp = self.get_timestamp(local.data);
        let remote_timestamp = self.get_timestamp(remote.data);
        if local_timestamp > remote_timestamp {
            ConflictResolution {
                resolved_data: local.data.unwrap_or(Record::EMPTY),
                new_version: local.version + 1,
            }
        } else {
            ConflictResolution {
                resolved_data: remote.data.unwrap_or(Record::EMPTY),
                new_version: remote.version + 1,
            }
        }
    }

    /// `getTimestamp(from:)`: "Extract timestamp from data" — returns `Date()`, the clock now.
    fn get_timestamp(&self, _data: Option<Record>) -> u64 {
        let now = self.clock.get() + 1;
        self.clock.set(now);
        now
    }
    // ANCHOR_END: lww
}

/// `DeletionWinsStrategy` (L6362–6379): `Data()` for "deleted".
fn deletion_wins(local: &Version, remote: &Version) -> ConflictResolution {
    if local.data.is_none() {
        ConflictResolution {
            resolved_data: Record::EMPTY,
            new_version: remote.version + 1,
        }
    } else {
        ConflictResolution {
            resolved_data: Record::EMPTY,
            new_version: local.version + 1,
        }
    }
}

/// `VersionBasedStrategy` (L6381–6393).
fn version_based(local: &Version, remote: &Version) -> ConflictResolution {
    let resolved = if local.version > remote.version {
        local.data
    } else {
        remote.data
    };
    ConflictResolution {
        resolved_data: resolved.unwrap_or(Record::EMPTY),
        new_version: local.version.max(remote.version) + 1,
    }
}

impl super::Merge for Merger {
    fn merge(
        &self,
        _base: &Version,
        local: &Version,
        remote: &Version,
    ) -> Result<Merged, NeedsAPerson> {
        let Some(kind) = detect_conflicts(local, remote) else {
            // No conflict detected: nothing to resolve, this device keeps its copy.
            return Ok(Merged {
                resolution: Resolution::of(local.data),
                version: local.version,
                conflicts: Vec::new(),
            });
        };
        let (resolution, name) = match kind {
            ConflictType::UpdateConflict => (self.last_write_wins(local, remote), "updateConflict"),
            ConflictType::DeleteConflict => (deletion_wins(local, remote), "deleteConflict"),
            ConflictType::VersionConflict => (version_based(local, remote), "versionConflict"),
            ConflictType::MergeConflict => return Err(NeedsAPerson), // ManualResolutionStrategy
        };
        Ok(Merged {
            resolution: Resolution::Keep(resolution.resolved_data),
            version: resolution.new_version,
            conflicts: vec![Conflict::Record(name)],
        })
    }
}
