//! The council_member table: the members of the council, one list per mandate, in the order the
//! officer keeps them (the president and the bureau first). A session's members are those of
//! its mandate (`model::mandate_of`).

use super::Store;
use super::{history, new_uuid, record_from_row, touch};
use crate::calendar::now_stamp;
use crate::error::{Error, Result};
use crate::model::{mandate_of, Entity, MemberData, Record};
use rusqlite::{params, Connection, OptionalExtension};

fn insert_member(c: &Connection, d: &MemberData) -> Result<i64> {
    let now = now_stamp();
    let position: i64 = c.query_row(
        "SELECT coalesce(max(position), 0) + 1 FROM council_member WHERE mandate = ?1 AND deleted_at IS NULL",
        [d.mandate],
        |r| r.get(0),
    )?;
    c.execute(
        "INSERT INTO council_member(uuid, mandate, name_ar, name_fr, role, committee, position, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![new_uuid(), d.mandate, d.name_ar, d.name_fr, d.role, d.committee, position, now],
    )?;
    let id = c.last_insert_rowid();
    history::record_create(c, Entity::Member, id, d)?;
    Ok(id)
}

pub(crate) fn get_member(c: &Connection, id: i64) -> Result<Record<MemberData>> {
    c.prepare_cached("SELECT * FROM council_member WHERE id = ?1")?
        .query_row([id], member_from_row)
        .optional()?
        .ok_or(Error::NotFound { kind: "member", id })
}

fn member_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record<MemberData>> {
    let data = MemberData {
        mandate: r.get("mandate")?,
        name_ar: r.get("name_ar")?,
        name_fr: r.get("name_fr")?,
        role: r.get("role")?,
        committee: r.get("committee")?,
    };
    record_from_row(r, data)
}

fn update_member(c: &Connection, id: i64, d: &MemberData, expected: Option<&str>) -> Result<()> {
    let old = get_member(c, id)?;
    touch(c, Entity::Member, id, expected)?;
    c.execute(
        "UPDATE council_member SET mandate = ?2, name_ar = ?3, name_fr = ?4, role = ?5, committee = ?6 WHERE id = ?1",
        params![id, d.mandate, d.name_ar, d.name_fr, d.role, d.committee],
    )?;
    history::record_update(c, Entity::Member, id, &old.data, d)?;
    Ok(())
}

/// A member as another desk wrote it (`store::exchange`), at `position` in the mandate's list.
pub(crate) fn put_member(c: &Connection, id: Option<i64>, position: i64, d: &MemberData) -> Result<i64> {
    let id = match id {
        None => insert_member(c, d)?,
        Some(id) => {
            update_member(c, id, d, None)?;
            id
        }
    };
    c.execute("UPDATE council_member SET position = ?2 WHERE id = ?1", params![id, position])?;
    Ok(id)
}

pub(crate) fn member_position(c: &Connection, id: i64) -> Result<i64> {
    Ok(c.query_row("SELECT position FROM council_member WHERE id = ?1", [id], |r| r.get(0))?)
}

/// The live members of a mandate, in their order.
pub(crate) fn members_of_mandate(c: &Connection, mandate: i32) -> Result<Vec<Record<MemberData>>> {
    Ok(c.prepare_cached(
        "SELECT * FROM council_member WHERE mandate = ?1 AND deleted_at IS NULL ORDER BY position, uuid",
    )?
    .query_map([mandate], member_from_row)?
    .collect::<rusqlite::Result<_>>()?)
}

/// The mandates that have members.
pub(crate) fn mandates(c: &Connection) -> Result<Vec<i32>> {
    Ok(c.prepare_cached("SELECT DISTINCT mandate FROM council_member WHERE deleted_at IS NULL ORDER BY mandate")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The members of the mandate a session of `year`/`month` belongs to (empty when none recorded).
pub(crate) fn members_for(c: &Connection, year: i32, month: u32) -> Result<Vec<Record<MemberData>>> {
    match mandate_of(&mandates(c)?, year, month) {
        Some(m) => members_of_mandate(c, m),
        None => Ok(Vec::new()),
    }
}

/// The members in office for a session: as recorded on the session, else the count of its
/// mandate's members (None when neither is known).
pub(crate) fn in_office(c: &Connection, s: &crate::model::SessionData) -> Result<Option<u32>> {
    if s.members_in_office.is_some() {
        return Ok(s.members_in_office);
    }
    let n = members_for(c, s.year, s.month)?.len();
    Ok((n > 0).then_some(n as u32))
}

impl Store {
    pub fn add_member(&mut self, data: MemberData) -> Result<Record<MemberData>> {
        let data = data.validate()?;
        let id = self.write(|c| insert_member(c, &data))?;
        get_member(&self.conn, id)
    }

    pub fn update_member(
        &mut self,
        id: i64,
        data: MemberData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<MemberData>> {
        let data = data.validate()?;
        self.write(|c| update_member(c, id, &data, expected_updated_at))?;
        get_member(&self.conn, id)
    }

    pub fn get_member(&self, id: i64) -> Result<Record<MemberData>> {
        get_member(&self.conn, id)
    }

    /// The members of a mandate (the latest one when `mandate` is None).
    pub fn members(&self, mandate: Option<i32>) -> Result<Vec<Record<MemberData>>> {
        let mandate = match mandate {
            Some(m) => m,
            None => match mandates(&self.conn)?.last() {
                Some(m) => *m,
                None => return Ok(Vec::new()),
            },
        };
        members_of_mandate(&self.conn, mandate)
    }

    /// The members a session convenes: those of its mandate.
    pub fn members_of_session(&self, session_id: i64) -> Result<Vec<Record<MemberData>>> {
        let s = super::sessions::get_session(&self.conn, session_id)?.data;
        members_for(&self.conn, s.year, s.month)
    }
}
