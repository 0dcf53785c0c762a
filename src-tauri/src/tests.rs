//! Command wiring tested with Tauri's mock runtime (no display): arguments are parsed as the UI
//! sends them, the core is called on a real temp-file database, errors come back as
//! `{code, message, field}` in the chosen language.

use super::*;
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

struct TestApp {
    _dir: tempfile::TempDir,
    webview: tauri::WebviewWindow<tauri::test::MockRuntime>,
}

fn app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let shared = Shared::open(dir.path().join("taawun.db"));
    let app = build_app(mock_builder(), std::sync::Arc::new(shared)).build(mock_context(noop_assets())).unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    TestApp { _dir: dir, webview }
}

impl TestApp {
    fn call(&self, cmd: &str, body: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: tauri::ipc::InvokeBody::Json(body),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }
}

#[test]
fn first_start_loads_the_sample_and_lists_page() {
    let t = app();
    let info = t.call("app_info", json!({})).unwrap();
    assert_eq!(info["lang"], "ar");
    assert_eq!(info["rtl"], true);
    assert!(info["error"].is_null());
    let home = t.call("home", json!({})).unwrap();
    assert_eq!(home["agreements"], 3);
    let query = json!({"country": "ML", "sort": "signed_on", "desc": true});
    let page = t.call("list_records", json!({"kind": "agreement", "query": query})).unwrap();
    assert_eq!(t.call("count_records", json!({"kind": "agreement", "query": query})).unwrap(), 1);
    assert_eq!(page["has_more"], false);
    assert_eq!(page["items"][0]["signed_on"], "2018-04-25");
    let id = page["items"][0]["id"].clone();
    let view = t.call("record_view", json!({"kind": "agreement", "id": id})).unwrap();
    assert_eq!(view["parties"][0]["country"], "ML");
    assert_eq!(view["direction"], "south_south");
}

#[test]
fn saving_validates_and_errors_are_translated() {
    let t = app();
    let partner =
        json!({"kind": "foreign_ngo", "name_ar": "<img src=x onerror=alert(1)>", "name_latin": "ONG", "country": "be"});
    let saved = t.call("save_partner", json!({"id": null, "data": partner, "expectedUpdatedAt": null})).unwrap();
    assert_eq!(saved["country"], "BE");
    assert_eq!(saved["name_ar"], "<img src=x onerror=alert(1)>");
    let bad = json!({"kind": "twinning", "title_ar": "توأمة", "parties": [saved["id"]], "signed_on": "31/06/2019"});
    let err = t.call("save_agreement", json!({"id": null, "data": bad, "expectedUpdatedAt": null})).unwrap_err();
    assert_eq!(err["code"], "invalid.no_such_day", "June has no 31st: said so");
    assert_eq!(err["field"], "signed_on");
    assert!(err["message"].as_str().unwrap().contains("تاريخ التوقيع"), "{err}");
    t.call("set_lang", json!({"lang": "fr"})).unwrap();
    let bad = json!({"kind": "twinning", "title_ar": "توأمة", "parties": [saved["id"]], "signed_on": "31/06/2019"});
    let err = t.call("save_agreement", json!({"id": null, "data": bad, "expectedUpdatedAt": null})).unwrap_err();
    assert!(err["message"].as_str().unwrap().starts_with("Signée le"), "{err}");
    assert_eq!(t.call("app_info", json!({})).unwrap()["lang"], "fr", "the language is remembered");
    // A wrong budget line is named by its row, so the form can point at it.
    let page = t.call("list_records", json!({"kind": "project", "query": {}})).unwrap();
    let view = t.call("record_view", json!({"kind": "project", "id": page["items"][0]["id"]})).unwrap();
    let mut data = view["record"].clone();
    data["budget_lines"] = json!([
        {"partner_id": null, "amount": "250 000", "currency": "MAD"},
        {"partner_id": null, "amount": "12,5,0", "currency": "EUR"}
    ]);
    let err = t
        .call(
            "save_project",
            json!({"id": view["record"]["id"], "data": data, "expectedUpdatedAt": view["record"]["updated_at"]}),
        )
        .unwrap_err();
    assert_eq!((err["field"].as_str(), err["row"].as_u64()), (Some("budget_amount"), Some(1)), "{err}");
}

