//! The CLI twin, run as a process on temp databases: flags before the subcommand, JSON with
//! `id` and `uuid`, exit codes, one translated line on error.

use std::process::{Command, Output};

fn cli(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taawun-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TAAWUN_DB")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn add_list_show_history_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = cli(
        &db,
        &["--json", "add", "partner", "--name-ar", "جماعة داكار", "--name-latin", "Ville de Dakar", "--country", "SN"],
    );
    assert!(o.status.success(), "{o:?}");
    let p: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(p["id"].as_i64().unwrap() > 0);
    assert_eq!(p["uuid"].as_str().unwrap().len(), 36);
    let pid = p["id"].to_string();
    let o = cli(
        &db,
        &[
            "--json",
            "add",
            "agreement",
            "--type",
            "twinning",
            "--title-ar",
            "اتفاقية توأمة",
            "--party",
            &pid,
            "--signed-on",
            "25/04/2018",
            "--duration-months",
            "36",
        ],
    );
    assert!(o.status.success(), "{o:?}");
    let o = cli(&db, &["--json", "list", "agreements", "--country", "SN"]);
    let page: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["signed_on"], "2018-04-25");
    assert_eq!(page["items"][0]["expires_on"], "2021-04-24");
    assert_eq!(page["items"][0]["direction"], "south_south");
    let aid = page["items"][0]["id"].to_string();
    let o = cli(&db, &["--json", "status", &aid, "signed", "--on", "2018-04-25"]);
    assert!(o.status.success(), "{o:?}");
    let o = cli(&db, &["--json", "history", "agreement", &aid]);
    let h: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(h[0]["action"], "status");
    assert_eq!(h[0]["new_value"], "signed");
    let o = cli(&db, &["--lang", "fr", "show", "agreement", &aid]);
    assert!(stdout(&o).contains("Signée"), "{}", stdout(&o));
}

#[test]
fn errors_are_one_translated_line_and_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = cli(&db, &["--lang", "ar", "add", "partner", "--name-ar", "x", "--country", "ZZ"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("البلد"), "{err}");
    let o = cli(
        &db,
        &["--lang", "en", "--json", "add", "agreement", "--title-ar", "t", "--party", "1", "--signed-on", "31/06/2018"],
    );
    let e: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(e["code"], "invalid.no_such_day", "a day the calendar lacks is told as such");
    assert_eq!(e["field"], "signed_on");
    let o = cli(&db, &["--lang", "fr", "show", "partner", "77"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("77"));
}

#[test]
fn sample_generate_and_paging() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(cli(&db, &["sample"]).status.success());
    let o = cli(&db, &["--json", "generate", "--partners", "20", "--agreements", "250"]);
    assert!(o.status.success(), "{o:?}");
    let o = cli(&db, &["--json", "list", "agreements", "--limit", "10", "--offset", "5"]);
    let page: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(page["total"], 253);
    assert_eq!(page["items"].as_array().unwrap().len(), 10);
    let o = cli(&db, &["--json", "list", "agreements", "--all"]);
    assert_eq!(stdout(&o).lines().count(), 253, "one JSON object per line with --all");
    let o = cli(&db, &["list", "partners", "--country", "ML"]);
    assert!(stdout(&o).contains("الجماعة الثالثة لباماكو الكبرى"));
    let o = cli(&db, &["--json", "sample", "--remove"]);
    assert!(o.status.success(), "{o:?}");
}

#[test]
fn figures_of_the_sample_as_json_and_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(cli(&db, &["sample"]).status.success());
    let o = cli(&db, &["--json", "figures", "--year", "2018"]);
    assert!(o.status.success(), "{o:?}");
    let f: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!((f["year"].as_i64(), f["agreements"]["total"].as_i64()), (Some(2018), Some(1)), "Bamako");
    assert_eq!(f["agreements"]["by_direction"][0]["key"], "south_south");
    let o = cli(&db, &["--lang", "fr", "figures"]);
    let text = stdout(&o);
    assert!(text.contains("Conventions : 3") && text.contains("Sud-Nord: 1") && text.contains("Mali : 1"), "{text}");
    let o = cli(&db, &["figures", "--year", "twenty"]);
    assert!(!o.status.success(), "a year that is not a number is refused");
}

#[test]
fn a_newer_database_is_refused_by_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("PRAGMA user_version = 50;").unwrap();
    drop(c);
    let o = cli(&db, &["--lang", "en", "list", "partners"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("newer Taawun"));
}

