//! What several integration tests build the same way: the example session of the sample data,
//! voted, with every paper it prints; and a one-sitting session decided on a given day.
//! (Each test crate uses part of it.)
#![allow(dead_code)]

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::process::Command;
use taawun_core::model::{DeliberationData, Outcome, PointData, SessionData, SessionKind, Sitting};
use taawun_core::store::Store;

/// 1 June 2026, 09:00 UTC: papers printed with it (`SOURCE_DATE_EPOCH`) say they were printed
/// then, so the same data prints the same pages.
pub const PRINTED: &str = "1780304400";

/// `taawun-cli --db DB ARGS…`, which must succeed, under `source_date` (`SOURCE_DATE_EPOCH`)
/// when given; its standard output.
pub fn cli_at(db: &Path, args: &[&str], source_date: Option<&str>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_taawun-cli"));
    if let Some(epoch) = source_date {
        cmd.env("SOURCE_DATE_EPOCH", epoch);
    }
    let out = cmd.arg("--db").arg(db).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `taawun-cli --db DB ARGS…` today.
pub fn cli(db: &Path, args: &[&str]) -> String {
    cli_at(db, args, None)
}

/// A database in `dir` with the sample data and its June 2019 session voted: point 1 by 11 of
/// 11, point 2 by 21 for, 1 against and 2 abstentions of 24 present.
pub fn voted_sample(dir: &Path) -> PathBuf {
    let db = dir.join("t.db");
    cli(&db, &["sample"]);
    cli(&db, &["deliberate", "1", "--for", "11", "--present", "11", "--outcome", "approved"]);
    let second = ["deliberate", "2", "--for", "21", "--against", "1", "--abstain", "2", "--present", "24"];
    cli(&db, &[&second[..], &["--outcome", "approved"]].concat());
    db
}

/// Every paper of the voted sample session and the sample agreement's sheet: a name and the
/// CLI arguments that print it (`--lang` and `-o` to add).
pub const PAPERS: [(&str, &[&str]); 7] = [
    ("convocation", &["print", "convocation", "--session", "1"]),
    ("agenda", &["print", "agenda", "--session", "1"]),
    ("attendance", &["print", "attendance", "--session", "1"]),
    ("minutes", &["print", "minutes", "--session", "1"]),
    ("transmittal", &["print", "transmittal", "--session", "1"]),
    ("decision", &["print", "decision", "--session", "1", "--point", "2"]),
    ("sheet", &["sheet", "--agreement", "1"]),
];

/// Prints paper `args` of `db` in `lang` to `pdf`, under `source_date` when given.
pub fn print(db: &Path, args: &[&str], lang: &str, pdf: &Path, source_date: Option<&str>) {
    cli_at(db, &[args, &["--lang", lang, "-o", pdf.to_str().unwrap()]].concat(), source_date);
}

/// An extraordinary session of one sitting on `day` (20 of 31 members present), with one point
/// titled `title` approved by the 20 that day; its id.
pub fn decided_session(store: &mut Store, day: NaiveDate, number: u32, title: &str) -> i64 {
    use chrono::Datelike;
    let session = store
        .add_session(SessionData {
            kind: SessionKind::Extraordinary,
            year: day.year(),
            month: day.month(),
            number: Some(number),
            sittings: vec![Sitting { held_on: day.to_string(), present: Some(20), ..Sitting::default() }],
            members_in_office: Some(31),
            ..SessionData::default()
        })
        .unwrap()
        .id;
    let point = store.add_point(session, PointData { title: title.into(), ..PointData::default() }).unwrap().record.id;
    let vote = DeliberationData {
        decided_on: day.to_string(),
        members_present: 20,
        votes_for: 20,
        outcome: Outcome::Approved,
        ..DeliberationData::default()
    };
    store.deliberate(point, vote).unwrap();
    session
}