#[test]
fn delete_restore_and_history_through_commands() {
    let t = app();
    let page = t.call("list_records", json!({"kind": "membership", "query": {}})).unwrap();
    let id = page["items"][0]["id"].clone();
    t.call("delete_record", json!({"kind": "membership", "id": id})).unwrap();
    assert_eq!(t.call("list_trash", json!({})).unwrap().as_array().unwrap().len(), 1);
    t.call("restore_record", json!({"kind": "membership", "id": id})).unwrap();
    let history = t.call("record_history", json!({"kind": "membership", "id": id})).unwrap();
    let actions: Vec<_> =
        history.as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap().to_string()).collect();
    assert_eq!(actions, ["restore", "delete", "create"]);
    let err = t.call("delete_record", json!({"kind": "partner", "id": page["items"][0]["partner_id"]})).unwrap_err();
    assert_eq!(err["code"], "referenced");
}

#[test]
fn a_second_window_on_the_same_database_reports_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let first = Shared::open(dir.path().join("t.db"));
    assert!(first.with_store(|_| Ok(())).is_ok());
    let second = Shared::open(dir.path().join("t.db"));
    let err = second.with_store(|_| Ok(())).unwrap_err();
    assert_eq!(err.code, "locked");
}

#[test]
fn exiting_makes_the_automatic_backup_beside_the_database_unless_switched_off() {
    let dir = tempfile::tempdir().unwrap();
    let shared = Shared::open(dir.path().join("taawun.db"));
    on_run_event(&shared, &tauri::RunEvent::Ready);
    assert!(!dir.path().join("backups").exists(), "only on exit");
    on_run_event(&shared, &tauri::RunEvent::Exit);
    let made: Vec<_> = std::fs::read_dir(dir.path().join("backups")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(made.len(), 1);
    taawun_core::backup::verify(&made[0]).unwrap();
    assert!(
        shared.with_store(|s| taawun_core::backup::last_backup(s)).unwrap().is_some(),
        "the home's last good backup"
    );
    // Nothing changed since: closing again adds no copy; a change, and it does.
    on_run_event(&shared, &tauri::RunEvent::Exit);
    assert_eq!(std::fs::read_dir(dir.path().join("backups")).unwrap().count(), 1, "nothing changed: no new backup");
    std::thread::sleep(std::time::Duration::from_millis(1100)); // a new file name
    shared
        .with_store(|s| {
            let mut p = s.get_partner(1)?;
            p.data.notes.push_str(" (vu)");
            s.update_partner(1, p.data, None).map(|_| ())
        })
        .unwrap();
    on_run_event(&shared, &tauri::RunEvent::Exit);
    let after: Vec<_> = std::fs::read_dir(dir.path().join("backups")).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(after.iter().any(|p| !made.contains(p)), "a change since: a new backup");

    let off = tempfile::tempdir().unwrap();
    let shared = Shared::open(off.path().join("taawun.db"));
    shared
        .with_store(|s| {
            taawun_core::backup::rolling::set_settings(
                s,
                taawun_core::backup::rolling::AutoBackup { enabled: false, ..Default::default() },
            )
        })
        .unwrap();
    on_run_event(&shared, &tauri::RunEvent::Exit);
    assert!(!off.path().join("backups").exists());
}

/// Started with a backup file (as the file manager does): the window is told of it, restores it
/// into its own open database (closing and reopening its store), and the file is offered once.
#[test]
fn a_backup_the_program_was_started_with_is_offered_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("taawun.db");
    let file = dir.path().join("b.taawun-backup");
    {
        let mut s = Store::open(&db).unwrap();
        s.load_sample().unwrap();
        taawun_core::backup::make(&mut s, &file, true, |_, _| {}).unwrap();
        s.remove_sample().unwrap();
    }
    let shared = Shared::open(db.clone()).with_opened_backup(Some(file.clone()));
    let app = build_app(mock_builder(), std::sync::Arc::new(shared)).build(mock_context(noop_assets())).unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    let t = TestApp { _dir: dir, webview };
    assert_eq!(t.call("home", json!({})).unwrap()["agreements"], 0, "the sample went to the trash after the backup");
    assert_eq!(t.call("opened_backup", json!({})).unwrap(), json!(file));
    let restored = t.call("restore_opened_backup", json!({"restore": true})).unwrap();
    assert_eq!(restored["files"], 1);
    assert!(restored["previous"].as_str().unwrap().contains("data.before-restore-"));
    assert_eq!(t.call("home", json!({})).unwrap()["agreements"], 3, "the window works on the restored data");
    assert!(t.call("opened_backup", json!({})).unwrap().is_null(), "offered once");
    assert!(t.call("restore_opened_backup", json!({"restore": true})).unwrap().is_null());
    // The restored database is held by this window again: a second window is refused.
    assert_eq!(Shared::open(db).with_store(|_| Ok(())).unwrap_err().code, "locked");
}

