//! The national registry: the council's records published to an existing PostgreSQL server, in
//! the schema `taawun_national` every council shares (docs/exchange.md).
//!
//! A publish reads what changed on the desk since the last publish to that server
//! (`Store::changes_since`), then, in one transaction on the server: brings the schema up to date
//! (its own migrations, under an advisory lock), copies the rows into temporary tables (`COPY`,
//! one round trip per table), refuses UUIDs another council published, and upserts by UUID only
//! the rows that differ. The desk's cursor moves once the server has committed: a connection cut
//! in the middle leaves nothing on the server and the cursor where it was.

mod tables;

use crate::error::{Error, Result, Rule};
use crate::model::agreement::direction;
use crate::store::Store;
use postgres::{Client, Config, NoTls, Transaction};
use serde::Serialize;
use std::io::Write;
use tables::{MIGRATIONS, TABLES};

/// The schema version this build writes.
pub fn supported_version() -> i32 {
    MIGRATIONS.len() as i32
}

/// The advisory lock every publish takes for the length of its transaction, so that two councils
/// publishing at once do not both migrate the schema.
const LOCK_KEY: i64 = 0x7461_6177_756e; // "taawun"

/// How a publish went, table by table.
#[derive(Clone, Debug, Serialize)]
pub struct Published {
    /// The server, as `user@host/database` (never the password).
    pub target: String,
    pub council: String,
    pub tables: Vec<TableCount>,
    /// The cursor kept for the next publish to this server.
    pub until: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TableCount {
    pub table: &'static str,
    /// Rows read on the desk (changed since the last publish).
    pub sent: usize,
    /// Rows the server did not have as they are (new, or changed).
    pub written: u64,
}

/// A step of a publish, for the caller to show progress (or, in tests, to cut the connection).
pub enum Step<'a> {
    Read { rows: usize },
    Copied { table: &'a str, rows: usize },
}

/// `user@host:port/database` of a PostgreSQL address: what names the server in the desk's
/// settings and in messages. The password is never part of it.
fn target_of(config: &Config) -> String {
    use postgres::config::Host;
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let port = config.get_ports().first().map(|p| format!(":{p}")).unwrap_or_default();
    format!(
        "{}@{}{port}/{}",
        config.get_user().unwrap_or_default(),
        hosts.join(","),
        config.get_dbname().unwrap_or_default()
    )
}

fn server_error(target: &str, e: postgres::Error) -> Error {
    let detail = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    };
    Error::Server { target: target.to_string(), detail }
}

/// One value in PostgreSQL's COPY text format: `\N` for NULL; backslash, tab, newline and
/// carriage return escaped.
fn copy_field(out: &mut Vec<u8>, value: Option<&str>) {
    let Some(value) = value else {
        out.extend_from_slice(b"\\N");
        return;
    };
    for b in value.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            other => out.push(other),
        }
    }
}

/// The setting keeping the cursor of the publishes to `target`.
fn cursor_key(target: &str) -> String {
    format!("publish.until.{target}")
}

