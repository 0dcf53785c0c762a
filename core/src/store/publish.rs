//! What a publish to the national registry reads on the desk (see `crate::national`): the
//! council's UUID, and the rows of every published table changed since the last publish to a
//! given server, read under the write lock so that no change can slip under the new cursor.

use super::Store;
use crate::error::Result;
use rusqlite::types::ValueRef;

/// The rows of one table as text (`None`: NULL), in its columns' order.
pub type Rows = Vec<Vec<Option<String>>>;

/// What changed since a cursor: each query's rows, and the cursor to keep once they are published.
pub struct Changes {
    pub council: String,
    pub rows: Vec<Rows>,
    /// The newest `updated_at` read (the next publish asks for what is newer); unchanged when
    /// nothing was.
    pub until: String,
}

impl Store {
    /// Runs each of `queries` with `since` as `?1` (the record's `updated_at` must be newer),
    /// the council's UUID made first if the desk has none yet.
    pub fn changes_since(&mut self, queries: &[&str], since: &str) -> Result<Changes> {
        let changes = self.write(|c| {
            let council = super::setting_uuid(c, super::COUNCIL_UUID)?;
            let mut until = since.to_string();
            let mut rows = Vec::with_capacity(queries.len());
            for sql in queries {
                let mut stmt = c.prepare(sql)?;
                let columns = stmt.column_count();
                let updated_at = stmt.column_index("updated_at").ok();
                let mut out: Rows = Vec::new();
                let mut result = stmt.query([since])?;
                while let Some(r) = result.next()? {
                    let mut row = Vec::with_capacity(columns);
                    for i in 0..columns {
                        row.push(match r.get_ref(i)? {
                            ValueRef::Null => None,
                            ValueRef::Integer(n) => Some(n.to_string()),
                            ValueRef::Real(f) => Some(f.to_string()),
                            ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
                        });
                    }
                    if let Some(Some(at)) = updated_at.map(|i| &row[i]) {
                        if *at > until {
                            until = at.clone();
                        }
                    }
                    out.push(row);
                }
                rows.push(out);
            }
            // A change committed after this lock is released gets a later stamp than `until`.
            super::search::wait_past(&until);
            Ok(Changes { council, rows, until })
        })?;
        Ok(changes)
    }
}
