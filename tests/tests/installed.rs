//! The installed package: the program as `make package-test` unpacked it from the .deb
//! (`TAAWUN_APP` names it), started on a fresh data folder, shows the home view in Arabic with
//! the council's sample records, and the CLI installed beside it reads the same database.
//! Ignored in the ordinary run: `make package-test` runs it with `--ignored` after building the
//! package.

use taawun_e2e::App;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the installed package: run by `make package-test`"]
async fn the_installed_program_opens_the_home_view() {
    let app_path = std::env::var("TAAWUN_APP").expect("TAAWUN_APP names the installed program");
    assert!(!app_path.contains("/target/"), "this test is for the installed program, not a build: {app_path}");
    let mut app = App::start("installed").await;
    assert_eq!(app.js("return document.documentElement.dir").await, "rtl");
    app.wait_text("[data-count=agreements] .card-count", "3").await;
    assert_eq!(app.js("return document.fonts.check('16px \"Taawun Arabic\"', 'تعاون')").await, true);
    app.screenshot("home-ar").await;
    let cli = std::path::Path::new(&app_path).with_file_name("taawun-cli");
    let out = std::process::Command::new(&cli)
        .arg("--db")
        .arg(app.db_path())
        .args(["--json", "list", "agreement"])
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", cli.display()));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["total"], 3, "the installed CLI reads what the window wrote");
    app.close().await;
}
