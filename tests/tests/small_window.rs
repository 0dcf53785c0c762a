//! The window at its smallest (900 × 600, `minWidth`/`minHeight` of tauri.conf.json), in Arabic
//! and in French: no field's placeholder is cut off (its text, measured in the field's own font,
//! fits the field's inner width), on every view with fields and in the Ctrl+K search box.

use taawun_e2e::App;

const VIEWS_WITH_FIELDS: &[&str] = &[
    "#/partners",
    "#/agreements",
    "#/projects",
    "#/memberships",
    "#/settings",
    "#/members",
    "#/session/1",
    "#/agreement/1",
    "#/partner/new",
    "#/agreement/new",
    "#/project/new",
    "#/membership/new",
    "#/session/new",
];

/// The placeholders of the fields shown that do not fit their field, with both widths.
const CUT_PLACEHOLDERS: &str = r#"
const measure = document.createElement('canvas').getContext('2d');
const cut = [];
for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
  if (!el.placeholder || !el.offsetParent) continue;
  const cs = getComputedStyle(el);
  measure.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const text = measure.measureText(el.placeholder).width;
  const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  if (text > room + 1) cut.push(`${el.name || el.id}: ${Math.round(text)} px in ${Math.round(room)} px «${el.placeholder}»`);
}
return cut;
"#;

async fn cut_placeholders(app: &App, lang: &str) -> Vec<String> {
    let mut found = Vec::new();
    for route in VIEWS_WITH_FIELDS {
        app.goto(route).await;
        let cut = app.js(CUT_PLACEHOLDERS).await;
        for c in cut.as_array().unwrap() {
            found.push(format!("{lang} {route}: {}", c.as_str().unwrap()));
        }
    }
    app.goto("#/home").await;
    app.click("#open-search").await;
    app.wait_until("document.activeElement.id === 'search-q'", "the search field").await;
    for c in app.js(CUT_PLACEHOLDERS).await.as_array().unwrap() {
        found.push(format!("{lang} search: {}", c.as_str().unwrap()));
    }
    app.js("document.querySelector('#search-dialog').close(); return true").await;
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn no_placeholder_is_cut_off_in_the_smallest_window() {
    let mut app = App::start("small-window").await;
    app.client.set_window_size(900, 600).await.expect("the window resized");
    app.wait_until("window.innerWidth <= 900", "the window at 900 px").await;
    let mut found = cut_placeholders(&app, "ar").await;
    app.goto("#/session/new").await;
    app.screenshot("session-form-900-ar").await;
    app.select("#lang-switch", "fr").await;
    app.wait_until("document.documentElement.lang === 'fr'", "French").await;
    found.extend(cut_placeholders(&app, "fr").await);
    app.goto("#/agreements").await;
    app.screenshot("agreements-900-fr").await;
    assert!(found.is_empty(), "{} placeholders cut off:\n{}", found.len(), found.join("\n"));
    app.close().await;
}
