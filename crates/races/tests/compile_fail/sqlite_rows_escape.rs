//! R11: "pass object IDs, not objects" (L5001, L5007), which the guide's own `fetch` breaks
//! (L5093-5096). A row borrowed from a statement lives only as long as the statement: handing the
//! row itself to the caller is rejected (E0515). Copy the values out — an ID, a plain struct.
use rusqlite::{Connection, Row};

fn fetch_first_user(context: &Connection) -> rusqlite::Result<&Row<'_>> {
    let mut request = context.prepare("SELECT id, name FROM users ORDER BY id")?;
    let mut rows = request.query([])?;
    rows.next()?.ok_or(rusqlite::Error::QueryReturnedNoRows)
}

fn main() {
    let context = Connection::open_in_memory().unwrap();
    let _user = fetch_first_user(&context);
}
