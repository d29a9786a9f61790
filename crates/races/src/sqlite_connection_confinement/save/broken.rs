//! R11's second lesson, broken: a save overwrites blindly.
//!
//! This version is problematic.
//!
//! [`update_user`] is the guide's `updateUser(_:with:)` (L5129–5139): it writes back the caller's
//! copy of a user, whatever has been saved since that copy was read — a lost update. Core Data's
//! merge policies never see it: every update runs on the one background context, which fetches the
//! current row each time; the stale value comes from the *caller*, who computed it from a copy
//! read before another update was saved.

use rusqlite::{Connection, params};

use super::{Conflict, User};

// ANCHOR: update
/// Saves the caller's copy of `user`. Never reports a conflict: whatever was saved since the copy
/// was read is overwritten.
pub fn update_user(context: &Connection, user: &User) -> rusqlite::Result<Result<(), Conflict>> {
    context.execute(
        "UPDATE users SET name = ?2, credits = ?3 WHERE id = ?1",
        params![user.id, user.name, user.credits],
    )?;
    Ok(Ok(()))
}
// ANCHOR_END: update
