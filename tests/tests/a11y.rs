//! Every view of the window through axe-core (npm's axe-core 4.14, injected by WebDriver into the
//! real webview): no critical or serious violation — in Arabic, right to left, and in French; on
//! the sample records, with the Ctrl+K search open and a form with its errors shown. And the
//! keyboard: the skip link, focus on the page's heading after a navigation and back on Edit
//! after a save, Escape closing the search box, the partner picker by arrows and Enter, and a
//! warning before an edited form is left.

use taawun_e2e::App;

/// The routes of every view, the sample's records included.
const ROUTES: &[&str] = &[
    "#/home",
    "#/dashboard",
    "#/partners",
    "#/agreements",
    "#/projects",
    "#/memberships",
    "#/sessions",
    "#/trash",
    "#/settings",
    "#/members",
    "#/partner/1",
    "#/agreement/1",
    "#/project/1",
    "#/membership/1",
    "#/session/1",
    "#/partner/new",
    "#/agreement/new",
    "#/project/new",
    "#/membership/new",
    "#/session/new",
    "#/agreement/1/edit",
];

async fn violations_on_every_view(app: &App) -> Vec<String> {
    let mut found = Vec::new();
    for route in ROUTES {
        app.goto(route).await;
        for v in app.accessibility_violations().await {
            found.push(format!("{route}: {v}"));
        }
    }
    // The search box open, with hits grouped by kind.
    app.goto("#/home").await;
    app.click("#open-search").await;
    app.type_into("#search-q", "باماكو").await;
    app.wait_until("document.querySelectorAll('#search-results a.search-hit').length > 0", "search hits").await;
    for v in app.accessibility_violations().await {
        found.push(format!("search: {v}"));
    }
    app.js("document.querySelector('#search-dialog').close(); return true").await;
    // A form with its errors shown.
    app.goto("#/partner/new").await;
    app.click("#save").await;
    app.wait_until("document.querySelector('.field-error:not(:empty), .form-error:not([hidden])')", "errors shown")
        .await;
    for v in app.accessibility_violations().await {
        found.push(format!("form errors: {v}"));
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn no_view_has_a_critical_or_serious_accessibility_violation() {
    let app = App::start("a11y").await;
    let mut found = violations_on_every_view(&app).await;
    app.select("#lang-switch", "fr").await;
    app.wait_until("document.documentElement.lang === 'fr'", "French").await;
    found.extend(violations_on_every_view(&app).await.into_iter().map(|v| format!("fr {v}")));
    assert!(found.is_empty(), "{} violations:\n{}", found.len(), found.join("\n"));
    app.close().await;
}

/// Goes to `hash` from a form with edits, past the unsaved-edits warning.
async fn leave_edited_form(app: &App, hash: &str) {
    app.js(&format!("location.hash = '{hash}'; return true")).await;
    app.wait_until("document.getElementById('confirm').open", "the unsaved-edits warning").await;
    app.click("#confirm-ok").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_works_by_keyboard() {
    let app = App::start("keyboard").await;
    // The skip link is the first stop of Tab and leads to the page's heading.
    app.goto("#/agreements").await;
    app.js("document.activeElement.blur(); return true").await;
    app.keys("body", "\u{E004}").await; // Tab
    assert_eq!(app.js("return document.activeElement.id").await, "skip-link");
    app.keys("#skip-link", "\u{E007}").await; // Enter
    assert_eq!(
        app.js("return document.activeElement.tagName + ':' + document.activeElement.textContent").await,
        "H1:الاتفاقيات"
    );

    // After a navigation, focus is on the new page's heading, not on <body>.
    app.click("table.list tbody tr:first-child td:first-child a").await;
    app.wait_until("document.body.dataset.route.startsWith('agreement/')", "the agreement").await;
    app.wait_until("document.activeElement && document.activeElement.id === 'record-title'", "focus on the heading")
        .await;

    // Edit, save: back on the page, focus where it was (the Edit button).
    app.click("#edit").await;
    app.wait_until("document.body.dataset.route.endsWith('/edit')", "the form").await;
    app.click("#save").await;
    app.wait_until("!document.body.dataset.route.endsWith('/edit')", "saved").await;
    app.wait_until("document.activeElement && document.activeElement.id === 'edit'", "focus back on Edit").await;

    // Leaving an edited form asks first; kept, the edits stay.
    app.click("#edit").await;
    app.wait_until("document.body.dataset.route.endsWith('/edit')", "the form").await;
    app.type_into("[name=reference]", "-X").await;
    app.click("[data-nav=partners]").await;
    app.wait_until("document.querySelector('#confirm').open", "the warning").await;
    app.click("#confirm-cancel").await;
    app.wait_until("!document.querySelector('#confirm').open", "kept").await;
    assert!(app.js("return location.hash").await.as_str().unwrap().ends_with("/edit"));
    assert!(app.js("return document.querySelector('[name=reference]').value").await.as_str().unwrap().ends_with("-X"));
    // The partner picker: arrows move, Enter picks, and the form is not sent.
    app.type_into("#f-parties", "Mantes").await;
    app.wait_until("document.querySelectorAll('#f-parties-options [role=option]').length > 0", "options").await;
    app.keys("#f-parties", "\u{E015}").await; // ArrowDown
    app.keys("#f-parties", "\u{E007}").await; // Enter
    assert!(app.js("return location.hash").await.as_str().unwrap().ends_with("/edit"), "Enter did not submit the form");
    // Left after all: the edits are lost on purpose.
    app.click("[data-nav=partners]").await;
    app.wait_until("document.querySelector('#confirm').open", "the warning").await;
    app.click("#confirm-ok").await;
    app.wait_until("document.body.dataset.route === 'partners'", "the partners").await;

    // A form says every wrong field at once, each beside its field: an agreement with neither
    // title nor partner and a day June lacks; a session with a negative count and a word for a
    // number. An error stays until its field is edited.
    app.goto("#/agreement/new").await;
    app.type_into("[name=signed_on]", "31/06/2018").await;
    app.click("#save").await;
    let shown = "[...document.querySelectorAll('.field-error')].filter(e => e.textContent).map(e => e.closest('[data-field]').dataset.field).join(',')";
    app.wait_until(&format!("{shown} === 'title_ar,parties,signed_on'"), "three errors at once").await;
    app.type_into("[name=signed_on]", "x").await;
    app.wait_until(&format!("{shown} === 'title_ar,parties'"), "the edited field's error gone, the others kept").await;
    leave_edited_form(&app, "#/session/new").await;
    app.wait_until("document.body.dataset.route === 'session/new'", "the session form").await;
    app.type_into("[name=members_in_office]", "-5").await;
    app.type_into("[name=extension_days]", "ثلاثة").await;
    app.click("#save").await;
    app.wait_until(&format!("{shown} === 'members_in_office,extension_days'"), "both numbers at once").await;
    assert!(app.text("#record-form, form").await.contains("خارج الحدود"));
    // The numbers read, the core's own rules are said together too: a day February lacks and
    // the agenda received before it was sent.
    app.type_into("[name=members_in_office]", "31").await;
    app.clear("[name=extension_days]").await;
    app.type_into("[name=convocation_on]", "31/02/2019").await;
    app.type_into("[name=agenda_sent_on]", "10/05/2019").await;
    app.type_into("[name=agenda_received_on]", "01/05/2019").await;
    app.click("#save").await;
    app.wait_until(&format!("{shown} === 'agenda_received_on,convocation_on'"), "the core's errors at once").await;
    assert!(app.text("#record-form, form").await.contains("لا وجود لهذا اليوم"), "a day the calendar lacks, said so");
    leave_edited_form(&app, "#/partners").await;

    // Escape closes the Ctrl+K search box while its field has focus.
    app.click("#open-search").await;
    app.wait_until("document.activeElement.id === 'search-q'", "the search field").await;
    app.keys("#search-q", "\u{E00C}").await; // Escape
    app.wait_until("!document.querySelector('#search-dialog').open", "the search box closed").await;
    app.close().await;
}
