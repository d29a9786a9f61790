//! R11's second lesson, fixed: a save checks the version its copy was read at.
//!
//! [`update_user`] saves only if the row still has the version the copy was read at, and bumps
//! it: application-level optimistic concurrency. A stale copy gets [`Conflict`] and the caller
//! re-reads and re-applies its change.

use rusqlite::{Connection, params};

use super::{Conflict, User};

// ANCHOR: update
/// Saves the caller's copy of `user` if nobody has saved it since the copy was read; otherwise
/// reports a [`Conflict`] and changes nothing.
pub fn update_user(context: &Connection, user: &User) -> rusqlite::Result<Result<(), Conflict>> {
    let saved = context.execute(
        "UPDATE users SET name = ?2, credits = ?3, version = version + 1 \
         WHERE id = ?1 AND version = ?4", // only the version the copy was read at
        params![user.id, user.name, user.credits, user.version],
    )?;
    Ok(if saved == 1 { Ok(()) } else { Err(Conflict) })
}
// ANCHOR_END: update
