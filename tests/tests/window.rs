//! The main flows through the real window (WebKitWebDriver under Xvfb).
//!
//! Modules: first start (Arabic, right-to-left, sample records), creating a partner and an
//! agreement through the forms with validation next to the field, finding it in the list and
//! its history, switching language, hostile names shown as text, delete with undo.

use taawun_e2e::{pdf_text_squeezed, App};

#[tokio::test(flavor = "multi_thread")]
async fn officer_flow_in_arabic_then_french() {
    let mut app = App::start("flow").await;

    // First start: Arabic, right to left, the council's sample records.
    assert_eq!(app.js("return document.documentElement.dir").await, "rtl");
    assert_eq!(app.js("return document.documentElement.lang").await, "ar");
    assert_eq!(app.js("return getComputedStyle(document.querySelector('main')).direction").await, "rtl");
    app.wait_text("[data-count=agreements] .card-count", "3").await;
    // The Arabic font shipped with the app is the one in use (not whatever the machine has).
    assert_eq!(app.js("return document.fonts.check('16px \"Taawun Arabic\"', 'تعاون')").await, true);
    app.screenshot("home-ar").await;
    app.goto("#/agreements").await;
    app.wait_text("#list-count", "3").await;
    app.screenshot("agreements-ar").await;

    // The keyboard: Ctrl+F goes to the filter, Ctrl+N opens a new record, Esc leaves the form.
    const CTRL: &str = "\u{E009}";
    const RELEASE: &str = "\u{E000}";
    const ESCAPE: &str = "\u{E00C}";
    app.keys("#sort", &format!("{CTRL}f{RELEASE}")).await;
    app.wait_until("document.activeElement && document.activeElement.id === 'filter-q'", "focus in the filter").await;
    app.keys("#filter-q", &format!("{CTRL}n{RELEASE}")).await;
    app.wait_until("document.body.dataset.route === 'agreement/new'", "the new agreement form").await;
    app.keys("#f-title_ar", ESCAPE).await;
    app.wait_until("document.body.dataset.route === 'agreements'", "back to the list").await;

    // A new partner through the form.
    app.goto("#/partner/new").await;
    app.type_into("#f-name_ar", "جماعة سان لويس").await;
    app.type_into("#f-name_latin", "Ville de Saint-Louis").await;
    app.select("#f-country", "SN").await;
    app.click("#save").await;
    app.wait_text("#record-title", "جماعة سان لويس").await;
    let partner_url = app.js("return location.hash").await;

    // A new agreement: each refused field gets its message next to it, nothing is saved.
    app.goto("#/agreement/new").await;
    app.select("#f-kind", "twinning").await;
    app.type_into("#f-title_ar", "اتفاقية توأمة مع سان لويس").await;
    app.type_into("#f-signed_on", "31/06/2019").await;
    app.click("#save").await;
    app.wait_text("#err-parties", "الشركاء").await;
    app.type_into("#f-parties", "سان لويس").await;
    app.click(".picker-option").await;
    app.wait_text("[data-picker=parties] .chip", "جماعة سان لويس").await;
    app.click("#save").await;
    app.wait_text("#err-signed_on", "لا وجود لهذا اليوم").await;
    assert_eq!(app.text("#err-parties").await, "", "the fixed field's message is gone");
    app.screenshot("agreement-form-error").await;
    app.type_into("#f-signed_on", "25/04/2019").await;
    app.type_into("#f-duration_months", "36").await;
    app.click("#save").await;
    app.wait_text("#record-title", "اتفاقية توأمة مع سان لويس").await;
    app.wait_text("#agreement-status", "في طور الإعداد").await;
    assert!(app.text(".detail-agreement .fields").await.contains("25 أبريل 2019"));
    assert!(app.text(".detail-agreement .fields").await.contains("24 أبريل 2022"), "expiry derived from the duration");
    // Morocco's Sha'ban 1440 (forecast: not in the shipped data yet) began on 7 April 2019.
    app.wait_text("#signed-on-hijri", "19 شعبان 1440 هـ").await;
    assert!(
        app.text("#signed-on-hijri").await.contains("تقدير: لم يسجل إعلان الوزارة لهذا الشهر"),
        "a Hijri date resting on a forecast month says so"
    );
    app.screenshot("agreement-ar").await;

    // Found in the list by part of its title.
    app.goto("#/agreements").await;
    app.type_into("#filter-q", "توأمة مع سان").await;
    app.wait_text("#list-count", "1–1").await;
    app.wait_until("document.querySelectorAll('table.list tbody tr').length === 1", "one matching row").await;
    app.click("table.list tbody tr a").await;
    app.wait_text("#record-title", "اتفاقية توأمة مع سان لويس").await;

    // Its status changes, dated, and its history shows each change.
    app.select("#f-status", "council_approved").await;
    app.type_into("#f-status_on", "12/06/2019").await;
    app.click("#status-form button[type=submit]").await;
    app.wait_text("#agreement-status", "صادق عليها المجلس").await;
    app.click("#history-toggle").await;
    app.find(".history-table tr[data-action=create]").await;
    app.wait_text(".history-table tr[data-action=status]", "12 يونيو 2019").await;
    app.screenshot("history-ar").await;

    // French: direction and every text flip, and back.
    app.select("#lang-switch", "fr").await;
    app.wait_until("document.documentElement.dir === 'ltr'", "ltr").await;
    app.wait_text("[data-nav=agreements]", "Conventions").await;
    app.wait_text("#agreement-status", "Approuvée par le conseil").await;
    assert_eq!(app.js("return getComputedStyle(document.querySelector('main')).direction").await, "ltr");
    app.screenshot("agreement-fr").await;
    app.select("#lang-switch", "ar").await;
    app.wait_until("document.documentElement.dir === 'rtl'", "rtl again").await;
    app.wait_text("[data-nav=agreements]", "الاتفاقيات").await;

    // The partner page links the new agreement.
    app.goto(partner_url.as_str().unwrap()).await;
    app.wait_text(".detail-partner .links", "اتفاقية توأمة مع سان لويس").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_names_render_as_text_and_delete_is_undoable() {
    let mut app = App::start("hostile").await;
    let hostile = r#"<img src=x onerror="document.title='pwned'"><b>x</b>'); DROP TABLE partner;--"#;
    app.goto("#/partner/new").await;
    app.type_into("#f-name_ar", hostile).await;
    app.select("#f-country", "FR").await;
    app.click("#save").await;
    app.wait_text("#record-title", "DROP TABLE").await;
    assert_eq!(app.text("#record-title").await, hostile);
    assert_eq!(app.js("return document.querySelectorAll('#record-title img, #record-title b').length").await, 0);
    assert_ne!(app.js("return document.title").await, "pwned");

    // A direction override in a name is refused with its reason, next to the field.
    app.goto("#/partner/new").await;
    app.type_into("#f-name_ar", "invoice\u{202E}fdp.exe").await;
    app.select("#f-country", "FR").await;
    app.click("#save").await;
    app.wait_text("#err-name_ar", "U+202E").await;
    // Leaving the refused form asks first (its edits are not saved); the officer leaves.
    app.js("location.hash = '#/partners'; return true").await;
    app.wait_until("document.getElementById('confirm').open", "the unsaved-edits warning").await;
    app.click("#confirm-ok").await;
    app.wait_until(
        "document.body.dataset.route === 'partners' && !!document.querySelector('#filter-q')",
        "the partners",
    )
    .await;

    // Delete asks first, then can be undone from the toast.
    app.type_into("#filter-q", "DROP TABLE").await;
    app.wait_text("table.list tbody", "DROP TABLE").await;
    app.wait_until("document.querySelectorAll('table.list tbody tr').length === 1", "the hostile partner listed").await;
    app.click("table.list tbody tr a").await;
    app.wait_text("#record-title", "DROP TABLE").await;
    app.click("#delete").await;
    app.wait_until("document.getElementById('confirm').open", "the confirmation").await;
    app.screenshot("confirm-delete").await;
    app.click("#confirm-ok").await;
    app.wait_until("document.body.dataset.route === 'partners'", "back to the list").await;
    app.click("#toasts button").await;
    app.wait_text("#record-title", "DROP TABLE").await;
    assert_eq!(app.js("return document.querySelectorAll('.deleted-banner').length").await, 0);

    // A partner still used by an agreement cannot be deleted: the reason is shown.
    app.goto("#/partners").await;
    app.type_into("#filter-q", "Mantes").await;
    app.wait_text("#list-count", "1–1").await;
    app.wait_text("table.list tbody", "مونت").await;
    app.click("table.list tbody tr a").await;
    app.wait_text("#record-title", "مونت").await;
    app.click("#delete").await;
    app.wait_until("document.getElementById('confirm').open", "the confirmation").await;
    app.click("#confirm-ok").await;
    app.wait_text("#toasts .toast-error", "لا يمكن").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn documents_attached_to_an_agreement_show_their_hash_and_verify() {
    use sha2::{Digest, Sha256};
    let mut app = App::start("documents").await;
    let files = tempfile::tempdir().unwrap();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures");
    let pdf_bytes = std::fs::read(fixtures.join("scan-2p.pdf")).unwrap();
    let jpeg_bytes = std::fs::read(fixtures.join("signing-photo.jpg")).unwrap();
    let pdf = files.path().join("اتفاقية باماكو موقعة.pdf");
    let jpeg = files.path().join("scan.pdf"); // a JPEG that calls itself a PDF
    std::fs::write(&pdf, &pdf_bytes).unwrap();
    std::fs::write(&jpeg, &jpeg_bytes).unwrap();
    let hex = |b: &[u8]| Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect::<String>();

    app.goto("#/agreements").await;
    app.type_into("#filter-q", "باماكو").await;
    app.wait_text("#list-count", "1–1").await;
    app.wait_text("table.list tbody", "باماكو").await;
    app.click("table.list tbody tr a").await;
    app.find("#attach").await;
    let id = app.js("return Number(document.querySelector('.detail-agreement').dataset.id)").await;
    // What the open dialog (or a drop) hands to the window: paths.
    let attach = format!(
        "return await window.__TAURI__.core.invoke('attach_documents', {{kind: 'agreement', id: {id}, paths: {}, data: {{kind: 'signed_original', title: ''}}}}).then(d => d.length)",
        serde_json::json!([pdf, jpeg])
    );
    assert_eq!(app.js(&attach).await, 2);
    app.js("location.reload()").await;
    app.wait_until(
        &format!("!!document.querySelector('#documents tr[data-sha256=\"{}\"]')", hex(&pdf_bytes)),
        "the PDF row with its SHA-256",
    )
    .await;
    app.wait_text(&format!("#documents tr[data-sha256=\"{}\"]", hex(&jpeg_bytes)), "امتداد الملف لا يطابق محتواه").await;
    app.wait_text("#documents", "اتفاقية باماكو موقعة.pdf").await;
    assert!(app.text("#documents").await.contains(&hex(&pdf_bytes)));
    app.wait_until(
        "document.querySelectorAll('#documents .badge.file-intact').length === 2",
        "both files re-hashed intact",
    )
    .await;
    // Thumbnails: the photo's bounded rendition from core, the PDF's first page drawn by pdf.js.
    app.wait_until(
        "document.querySelectorAll('#documents .thumb[data-rendered=\"1\"]').length === 2",
        "both thumbnails drawn",
    )
    .await;
    assert!(app.text("#documents").await.contains("صفحتان"), "the PDF's page count, in the dual");
    // The preview: page 1, then page 2, with the hash under it.
    app.click(&format!("#documents tr[data-sha256=\"{}\"] .preview-document", hex(&pdf_bytes))).await;
    app.wait_until(
        "document.querySelector('#preview-canvas') && document.querySelector('#preview-canvas').dataset.page === '1'",
        "page 1 drawn",
    )
    .await;
    app.wait_text("#preview-page", "1").await;
    assert!(app.text("#preview").await.contains(&hex(&pdf_bytes)));
    app.click("#preview-next").await;
    app.wait_until("document.querySelector('#preview-canvas').dataset.page === '2'", "page 2 drawn").await;
    let drawn = app.js("const c = document.querySelector('#preview-canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let dark = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 100) dark++; return dark").await;
    assert!(drawn.as_i64().unwrap() > 100, "the page has ink on it: {drawn}");
    app.screenshot("document-preview-ar").await;
    app.click("#preview-close").await;
    // Its description is editable in place; an impossible date is refused next to its field.
    app.click(&format!("#documents tr[data-sha256=\"{}\"] .edit-document", hex(&pdf_bytes))).await;
    app.type_into(".document-form input[name=title]", "النسخة الأصلية الموقعة").await;
    app.type_into(".document-form input[name=signed_on]", "31/04/2018").await;
    app.click(".document-form button[type=submit]").await;
    app.wait_text(".document-form [data-field=signed_on] .field-error", "لا وجود لهذا اليوم").await;
    app.screenshot("document-edit-error").await;
    app.type_into(".document-form input[name=signed_on]", "25/04/2018").await;
    app.click(".document-form button[type=submit]").await;
    app.wait_text("#documents", "النسخة الأصلية الموقعة").await;
    app.wait_until(
        "document.querySelectorAll('#documents .badge.file-intact').length === 2",
        "badges again after the reload",
    )
    .await;
    app.wait_until(
        "document.querySelectorAll('#documents .thumb[data-rendered=\"1\"]').length === 2",
        "thumbnails again",
    )
    .await;
    app.js("document.getElementById('documents').scrollIntoView({block: 'center'})").await;
    app.screenshot("documents-ar").await;
    // The agreement's fact sheet, as the save dialog would name it: a valid PDF whose text
    // (pdftotext) gives back the Arabic title and the hash of the attached scan.
    let sheet = files.path().join("بطاقة-باماكو.pdf");
    app.select("#sheet-lang", "ar").await;
    let print = format!("return await window.__TAURI__.core.invoke('print_sheet', {{id: {id}, lang: document.getElementById('sheet-lang').value, dest: {}}})", serde_json::json!(sheet));
    assert!(app.js(&print).await.as_i64().unwrap() >= 1);
    let squeezed = pdf_text_squeezed(&sheet);
    assert!(squeezed.contains("بطاقةتقنيةللاتفاقية"), "{squeezed}");
    assert!(squeezed.contains(&hex(&pdf_bytes)[..8]), "{squeezed}");

    // The vault-wide check on the home view, then a file altered behind Taawun's back.
    app.goto("#/home").await;
    app.click("#verify-vault").await;
    app.wait_text("#vault-status.ok", "تم فحص ملفين").await;
    let vault_file = app.data.path().join("data/taawun/vault/sha256").join(&hex(&pdf_bytes)[..2]).join(hex(&pdf_bytes));
    std::fs::write(&vault_file, b"%PDF-1.4 forged").unwrap();
    app.click("#verify-vault").await;
    app.wait_text("#vault-status.bad", "1 معدل").await;
    assert!(app.text("#vault-status.bad").await.contains("تم فحص ملفين"), "the files checked, counted");
    app.screenshot("vault-check-ar").await;
    app.goto(&format!("#/agreement/{id}")).await;
    app.wait_until(
        "document.querySelectorAll('#documents .badge.file-altered').length === 1",
        "the altered file flagged",
    )
    .await;
    app.close().await;
}

/// The search box through the window: Ctrl+K, Arabic typed without the article and with ه for ة,
/// a Latin name without its hyphens; the matched words highlighted; Enter opens the record.
#[tokio::test(flavor = "multi_thread")]
async fn search_finds_bamako_and_mantes_as_people_type_them() {
    let mut app = App::start("search").await;
    const CTRL: &str = "\u{E009}";
    const RELEASE: &str = "\u{E000}";
    const ENTER: &str = "\u{E007}";
    app.goto("#/agreements").await;
    app.keys("#filter-q", &format!("{CTRL}k{RELEASE}")).await;
    app.wait_until(
        "document.activeElement && document.activeElement.id === 'search-q'",
        "the search box has the focus",
    )
    .await;
    app.type_into("#search-q", "جماعه باماكو").await;
    app.wait_until("!!document.querySelector('#search-results [data-kind=partner] .search-hit')", "the partner found")
        .await;
    app.wait_text("#search-results [data-kind=agreement]", "لباماكو").await;
    app.wait_text("#search-results mark", "الجماعة").await;
    // Filters: the Bamako agreement is from 2018; none is of 2019.
    app.select("#search-kind", "agreement").await;
    app.type_into("#search-year", "2019").await;
    app.wait_until("!!document.querySelector('#search-none')", "nothing in 2019").await;
    app.type_into("#search-year", "2018").await;
    app.wait_text("#search-results [data-kind=agreement]", "لباماكو").await;
    app.select("#search-country", "ML").await;
    app.wait_text("#search-results [data-kind=agreement]", "لباماكو").await;
    app.screenshot("search-ar").await;
    app.select("#search-country", "").await;
    app.js("const y = document.querySelector('#search-year'); y.value = ''; y.dispatchEvent(new Event('input', {bubbles: true})); return true").await;
    app.select("#search-kind", "").await;
    app.type_into("#search-q", "mantes la jolie").await;
    app.wait_text("#search-results [data-kind=partner]", "مونت لاجولي").await;
    app.keys("#search-q", ENTER).await;
    app.wait_until("document.body.dataset.route.startsWith('partner/')", "Enter opened the first record").await;
    app.wait_text("#record-title", "مونت لاجولي").await;

    // The agreements list to Excel, as the save dialog would name it, with the list's filter.
    app.goto("#/agreements").await;
    app.find("#export-list").await;
    let xlsx = app.data.path().join("الاتفاقيات.xlsx");
    let export = format!("return await window.__TAURI__.core.invoke('export_list', {{kind: 'agreement', query: {{q: '', kind: '', country: '', status: '', year: null, sort: '', desc: false, offset: 0}}, format: 'xlsx', dest: {}}})", serde_json::json!(xlsx));
    assert_eq!(app.js(&export).await, 3);
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"), "an XLSX (zip) file");

    // A backup from the home view (as the save dialog would name it): written, checked, reported.
    app.goto("#/home").await;
    app.wait_text("#backup-status", "لم تنجز").await;
    let file = app.data.path().join("usb/taawun.taawun-backup");
    let made = format!(
        "return await window.__TAURI__.core.invoke('create_backup', {{dest: {}}}).then(b => b.files)",
        serde_json::json!(file)
    );
    assert!(app.js(&made).await.as_i64().unwrap() >= 1);
    app.goto("#/agreements").await;
    app.goto("#/home").await;
    app.wait_text("#backup-status", "آخر نسخة احتياطية سليمة").await;
    assert!(taawun_core_verify(&file), "the backup verifies");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_council_spreadsheet_is_imported_through_the_import_page() {
    let mut app = App::start("import").await;
    // A small registry as the council keeps it: mixed date forms, a country column, one partner
    // Taawun lacks, one status in words Taawun does not know.
    let file = app.data.path().join("سجل الاتفاقيات 2024.xlsx");
    {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_right_to_left(true);
        let rows = [
            ["العنوان", "رقم المرجع", "الشريك", "تاريخ التوقيع", "الوضعية", "البلد"],
            ["اتفاقية توأمة مع مدينة داكار", "RB-2018-07", "جماعة كيدياوي", "25/04/2018", "موقعة", "السنغال"],
            ["برنامج تبادل الخبرات", "RB-2008-02", "Mantes-la-Jolie", "ماي 2008", "", "فرنسا"],
            ["اتفاقية مع شريك جديد", "RB-2024-99", "Ville de Liège", "2024", "Reconduite", "Belgique"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        sheet.write_number(4, 0, 1.0).unwrap(); // a stray number under the titles: an error row
        book.save(&file).unwrap();
    }
    app.goto("#/agreements").await;
    app.wait_text("#list-count", "3").await;
    app.find("#import-list").await;
    // What the open dialog hands to the page: the path.
    app.js(&format!(
        "location.hash = '#/import?kind=agreement&file=' + encodeURIComponent({})",
        serde_json::json!(file)
    ))
    .await;
    app.wait_until("document.body.dataset.route === 'import'", "the import page").await;
    app.wait_text("#import-counts", "4 صفوف —").await;
    assert!(app.text("#import-file").await.contains("سجل الاتفاقيات 2024.xlsx"));
    assert_eq!(
        app.js("return document.querySelector('#import-mapping select[data-column=\"3\"]').value").await,
        "signed_on"
    );
    assert_eq!(
        app.js("return [...document.querySelectorAll('#import-rows tbody tr')].map(r => r.dataset.action).join(',')")
            .await,
        "create,create,error,error"
    );
    app.wait_text("#import-rows tr[data-row=\"4\"]", "Reconduite").await;
    assert_eq!(
        app.js("return document.querySelector('#import-confirm').disabled").await,
        true,
        "rows with errors: nothing to confirm yet"
    );
    // The value Taawun does not read is listed once; the officer says what it means.
    app.wait_text("#import-unknown", "Reconduite").await;
    app.js("document.querySelector('#import-unknown').scrollIntoView(); return true").await;
    app.screenshot("import-unknown-value-ar").await;
    app.select("#import-unknown select[data-value=\"Reconduite\"]", "in_force").await;
    app.wait_until(
        "!document.querySelector('#import-unknown') && document.querySelector('#import-rows tr[data-row=\"4\"]').dataset.action === 'create'",
        "the row read with the value chosen",
    )
    .await;
    // The partner it names is proposed from the row, with its country.
    app.wait_text("#import-new-partners", "Ville de Liège").await;
    app.js("document.querySelector('#import-facts').scrollIntoView(); return true").await;
    app.screenshot("import-preview-ar").await;
    // The officer leaves the wrong rows out and confirms.
    app.click("#import-skip").await;
    app.wait_until("!document.querySelector('#import-confirm').disabled", "confirm enabled").await;
    app.click("#import-confirm").await;
    app.wait_until("document.body.dataset.route === 'agreements'", "back to the list").await;
    app.wait_text("#list-count", "6").await;
    app.type_into("#filter-q", "داكار").await;
    app.wait_text("table.list tbody", "اتفاقية توأمة مع مدينة داكار").await;
    // The same file again: the two rows are now unchanged; nothing to import.
    app.js(&format!(
        "location.hash = '#/import?kind=agreement&file=' + encodeURIComponent({})",
        serde_json::json!(file)
    ))
    .await;
    app.wait_until(
        "document.body.dataset.route === 'import' && !!document.querySelector('#import-rows')",
        "the import page again",
    )
    .await;
    app.wait_until("[...document.querySelectorAll('#import-rows tbody tr')].filter(r => r.dataset.action === 'unchanged').length === 3", "the three rows unchanged (the value remembered)").await;

    // A partners list saved by an old French Excel (Windows code page, ";"): read as such, the
    // encoding shown and changeable.
    let csv = app.data.path().join("partenaires.csv");
    std::fs::write(&csv, b"Nom;Pays;Ville\r\nVille de Thi\xe8s;S\xe9n\xe9gal;Thi\xe8s\r\n").unwrap();
    app.goto("#/partners").await;
    app.js(&format!("location.hash = '#/import?kind=partner&file=' + encodeURIComponent({})", serde_json::json!(csv)))
        .await;
    app.wait_until(
        "document.body.dataset.route === 'import' && !!document.querySelector('#import-encoding')",
        "the encoding select",
    )
    .await;
    assert_eq!(app.js("return document.querySelector('#import-encoding').value").await, "windows-1256");
    app.wait_text("#import-rows", "Ville de Thiès").await;
    app.select("#import-encoding", "utf-8").await;
    app.wait_text(".toast-error", "ليس مكتوبا بهذا الترميز").await;
    app.wait_until("document.querySelector('#import-encoding').value === 'windows-1256'", "the choice undone").await;
    assert!(app.text("#import-rows").await.contains("Ville de Thiès"));
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn automatic_backups_go_to_the_chosen_folder_and_a_missing_drive_is_said() {
    let mut app = App::start("auto-backup").await;
    let drive = tempfile::tempdir().unwrap(); // outlives the app's own data folder
    let usb = drive.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let ours = |dir: &std::path::Path| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("taawun-") && n.ends_with(".taawun-backup"))
            .collect();
        v.sort();
        v
    };
    app.goto("#/settings").await;
    app.type_into("#auto-backup-form [name=backup_folder]", usb.to_str().unwrap()).await;
    app.type_into("#auto-backup-form [name=backup_keep]", "2").await;
    app.click("#save-auto-backup").await;
    app.wait_until("!!document.querySelector('.toast')", "saved").await;
    let mut made = Vec::new();
    for _ in 1..=3 {
        app.click("#auto-backup-now").await;
        app.wait_until(&format!("document.querySelectorAll('#auto-backups li bdi').length === 1 && !document.querySelector('#auto-backups').textContent.includes({})", serde_json::json!(made.last().cloned().unwrap_or_else(|| "(none yet)".to_string()))), "the list of backups").await;
        made.push(ours(&usb).last().unwrap().clone());
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await; // one file name per second
    }
    assert_eq!(ours(&usb), [made[2].clone()], "three the same day: the day's newest kept");
    app.js("document.querySelectorAll('.toast').forEach(t => t.remove()); document.querySelector('#auto-backup-form').scrollIntoView(); return true").await;
    app.screenshot("settings-auto-backups-ar").await;
    for f in ours(&usb) {
        assert!(taawun_core_verify(&usb.join(f)), "each automatic backup verifies");
    }
    // The drive unplugged: the backup is refused with the reason, and the home says so.
    app.type_into("#auto-backup-form [name=backup_folder]", usb.join("unplugged").to_str().unwrap()).await;
    app.click("#save-auto-backup").await;
    app.click("#auto-backup-now").await;
    app.wait_text(".toast-error", "القرص الخارجي").await;
    app.goto("#/home").await;
    app.wait_text("#auto-backup-failed", "فشلت النسخة الاحتياطية التلقائية").await;
    app.wait_text("#backup-status", "آخر نسخة احتياطية سليمة").await;
    app.js("document.querySelectorAll('.toast').forEach(t => t.remove()); return true").await;
    app.screenshot("home-auto-backup-failed-ar").await;
    app.close().await;
}

/// The backup written by the window, checked by the CLI.
fn taawun_core_verify(file: &std::path::Path) -> bool {
    let cli = std::path::Path::new(&std::env::var("TAAWUN_APP").unwrap()).with_file_name("taawun-cli");
    std::process::Command::new(cli).args(["backup", "verify"]).arg(file).status().map(|s| s.success()).unwrap_or(false)
}
