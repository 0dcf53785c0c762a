//! A registry imported as it is, through the real window: a tripartite declaration whose row names
//! one partner and a memorandum signed on a day June lacks come in flagged "to complete" (the
//! preview says so per row), the home view counts them and leads to the list filtered to them,
//! the record's page says what it lacks and where the file's text went, and the officer's word
//! that the unknown day stays unknown takes it off the list.

use taawun_e2e::App;

#[tokio::test(flavor = "multi_thread")]
async fn rows_imported_to_complete_are_counted_listed_and_completed() {
    let mut app = App::start("to-complete").await;
    let file = app.data.path().join("سجل ناقص.csv");
    std::fs::write(
        &file,
        "النوع,الشريك,البلد,تاريخ التوقيع,المرجع\n\
         إعلان ثلاثي,Ville de Liège,بلجيكا,2019-05-10,TRI-2019\n\
         مذكرة تفاهم,Mantes-la-Jolie,فرنسا,31/06/2022,MOU-2022\n\
         اتفاقية توأمة,Ville de Lyon,فرنسا,2020-02-02,TW-2020\n",
    )
    .unwrap();
    app.goto("#/agreements").await;
    app.js(&format!(
        "location.hash = '#/import?kind=agreement&file=' + encodeURIComponent({})",
        serde_json::json!(file)
    ))
    .await;
    app.wait_until("document.body.dataset.route === 'import' && !!document.querySelector('#import-rows')", "preview")
        .await;
    app.wait_text("#import-to-complete", "صفوف تستورد كما هي، ناقصة: صفان").await;
    let flagged = app
        .js("return [...document.querySelectorAll('#import-rows tbody tr')].filter(r => r.querySelector('.action-to_complete')).map(r => r.dataset.row).join(',')")
        .await;
    assert_eq!(flagged, "2,3");
    app.wait_text("#import-rows tr[data-row=\"3\"] .field-warning", "لا وجود لهذا اليوم").await;
    app.js("document.querySelector('#import-rows').scrollIntoView(); return true").await;
    app.screenshot("import-to-complete-ar").await;
    app.wait_until("!document.querySelector('#import-confirm').disabled", "nothing refused: confirm enabled").await;
    app.click("#import-confirm").await;
    app.wait_until("document.body.dataset.route === 'agreements'", "back to the list").await;

    // Counted on the home view, which leads to the list filtered to them.
    app.goto("#/home").await;
    app.wait_text("#to-complete", "(2)").await;
    app.screenshot("home-to-complete-ar").await;
    app.click("#to-complete a[data-to-complete=\"agreements\"]").await;
    app.wait_until("document.querySelector('#filter-to_complete')?.checked === true", "the filter on").await;
    app.wait_text("#list-count", "من أصل 2").await;
    assert_eq!(app.js("return document.querySelectorAll('table.list .badge.to-complete').length").await, 2);

    // The record's page: what it lacks; the file's text is in its notes.
    // The memorandum signed on a day June lacks: the day stays unknown, complete as it stands.
    app.js("[...document.querySelectorAll('table.list tbody a')].find(a => a.textContent.includes('مذكرة تفاهم')).click(); return true")
        .await;
    app.wait_text("#to-complete", "للإتمام: تاريخ التوقيع").await;
    let page = app.text(".detail").await;
    assert!(page.contains("«31/06/2022»"), "the file's text in the notes: {page}");
    app.screenshot("record-to-complete-ar").await;
    app.click("#mark-complete").await;
    app.wait_until("!document.querySelector('#to-complete')", "the banner gone").await;
    app.goto("#/home").await;
    app.wait_text("#to-complete", "(1)").await;
    app.close().await;
}
