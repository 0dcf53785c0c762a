//! The dashboard through the real window, on the council's sample records: reached from the
//! home, its figures as counted by hand (3 agreements, one each South-South, South-North and
//! triangular, partners in four countries), bars drawn from the right in Arabic and from the
//! left in French, a year narrowing it, a bar leading to the list it counts, and the partners'
//! map (Morocco whole) with each partner country marked and leading to its partners; the annual
//! report printed from it.

use taawun_e2e::{pdf_text_squeezed, App};

#[tokio::test(flavor = "multi_thread")]
async fn the_cooperation_at_a_glance_in_arabic_and_french() {
    let mut app = App::start("dashboard").await;
    app.click("#open-dashboard").await;
    app.wait_text("#fig-agreements .card-count", "3").await;
    assert_eq!(app.text("#fig-countries .card-count").await, "4");
    // The numbers as a table beside each chart: one agreement per direction.
    let directions = app.text("#chart-direction-table").await;
    for d in ["جنوب-جنوب", "جنوب-شمال", "ثلاثي"] {
        assert!(directions.contains(d), "{d} in {directions}");
    }
    // Right to left: the bars start on the right, where the labels are.
    let rtl =
        app.js("const r = document.querySelector('#chart-kind .bar').getBBox(); return r.x + r.width > 300").await;
    assert_eq!(rtl, true, "the bars end on the right in Arabic");
    // The map: the four partner countries marked, Morocco whole.
    let marked = app.js("return [...document.querySelectorAll('#partners-map .partner-country')].map(a => a.dataset.country).sort().join(',')").await;
    assert_eq!(marked, "FR,MA,ML,SN");
    assert_eq!(app.js("return document.querySelector('#partners-map [data-country=EH]') === null").await, true);
    app.screenshot("dashboard-ar").await;
    app.select("#map-view", "africa_europe").await;
    app.wait_until(
        "document.getElementById('partners-map').getAttribute('viewBox').startsWith('430')",
        "Africa and Europe",
    )
    .await;
    app.screenshot("dashboard-map-africa-europe").await;

    // A year: 2018 is Bamako's.
    app.select("#figures-year", "2018").await;
    app.wait_text("#fig-agreements .card-count", "1").await;
    assert!(app.text("#chart-countries-table").await.contains("مالي"));
    app.goto("#/dashboard").await;
    app.wait_text("#fig-agreements .card-count", "3").await;

    // The annual report of 2018 from the dashboard, in Arabic; the test answers the save dialog.
    let report = app.data.path().join("تقرير-2018.pdf");
    app.answer_save_dialog(&report).await;
    assert_eq!(app.js("return document.getElementById('report-year').value").await, "2018", "the latest year");
    app.select("#report-lang", "ar").await;
    app.click("#print-report").await;
    app.wait_text("#toasts", "طبعت الوثيقة").await;
    let squeezed = pdf_text_squeezed(&report);
    assert!(squeezed.contains("التقريرالسنويلتعاونالمجلس،سنة2018"), "{squeezed}");
    assert!(squeezed.contains("الاتفاقياتالساريةخلال2018حسبنوعالتعاون"), "{squeezed}");
    let tree = String::from_utf8_lossy(
        &std::process::Command::new("pdfinfo").arg("-struct").arg(&report).output().expect("pdfinfo").stdout,
    )
    .to_string();
    assert_eq!(tree.lines().filter(|l| l.trim() == "Figure").count(), 5, "emblem, trend, direction, kind, map\n{tree}");
    app.js("document.getElementById('toasts').replaceChildren(); return true").await;

    // French: left to right, bars from the left.
    app.select("#lang-switch", "fr").await;
    app.wait_until("document.documentElement.dir === 'ltr'", "ltr").await;
    app.wait_text("#chart-direction-table", "Sud-Nord").await;
    assert_eq!(app.js("return document.getElementById('report-lang').value").await, "fr", "the report in French");
    let ltr = app.js("return document.querySelector('#chart-kind .bar').getBBox().x < 300").await;
    assert_eq!(ltr, true, "the bars start on the left in French");
    app.screenshot("dashboard-fr").await;

    // A bar leads to the list it counts: the two partnerships.
    app.click("#chart-kind-table a[href*='kind=partnership']").await;
    app.wait_until("location.hash.startsWith('#/agreements')", "the agreements list").await;
    app.wait_text("#list-count", "2").await;
    assert_eq!(app.js("return document.getElementById('filter-kind').value").await, "partnership");
    // Clearing the filters clears those that came with the address too.
    app.click("#clear-filters").await;
    app.wait_text("#list-count", "3").await;
    assert_eq!(app.js("return location.hash").await, "#/agreements");
    // And a direction's bar to the agreements of that direction: the tripartite one.
    app.goto("#/dashboard").await;
    app.wait_text("#chart-direction-table", "Triangulaire").await;
    app.click("#chart-direction-table a[href*='direction=triangular']").await;
    app.wait_until("location.hash.includes('direction=triangular')", "the triangular agreements").await;
    app.wait_text("#list-count", "1").await;
    assert_eq!(app.js("return document.getElementById('filter-direction').value").await, "triangular");

    // A country on the map leads to its partners.
    app.goto("#/dashboard").await;
    app.wait_until("document.querySelector('#partners-map [data-country=ML]') !== null", "the map").await;
    app.js("document.querySelector('#partners-map a[data-country=ML]').dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true})); return true").await;
    app.wait_until("location.hash === '#/partners?country=ML'", "Mali's partners").await;
    app.wait_text("#list-count", "1").await;
    app.select("#lang-switch", "ar").await;
    app.wait_until("document.documentElement.dir === 'rtl'", "rtl again").await;
    app.close().await;
}