#[test]
fn the_annual_report_prints_through_its_command_and_a_bad_year_is_named() {
    let t = app();
    let figures = t.call("figures", json!({"year": null})).unwrap();
    assert_eq!(figures["years"], json!([2018, 2016]));
    let dest = t._dir.path().join("تقرير 2018.pdf");
    let pages = t.call("print_report", json!({"year": 2018, "lang": "both", "dest": dest})).unwrap();
    assert!(pages.as_u64().unwrap() >= 3, "{pages}");
    assert!(std::fs::read(&dest).unwrap().starts_with(b"%PDF-"));
    let typo = t._dir.path().join("typo.pdf");
    let err = t.call("print_report", json!({"year": 218, "lang": "ar", "dest": typo})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid.out_of_range"), Some("year")), "{err}");
    assert!(!typo.exists());
}

#[test]
fn help_and_version_are_said_without_a_window_and_an_unknown_flag_is_refused() {
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match launch_args(args(&["--help"]), Lang::Fr) {
        Launch::Say(words) => assert!(words.contains("Usage : taawun") && words.contains("--db"), "{words}"),
        other => panic!("{other:?}"),
    }
    match launch_args(args(&["-V"]), Lang::Ar) {
        Launch::Say(words) => assert_eq!(words, format!("Taawun {}", env!("CARGO_PKG_VERSION"))),
        other => panic!("{other:?}"),
    }
    match launch_args(args(&["--dbx", "x"]), Lang::En) {
        Launch::Refuse(words) => {
            assert!(words.contains("unknown option: --dbx") && words.contains("Usage:"), "{words}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        launch_args(args(&["--db", "/tmp/t.db"]), Lang::Ar),
        Launch::Window { db: Some(PathBuf::from("/tmp/t.db")), backup: None }
    );
    assert_eq!(
        launch_args(args(&["--db=a.db"]), Lang::Ar),
        Launch::Window { db: Some(PathBuf::from("a.db")), backup: None }
    );
}

#[test]
fn a_number_out_of_range_in_a_form_is_named_and_translated_not_a_deserialisation_message() {
    let t = app();
    t.call("set_lang", json!({"lang": "fr"})).unwrap();
    let session = json!({"kind": "ordinary", "year": 2026, "month": 6, "members_in_office": -5});
    let err = t.call("save_session", json!({"id": null, "data": session, "expectedUpdatedAt": null})).unwrap_err();
    assert_eq!(err["code"], "invalid.out_of_range", "{err}");
    assert_eq!(err["field"], "members_in_office");
    let message = err["message"].as_str().unwrap();
    assert!(!message.contains("u32") && !message.contains("invalid args"), "{message}");
    let sittings = json!([{"held_on": "2026-06-08", "present": 4294967296u64}]);
    let session = json!({"kind": "ordinary", "year": 2026, "month": 6, "sittings": sittings});
    let err = t.call("save_session", json!({"id": null, "data": session, "expectedUpdatedAt": null})).unwrap_err();
    assert_eq!((err["field"].as_str(), err["row"].as_u64()), (Some("present"), Some(0)), "{err}");
}