#[test]
fn legal_calendar_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = cli(&db, &["--lang", "ar", "hijri", "25/04/2018"]);
    // Sha'ban 1439 began on 18 April 2018 in Morocco (the Ministry dated 29 Sha'ban 16 May 2018):
    // the 8th, where Umm al-Qura says the 9th.
    assert_eq!(stdout(&o).trim(), "8 شعبان 1439 هـ");
    let o = cli(&db, &["--lang", "en", "workdays", "12/06/2026", "10"]);
    assert_eq!(
        stdout(&o).trim(),
        "2026-06-29\tDepends on the forecast date of Islamic New Year 1448 AH.",
        "weekends and 1 Muharram 1448 (forecast) skipped"
    );
    let o = cli(&db, &["--json", "holidays", "--year", "2026"]);
    let days: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let eid = days.as_array().unwrap().iter().find(|d| d["date"] == "2026-03-20").unwrap();
    assert_eq!(eid["forecast"], serde_json::Value::Null, "Eid al-Fitr 1447, as announced");
    // Were Shawwal a day later: Eid moves, and the officer's entry is kept.
    assert!(cli(&db, &["hijri-correction", "1447", "10", "1"]).status.success());
    let o = cli(&db, &["--json", "holidays", "--year", "2026"]);
    let days: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let dates: Vec<&str> = days.as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap()).collect();
    assert!(
        dates.contains(&"2026-03-21") && dates.contains(&"2026-03-22") && !dates.contains(&"2026-03-20"),
        "{dates:?}"
    );
    let o = cli(&db, &["--lang", "en", "hijri-correction", "1447", "10", "2"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Hijri month correction"));
    let o = cli(&db, &["workdays", "31/06/2026", "3"]);
    assert_eq!(o.status.code(), Some(1));
}

/// A crash (SIGKILL) in the middle of a large write leaves the database whole: the write is
/// one transaction, so either all of it is there or none of it, and what was there before stays.
#[test]
fn a_kill_during_a_large_write_loses_nothing_committed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(cli(&db, &["sample"]).status.success());
    let mut killed_mid_write = 0;
    // Later delays too, so that a loaded machine (slow to start the process) still sees a kill land.
    for delay_ms in [30u64, 120, 400, 900, 1800, 3500] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_taawun-cli"))
            .arg("--db")
            .arg(&db)
            .args(["generate", "--partners", "3000", "--agreements", "6000"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        // Pages already written to the WAL show the transaction had begun.
        let wal = std::fs::metadata(db.with_extension("db-wal")).map(|m| m.len()).unwrap_or(0);
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        if wal > 0 && !status.success() {
            killed_mid_write += 1;
        }
        let c = rusqlite::Connection::open(&db).unwrap();
        let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
        let partners: i64 = c.query_row("SELECT count(*) FROM partner WHERE is_sample = 0", [], |r| r.get(0)).unwrap();
        let sample: i64 = c.query_row("SELECT count(*) FROM partner WHERE is_sample = 1", [], |r| r.get(0)).unwrap();
        assert_eq!(sample, 4, "what was there before is intact");
        assert!(partners % 3000 == 0, "all of a generation or none of it, never part: {partners} (killed: {status:?})");
        let history: i64 =
            c.query_row("SELECT count(*) FROM history WHERE entity = 'partner'", [], |r| r.get(0)).unwrap();
        assert_eq!(history, partners + 4, "every partner has its history row, and no row is orphaned");
    }
    assert!(killed_mid_write > 0, "no kill landed inside the write: the test proved nothing");
    assert!(cli(&db, &["list", "partners"]).status.success(), "the database opens normally afterwards");
}

#[test]
fn the_annual_report_prints_and_refuses_a_year_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(cli(&db, &["sample"]).status.success());
    let pdf = dir.path().join("تقرير 2018.pdf");
    let o = cli(&db, &["--json", "report", "--year", "2018", "--lang", "both", "-o", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{o:?}");
    let out: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(out["year"], 2018);
    assert!(out["pages"].as_i64().unwrap() >= 3);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    // A typo in the year: one translated line, nothing written.
    let typo = dir.path().join("typo.pdf");
    let o = cli(&db, &["--lang", "fr", "report", "--year", "20189", "-o", typo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("Année"), "{err}");
    assert!(!typo.exists());
    let o = cli(&db, &["report", "--year", "2018", "--lang", "de", "-o", typo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!typo.exists());
}

#[test]
fn a_paper_goes_to_standard_output_with_dash_and_the_report_to_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(cli(&db, &["sample"]).status.success());
    let o = cli(&db, &["--lang", "fr", "sheet", "--agreement", "1", "-o", "-"]);
    assert!(o.status.success(), "{o:?}");
    assert!(o.stdout.starts_with(b"%PDF-"), "a PDF on standard output");
    assert!(o.stdout.trim_ascii_end().ends_with(b"%%EOF"), "the whole PDF");
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains('-') && !said.is_empty(), "the report on standard error: {said}");
    // A list exported to a file that is a folder: a translated error naming it, exit status 1.
    let o = cli(&db, &["--lang", "fr", "export", "agreement", "--format", "csv", "-o", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("c'est un dossier"), "{said}");
}

#[test]
fn the_dossier_report_is_in_the_language_of_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(cli(&db, &["sample"]).status.success());
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/encrypted.pdf");
    assert!(cli(&db, &["attach", "--to", "agreement:1", fixture]).status.success());
    // An Arabic dossier, reported to someone reading English.
    let pdf = dir.path().join("d.pdf");
    let o = cli(&db, &["--lang", "en", "dossier", "--session", "1", "--lang", "ar", "-o", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{o:?}");
    let said = stdout(&o);
    assert!(said.contains("password") && !said.contains("كلمة"), "{said}");
}
