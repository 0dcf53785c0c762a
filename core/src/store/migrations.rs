//! The schema, as numbered, append-only migrations.
//!
//! `PRAGMA user_version` records how many migrations a database has. A released migration is
//! never edited: a change to the schema is a new entry at the end. A database whose version is
//! higher than `MIGRATIONS.len()` was written by a newer Taawun and is refused untouched.

use crate::error::{Error, Result};
use rusqlite::Connection;

pub const MIGRATIONS: &[&str] = &[
    // 1: the first slice: partners, agreements, projects, memberships, history, settings.
    r#"
CREATE TABLE partner (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name_ar TEXT NOT NULL DEFAULT '',
    name_latin TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    is_sample INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE partner_contact (
    partner_id INTEGER NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (partner_id, position)
);
CREATE TABLE agreement (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    title_ar TEXT NOT NULL DEFAULT '',
    title_fr TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    signed_on TEXT NOT NULL DEFAULT '',
    signed_at TEXT NOT NULL DEFAULT '',
    effective_from TEXT NOT NULL DEFAULT '',
    duration_months INTEGER,
    end_on TEXT NOT NULL DEFAULT '',
    expires_on TEXT,
    tacit_renewal INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'draft',
    status_on TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    is_sample INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE agreement_party (
    agreement_id INTEGER NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
    partner_id INTEGER NOT NULL REFERENCES partner(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (agreement_id, partner_id)
);
CREATE INDEX agreement_party_partner ON agreement_party(partner_id);
CREATE TABLE agreement_area (
    agreement_id INTEGER NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    area TEXT NOT NULL,
    PRIMARY KEY (agreement_id, position)
);
CREATE TABLE agreement_status (
    id INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    on_date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX agreement_status_agreement ON agreement_status(agreement_id, id);
CREATE TABLE project (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    agreement_id INTEGER NOT NULL REFERENCES agreement(id),
    title_ar TEXT NOT NULL DEFAULT '',
    title_fr TEXT NOT NULL DEFAULT '',
    fund TEXT NOT NULL DEFAULT '',
    fund_edition TEXT NOT NULL DEFAULT '',
    tranche TEXT NOT NULL DEFAULT '',
    start_on TEXT NOT NULL DEFAULT '',
    end_on TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    beneficiaries TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    is_sample INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE project_body (
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (project_id, position)
);
CREATE TABLE budget_line (
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    partner_id INTEGER REFERENCES partner(id),
    label TEXT NOT NULL DEFAULT '',
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency TEXT NOT NULL,
    PRIMARY KEY (project_id, position)
);
CREATE INDEX budget_line_partner ON budget_line(partner_id);
CREATE TABLE project_activity (
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    start_on TEXT NOT NULL DEFAULT '',
    end_on TEXT NOT NULL DEFAULT '',
    people_trained INTEGER,
    notes TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, position)
);
CREATE TABLE membership (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    partner_id INTEGER NOT NULL REFERENCES partner(id),
    since TEXT NOT NULL,
    dues_minor INTEGER CHECK (dues_minor IS NULL OR dues_minor >= 0),
    dues_currency TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    is_sample INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX history_entity ON history(entity, entity_id, id);
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    // 2: indexes that keep sorted, filtered pages fast on 100,000 rows; the signing year.
    r#"
ALTER TABLE agreement ADD COLUMN signed_year INTEGER GENERATED ALWAYS AS (CAST(substr(signed_on, 1, 4) AS INTEGER)) VIRTUAL;
CREATE INDEX agreement_live_signed ON agreement(signed_on, id) WHERE deleted_at IS NULL;
CREATE INDEX agreement_live_updated ON agreement(updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX agreement_live_title ON agreement(title_ar, id) WHERE deleted_at IS NULL;
CREATE INDEX agreement_live_status ON agreement(status, signed_on, id) WHERE deleted_at IS NULL;
CREATE INDEX agreement_live_kind ON agreement(kind, signed_on, id) WHERE deleted_at IS NULL;
CREATE INDEX agreement_live_year ON agreement(signed_year, signed_on, id) WHERE deleted_at IS NULL;
CREATE INDEX agreement_live_expires ON agreement(expires_on) WHERE deleted_at IS NULL;
CREATE INDEX partner_live_name ON partner(name_latin, id) WHERE deleted_at IS NULL;
CREATE INDEX partner_live_name_ar ON partner(name_ar, id) WHERE deleted_at IS NULL;
CREATE INDEX partner_live_country ON partner(country, name_latin, id) WHERE deleted_at IS NULL;
CREATE INDEX project_agreement ON project(agreement_id);
CREATE INDEX membership_partner ON membership(partner_id);
"#,
    // 3: counting agreements by country starts from the country's partners.
    r#"
CREATE INDEX partner_country ON partner(country);
"#,
    // 4: documents kept in the vault and attached to records.
    r#"
CREATE TABLE document (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    size INTEGER NOT NULL CHECK (size > 0),
    media_type TEXT NOT NULL,
    original_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    signed_on TEXT NOT NULL DEFAULT '',
    signatories TEXT NOT NULL DEFAULT '',
    page_count INTEGER,
    warnings TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    is_sample INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX document_attached ON document(entity, entity_id) WHERE deleted_at IS NULL;
CREATE INDEX document_sha256 ON document(sha256);
"#,
    // 5: council sessions, agenda points, deliberations and what follows them.
    r#"
CREATE TABLE session (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    number INTEGER,
    convocation_on TEXT NOT NULL DEFAULT '',
    members_in_office INTEGER,
    notified_on TEXT NOT NULL DEFAULT '',
    receipt_on TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    is_sample INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE TABLE session_sitting (
    session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    held_on TEXT NOT NULL,
    time TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, position)
);
CREATE INDEX session_sitting_day ON session_sitting(held_on);
CREATE INDEX session_year ON session(year, month) WHERE deleted_at IS NULL;
CREATE TABLE agenda_point (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    session_id INTEGER NOT NULL REFERENCES session(id),
    position INTEGER NOT NULL,
    subject_kind TEXT,
    subject_id INTEGER,
    title TEXT NOT NULL DEFAULT '',
    rapporteur TEXT NOT NULL DEFAULT '',
    note_ar TEXT NOT NULL DEFAULT '',
    note_fr TEXT NOT NULL DEFAULT '',
    reexamines INTEGER REFERENCES agenda_point(id),
    is_sample INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX agenda_point_session ON agenda_point(session_id, position) WHERE deleted_at IS NULL;
CREATE INDEX agenda_point_subject ON agenda_point(subject_kind, subject_id) WHERE deleted_at IS NULL;
CREATE INDEX agenda_point_reexamines ON agenda_point(reexamines) WHERE reexamines IS NOT NULL;
CREATE TABLE deliberation (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    point_id INTEGER NOT NULL UNIQUE REFERENCES agenda_point(id),
    number TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    members_present INTEGER NOT NULL,
    votes_for INTEGER NOT NULL,
    votes_against INTEGER NOT NULL,
    abstentions INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    decision_text TEXT NOT NULL DEFAULT '',
    opposition_on TEXT NOT NULL DEFAULT '',
    opposition_reason TEXT NOT NULL DEFAULT '',
    visa_status TEXT NOT NULL DEFAULT 'not_required',
    visa_on TEXT NOT NULL DEFAULT '',
    visa_reference TEXT NOT NULL DEFAULT '',
    is_sample INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX deliberation_number ON deliberation(number) WHERE deleted_at IS NULL;
CREATE INDEX deliberation_visa ON deliberation(visa_status) WHERE deleted_at IS NULL;
CREATE INDEX deliberation_decided ON deliberation(decided_on);
CREATE INDEX deliberation_opposition ON deliberation(opposition_on) WHERE opposition_on <> '' AND deleted_at IS NULL;
"#,
    // 6: the search index (folded keys, see crate::search), kept up to date from updated_at.
    r#"
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED, ref_id UNINDEXED, label UNINDEXED, detail UNINDEXED, country UNINDEXED,
    status UNINDEXED, year UNINDEXED, open_kind UNINDEXED, open_id UNINDEXED, key,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4'
);
CREATE TABLE search_state (kind TEXT PRIMARY KEY, indexed_until TEXT NOT NULL);
CREATE INDEX partner_updated ON partner(updated_at);
CREATE INDEX agreement_updated ON agreement(updated_at);
CREATE INDEX project_updated ON project(updated_at);
CREATE INDEX membership_updated ON membership(updated_at);
CREATE INDEX session_updated ON session(updated_at);
CREATE INDEX agenda_point_updated ON agenda_point(updated_at);
CREATE INDEX deliberation_updated ON deliberation(updated_at);
CREATE INDEX document_updated ON document(updated_at);
"#,
    // A partner's acronym or short name («CGLUA»), searched and matched on import.
    "ALTER TABLE partner ADD COLUMN short_name TEXT NOT NULL DEFAULT '';",
    // The session's steps under Organic Law 112-14 (arts. 35–43, 68, 217), the president's vote
    // on a tie (art. 44), and the members of the council per mandate.
    r#"
ALTER TABLE session ADD COLUMN requested_by TEXT NOT NULL DEFAULT 'president';
ALTER TABLE session ADD COLUMN requested_on TEXT NOT NULL DEFAULT '';
ALTER TABLE session ADD COLUMN agenda_sent_on TEXT NOT NULL DEFAULT '';
ALTER TABLE session ADD COLUMN agenda_received_on TEXT NOT NULL DEFAULT '';
ALTER TABLE session ADD COLUMN extension_days INTEGER;
ALTER TABLE session ADD COLUMN attendance_sent_on TEXT NOT NULL DEFAULT '';
ALTER TABLE session ADD COLUMN minutes_to_members_on TEXT NOT NULL DEFAULT '';
ALTER TABLE session ADD COLUMN decisions_posted_on TEXT NOT NULL DEFAULT '';
ALTER TABLE session ADD COLUMN minutes_opening TEXT NOT NULL DEFAULT '';
ALTER TABLE session ADD COLUMN minutes_closing TEXT NOT NULL DEFAULT '';
ALTER TABLE session_sitting ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE session_sitting ADD COLUMN present INTEGER;
ALTER TABLE deliberation ADD COLUMN president_vote TEXT NOT NULL DEFAULT 'not_recorded';
CREATE TABLE council_member (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    mandate INTEGER NOT NULL,
    name_ar TEXT NOT NULL DEFAULT '',
    name_fr TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT 'member',
    committee TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    is_sample INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX council_member_mandate ON council_member(mandate, position) WHERE deleted_at IS NULL;
CREATE INDEX council_member_updated ON council_member(updated_at);
"#,
    // The search index with FTS5's prefix index for two letters only: the indexes for 3 and 4
    // letters doubled its writing time (120,000 keys: 2.3 s against 1.2 s) for prefixes narrow
    // enough to answer in milliseconds without them; two letters typed match too many words to
    // go without (the 99th percentile of search-as-you-type 17 -> 12 ms). The rows are copied
    // over, not rebuilt from the records.
    r#"
CREATE VIRTUAL TABLE search_index_v2 USING fts5(
    kind UNINDEXED, ref_id UNINDEXED, label UNINDEXED, detail UNINDEXED, country UNINDEXED,
    status UNINDEXED, year UNINDEXED, open_kind UNINDEXED, open_id UNINDEXED, key,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2'
);
INSERT INTO search_index_v2(rowid, kind, ref_id, label, detail, country, status, year, open_kind, open_id, key)
    SELECT rowid, kind, ref_id, label, detail, country, status, year, open_kind, open_id, key FROM search_index;
DROP TABLE search_index;
ALTER TABLE search_index_v2 RENAME TO search_index;
"#,
    // The search index without a copy of its keys: FTS5 "contentless" (`content=''`), keeping
    // only what a hit shows and filters on (`contentless_unindexed`), rows deleted by rowid
    // (`contentless_delete`); created under its final name (FTS5 does not rename a contentless
    // table's copy of its shown columns). The keys are made from the records again whenever they change, so
    // nothing read them back; writing them twice (index and copy) was a third of the index's
    // bytes (an import of 100,000 agreements: 186 MB of database, 34 MB of it the copy).
    r#"
ALTER TABLE search_index RENAME TO search_index_v2;
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED, ref_id UNINDEXED, label UNINDEXED, detail UNINDEXED, country UNINDEXED,
    status UNINDEXED, year UNINDEXED, open_kind UNINDEXED, open_id UNINDEXED, key,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2',
    content = '', contentless_delete = 1, contentless_unindexed = 1
);
INSERT INTO search_index(rowid, kind, ref_id, label, detail, country, status, year, open_kind, open_id, key)
    SELECT rowid, kind, ref_id, label, detail, country, status, year, open_kind, open_id, key FROM search_index_v2;
DROP TABLE search_index_v2;
"#,
    // Desk-to-desk exchange (docs/exchange.md): each exchanged record's fields as last exchanged
    // (what tells a local edit) with their version clocks (a count of writes per desk), the files
    // already sent to each desk bundles are made for, and the conflicts waiting for the user.
    r#"
CREATE TABLE exchange_shadow (
    entity TEXT NOT NULL,
    uuid TEXT NOT NULL,
    fields TEXT NOT NULL,
    clocks TEXT NOT NULL,
    PRIMARY KEY (entity, uuid)
) WITHOUT ROWID;
CREATE TABLE exchange_sent_file (
    desk TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (desk, sha256)
) WITHOUT ROWID;
CREATE TABLE exchange_conflict (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    uuid TEXT NOT NULL,
    field TEXT NOT NULL,
    local_value TEXT NOT NULL,
    remote_value TEXT NOT NULL,
    remote_clock TEXT NOT NULL,
    remote_desk TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (entity, uuid, field)
);
"#,
    // 12: deliberation numbers are kept unique by Taawun's own writes (`number_taken`), no longer
    // by an index: two desks numbering concurrently can give one number twice, and a bundle must
    // then be applied with both kept and the clash shown to the user (docs/exchange.md), not
    // refused.
    r#"
DROP INDEX deliberation_number;
CREATE INDEX deliberation_number ON deliberation(number) WHERE deleted_at IS NULL;
"#,
    // 13: the figures (store::figures) count agreements by year, status and kind in one pass over
    // one index, and find the few deleted agreements without reading the others.
    r#"
CREATE INDEX agreement_live_year_status ON agreement(signed_year, status, kind) WHERE deleted_at IS NULL;
CREATE INDEX agreement_deleted ON agreement(id) WHERE deleted_at IS NOT NULL;
"#,
    // 14: the search index tokenized by FTS5's `ascii` tokenizer: its keys are folded already
    // (crate::search: lower case, single spaces, letters and digits only), so `unicode61`'s
    // Unicode look-ups split them the same way at a fifth of building the index; and a larger
    // buffer of pending terms ('hashsize': 16 MB, 1 MB by default) before each flush to disk, so a
    // first build writes fewer segments to merge (a first build of 120,000 records in `callgrind`:
    // 19.0 G instructions with 1 MB, 15.2 with 8 MB, 13.9 with 32 MB). Made again from the records by the next search (a
    // contentless index has no keys to copy). SQLite 3.54 leaves a contentless_unindexed table's
    // `_content` behind when it drops the table: dropped by hand.
    r#"
DROP TABLE search_index;
DROP TABLE IF EXISTS search_index_content;
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED, ref_id UNINDEXED, label UNINDEXED, detail UNINDEXED, country UNINDEXED,
    status UNINDEXED, year UNINDEXED, open_kind UNINDEXED, open_id UNINDEXED, key,
    tokenize = 'ascii', prefix = '2',
    content = '', contentless_delete = 1, contentless_unindexed = 1
);
INSERT INTO search_index(search_index, rank) VALUES ('hashsize', 16777216);
DELETE FROM search_state;
"#,
    // 15: records imported as they are (model::to_complete): the fields each still lacks, and
    // the few such records found without reading the others (the home count, the lists' filter).
    r#"
ALTER TABLE agreement ADD COLUMN to_complete TEXT NOT NULL DEFAULT '';
ALTER TABLE project ADD COLUMN to_complete TEXT NOT NULL DEFAULT '';
ALTER TABLE membership ADD COLUMN to_complete TEXT NOT NULL DEFAULT '';
CREATE INDEX agreement_to_complete ON agreement(id) WHERE to_complete <> '' AND deleted_at IS NULL;
CREATE INDEX project_to_complete ON project(id) WHERE to_complete <> '' AND deleted_at IS NULL;
CREATE INDEX membership_to_complete ON membership(id) WHERE to_complete <> '' AND deleted_at IS NULL;
"#,
    // 16: agreements and projects sort by title with their numbers in numeric order, by the
    // title each language shows (crate::text::title_sort_keys, written with the titles; filled
    // here by the same rule, text::shown_title_key, registered on the migrating connection).
    r#"
ALTER TABLE agreement ADD COLUMN sort_ar TEXT NOT NULL DEFAULT '';
ALTER TABLE agreement ADD COLUMN sort_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE project ADD COLUMN sort_ar TEXT NOT NULL DEFAULT '';
ALTER TABLE project ADD COLUMN sort_fr TEXT NOT NULL DEFAULT '';
UPDATE agreement SET sort_ar = taawun_title_key(title_ar, title_fr), sort_fr = taawun_title_key(title_fr, title_ar);
UPDATE project SET sort_ar = taawun_title_key(title_ar, title_fr), sort_fr = taawun_title_key(title_fr, title_ar);
CREATE INDEX agreement_live_sort_ar ON agreement(sort_ar, id) WHERE deleted_at IS NULL;
CREATE INDEX agreement_live_sort_fr ON agreement(sort_fr, id) WHERE deleted_at IS NULL;
CREATE INDEX project_live_sort_ar ON project(sort_ar, id) WHERE deleted_at IS NULL;
CREATE INDEX project_live_sort_fr ON project(sort_fr, id) WHERE deleted_at IS NULL;
"#,
];

/// The schema version this build writes.
pub fn supported_version() -> i64 {
    MIGRATIONS.len() as i64
}

pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuses a database written by a newer Taawun, before anything touches it.
pub fn check_version(conn: &Connection) -> Result<()> {
    let found = version(conn)?;
    if found > supported_version() {
        return Err(Error::SchemaTooNew { found, supported: supported_version() });
    }
    Ok(())
}

/// Applies the missing migrations, each in its own transaction with its version number.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, supported_version())
}

/// Applies migrations up to `target` (tests make fixtures at older versions with it).
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    check_version(conn)?;
    let current = version(conn)?;
    // Migration 16 fills the title sort keys with the function the writes use.
    conn.create_scalar_function(
        "taawun_title_key",
        2,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8 | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(crate::text::shown_title_key(&ctx.get::<String>(0)?, &ctx.get::<String>(1)?)),
    )?;
    for (i, sql) in MIGRATIONS.iter().enumerate().take(target as usize).skip(current as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
        // Another process may have migrated while we waited for the lock.
        if version(&tx)? > i as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", super::APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_applies_in_order() {
        let mut c = Connection::open_in_memory().unwrap();
        for v in 1..=supported_version() {
            migrate_to(&mut c, v).unwrap();
            assert_eq!(version(&c).unwrap(), v);
        }
        c.execute_batch("PRAGMA foreign_key_check; PRAGMA integrity_check;").unwrap();
    }

    #[test]
    fn a_newer_database_is_refused_untouched() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "user_version", supported_version() + 1).unwrap();
        let e = migrate(&mut c).unwrap_err();
        assert_eq!(e.code(), "schema_too_new");
        assert_eq!(version(&c).unwrap(), supported_version() + 1);
        let tables: i64 = c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).unwrap();
        assert_eq!(tables, 0);
    }
}
