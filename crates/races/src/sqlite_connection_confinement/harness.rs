//! R11's plumbing, not the lesson: a fresh database for each check, and a look at it afterwards on
//! a connection of the check's own.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::{create_schema, insert_user};

/// A fresh database file in a fresh temp dir, with the schema and, if given, one user.
pub(super) fn database(user: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("users.db");
    let context = Connection::open(&path).expect("create the database");
    create_schema(&context).expect("create the schema");
    if let Some(name) = user {
        insert_user(&context, name).expect("insert the user");
    }
    (dir, path)
}

/// The names in the `users` table, read on a connection of the check's own.
pub(super) fn names(path: &Path) -> Vec<String> {
    let context = Connection::open(path).expect("open the database");
    let mut query = context
        .prepare("SELECT name FROM users ORDER BY id")
        .expect("prepare");
    query
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("read the names")
}