/// Publishes what changed on the desk since the last publish to `url` (a `postgresql://`
/// address or `key=value` settings; the password, if not in it, from `PGPASSWORD`). `step`
/// hears of each step.
pub fn publish(store: &mut Store, url: &str, step: &mut dyn FnMut(Step)) -> Result<Published> {
    let mut config: Config = url.parse().map_err(|_| Error::invalid("server", Rule::BadAddress))?;
    if config.get_hosts().is_empty() {
        return Err(Error::invalid("server", Rule::BadAddress));
    }
    config.application_name("taawun-publish");
    // As libpq does: a password not in the address comes from the environment.
    if config.get_password().is_none() {
        if let Some(password) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty()) {
            config.password(password.to_string_lossy().as_bytes());
        }
    }
    let target = target_of(&config);
    let since = store.setting(&cursor_key(&target))?.unwrap_or_default();
    let queries: Vec<&str> = TABLES.iter().map(|t| t.local).collect();
    let mut changes = store.changes_since(&queries, &since)?;
    // The agreements' direction, from their parties' countries (read in its place).
    let (agreement, direction_column) = table_column("agreement", "direction");
    for row in changes.rows[agreement].iter_mut() {
        let countries = row[direction_column].take().unwrap_or_default();
        row[direction_column] =
            direction(countries.split(' ').filter(|c| !c.is_empty())).map(|d| d.as_str().to_string());
    }
    step(Step::Read { rows: changes.rows.iter().map(Vec::len).sum() });
    let council = store.council_identity()?;
    let name_ar = council.arabic.last().cloned().unwrap_or_default();
    let name_fr = council.french.last().cloned().unwrap_or_default();

    let mut client: Client = config.connect(NoTls).map_err(|e| server_error(&target, e))?;
    let counts = (|| -> std::result::Result<Vec<TableCount>, PublishError> {
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
        migrate(&mut tx)?;
        tx.execute(
            "INSERT INTO taawun_national.council (uuid, name_ar, name_fr) VALUES ($1::text::uuid, $2, $3)
             ON CONFLICT (uuid) DO UPDATE SET name_ar = excluded.name_ar, name_fr = excluded.name_fr, last_published_at = now()",
            &[&changes.council, &name_ar, &name_fr],
        )?;
        let mut counts = Vec::with_capacity(TABLES.len());
        for (table, rows) in TABLES.iter().zip(&changes.rows) {
            let written = if rows.is_empty() { 0 } else { upload(&mut tx, table, rows, &changes.council)? };
            step(Step::Copied { table: table.name, rows: rows.len() });
            counts.push(TableCount { table: table.name, sent: rows.len(), written });
        }
        tx.commit()?;
        Ok(counts)
    })()
    .map_err(|e| match e {
        PublishError::Server(e) => server_error(&target, e),
        PublishError::Refused(e) => e,
    })?;
    // The server has committed: the next publish starts from here.
    if changes.until != since {
        store.set_setting(&cursor_key(&target), &changes.until)?;
    }
    Ok(Published { target, council: changes.council, tables: counts, until: changes.until })
}

/// Where a column of a published table is.
fn table_column(table: &str, column: &str) -> (usize, usize) {
    let t = TABLES.iter().position(|t| t.name == table).expect("a published table");
    let c = TABLES[t].columns.iter().position(|c| *c == column).expect("a published column");
    (t, c)
}

/// What ends a publish early: the server, or a refusal of Taawun's own.
enum PublishError {
    Server(postgres::Error),
    Refused(Error),
}

impl From<postgres::Error> for PublishError {
    fn from(e: postgres::Error) -> Self {
        PublishError::Server(e)
    }
}

/// Brings the schema to this build's version, or refuses a newer one.
fn migrate(tx: &mut Transaction) -> std::result::Result<(), PublishError> {
    tx.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS taawun_national;
         CREATE TABLE IF NOT EXISTS taawun_national.schema_version (version int NOT NULL);",
    )?;
    let found: i32 = tx.query_one("SELECT coalesce(max(version), 0) FROM taawun_national.schema_version", &[])?.get(0);
    if found > supported_version() {
        return Err(PublishError::Refused(Error::ServerSchemaTooNew { found, supported: supported_version() }));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(sql)?;
        tx.execute("INSERT INTO taawun_national.schema_version (version) VALUES ($1)", &[&(i as i32 + 1)])?;
    }
    Ok(())
}

/// Copies `rows` of `table` into a temporary table and writes them into the national one;
/// returns how many rows the server did not have as they are.
fn upload(
    tx: &mut Transaction,
    table: &tables::Table,
    rows: &[Vec<Option<String>>],
    council: &str,
) -> std::result::Result<u64, PublishError> {
    let name = table.name;
    let columns = table.columns.join(", ");
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE stage_{name} ON COMMIT DROP AS SELECT {columns} FROM taawun_national.{name} WITH NO DATA"
    ))?;
    let mut writer = tx.copy_in(&format!("COPY stage_{name} ({columns}) FROM STDIN"))?;
    let mut line = Vec::with_capacity(256);
    for row in rows {
        line.clear();
        for (i, value) in row.iter().enumerate() {
            if i > 0 {
                line.push(b'\t');
            }
            copy_field(&mut line, value.as_deref());
        }
        line.push(b'\n');
        writer.write_all(&line).map_err(|e| PublishError::Refused(Error::from(e)))?;
    }
    writer.finish()?;
    if let Some((parent, column)) = table.parent {
        // A record's lists are replaced whole.
        tx.execute(
            &format!("DELETE FROM taawun_national.{name} WHERE {column} IN (SELECT uuid FROM stage_{parent})"),
            &[],
        )?;
        let written = tx.execute(
            &format!("INSERT INTO taawun_national.{name} ({columns}) SELECT {columns} FROM stage_{name}"),
            &[],
        )?;
        return Ok(written);
    }
    // A UUID published by another council: this desk holds another council's records.
    if let Some(row) = tx.query_opt(
        &format!(
            "SELECT s.uuid::text, c.name_fr FROM stage_{name} s JOIN taawun_national.{name} t ON t.uuid = s.uuid
             JOIN taawun_national.council c ON c.uuid = t.council WHERE t.council <> $1::text::uuid LIMIT 1"
        ),
        &[&council],
    )? {
        return Err(PublishError::Refused(Error::OtherCouncil { uuid: row.get(0), council: row.get(1) }));
    }
    let others: Vec<&str> = table.columns.iter().copied().filter(|c| *c != "uuid").collect();
    let set = others.iter().map(|c| format!("{c} = excluded.{c}")).collect::<Vec<_>>().join(", ");
    let mine = others.iter().map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", ");
    let theirs = others.iter().map(|c| format!("excluded.{c}")).collect::<Vec<_>>().join(", ");
    let written = tx.execute(
        &format!(
            "INSERT INTO taawun_national.{name} AS t (council, {columns}) SELECT $1::text::uuid, {columns} FROM stage_{name}
             ON CONFLICT (uuid) DO UPDATE SET {set}, published_at = now()
             WHERE t.council = excluded.council AND ({mine}) IS DISTINCT FROM ({theirs})"
        ),
        &[&council],
    )?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_would_end_a_field_or_a_row() {
        let mut out = Vec::new();
        copy_field(&mut out, Some("a\tb\nc\\d\re"));
        assert_eq!(out, b"a\\tb\\nc\\\\d\\re");
        out.clear();
        copy_field(&mut out, None);
        assert_eq!(out, b"\\N");
        out.clear();
        copy_field(&mut out, Some("\\N"));
        assert_eq!(out, b"\\\\N", "the text \\N is not NULL");
    }

    #[test]
    fn the_target_never_holds_the_password() {
        let config: Config = "postgresql://dgct:secret@registry.interieur.gov.ma:5433/national".parse().unwrap();
        assert_eq!(target_of(&config), "dgct@registry.interieur.gov.ma:5433/national");
        let config: Config = "host=/tmp/pg user=taawun dbname=national password=secret".parse().unwrap();
        assert_eq!(target_of(&config), "taawun@/tmp/pg/national");
    }

    #[test]
    fn every_published_column_is_read_on_the_desk() {
        let store = Store::open_in_memory().unwrap();
        for t in TABLES {
            let stmt = store.conn().prepare(t.local).unwrap_or_else(|e| panic!("{}: {e}", t.name));
            assert_eq!(stmt.column_count(), t.columns.len(), "{}", t.name);
            assert_eq!(stmt.parameter_count(), 1, "{}: the cursor only", t.name);
        }
    }
}
