//! A council session through the real window (WebKitWebDriver under Xvfb): the council's
//! members, the session form, the agenda, the vote, the deadlines with their articles, a paper
//! printed from the session page, the example session's dossier and the legal settings.

use taawun_e2e::{pdf_text_squeezed, App};

/// A session built through the window: a member added, the form (the opening day proposed), two points (an
/// agreement chosen by name, a free-text point), reordered with the keyboard and the buttons, a
/// vote refused when it does not add up and then recorded, and the deadline that follows it, on
/// the session page and on the home. Then the example June 2019 session of the sample data.
#[tokio::test(flavor = "multi_thread")]
async fn a_session_from_agenda_to_vote_to_what_is_due() {
    let mut app = App::start("sessions").await;
    app.goto("#/sessions").await;
    app.wait_text("#sessions", "2019").await;
    // The council's members for the 2021 mandate: a member with no name at all is refused at the
    // field; then the secretary is added and listed with her role.
    app.click("#members-link").await;
    app.wait_until("document.body.dataset.route === 'members'", "the members page").await;
    app.type_into("#f-mandate", "2021").await;
    app.click("#add-member").await;
    app.wait_text("#member-form [data-field=name_ar] .field-error", "إلزامي").await;
    app.type_into("#f-name_ar", "فاطمة الزهراء بنعلي").await;
    app.select("#f-role", "secretary").await;
    app.click("#add-member").await;
    app.wait_text("#members-table", "فاطمة الزهراء بنعلي").await;
    app.wait_text("#members-table", "كاتب المجلس").await;
    app.goto("#/sessions").await;
    app.wait_text("#sessions", "2019").await;
    app.click("#new-session").await;
    app.wait_until("document.body.dataset.route === 'session/new'", "the session form").await;
    // "New session" is the next ordinary session from today, on the day law.rs computes.
    let rules = taawun_core::calendar::HolidayRules::default();
    let next = taawun_core::law::next_ordinary_opening(
        taawun_core::calendar::today(),
        &taawun_core::calendar::WorkingDays::new(&rules),
    );
    let next = next.to_string();
    let (next_year, next_month) = (&next[..4], next[5..7].trim_start_matches('0'));
    assert_eq!(app.js("return document.getElementById('f-year').value").await, next_year);
    assert_eq!(app.js("return document.getElementById('f-month').value").await, next_month);
    app.wait_until(
        &format!("document.getElementById('proposed-date').dataset.iso === '{next}'"),
        "the next ordinary session proposed",
    )
    .await;
    // January 2027: its second Monday (11 January) is the Manifesto of Independence; the form
    // proposes Tuesday 12 January, as the session page will (art. 34).
    app.type_into("#f-year", "2027").await;
    app.select("#f-month", "1").await;
    app.wait_text("#proposed-date", "12 يناير 2027").await;
    app.select("#f-kind", "ordinary").await;
    app.type_into("#f-year", "2026").await;
    app.select("#f-month", "9").await;
    app.wait_text("#proposed-date", "14 شتنبر 2026").await;
    app.type_into("#f-members_in_office", "31").await;
    app.click("#add-sitting").await;
    app.type_into(".sitting input[name=time]", "10:00").await;
    app.type_into(".sitting input[name=place]", "مقر العمالة").await;
    assert_eq!(app.js("return document.querySelector('.sitting input[name=held_on]').value").await, "14/09/2026");
    app.js("document.getElementById('session-steps').scrollIntoView({block: 'center'})").await;
    app.screenshot("session-form-ar").await;
    app.click("#save").await;
    app.wait_until(
        "document.body.dataset.route.startsWith('session/') && !!document.querySelector('.detail-session')",
        "the session page",
    )
    .await;
    app.wait_text("#record-title", "شتنبر 2026").await;
    app.wait_text(".sittings-list", "14 شتنبر 2026").await;
    app.wait_text(".sittings-list", "هـ").await;

    // Two points: the Bamako agreement found by name, then a free-text point.
    app.click("#add-point-toggle").await;
    app.select("#point-subject-kind", "agreement").await;
    app.type_into("#f-subject", "باماكو").await;
    app.click(".picker-option").await;
    app.type_into("#add-point-form input[name=rapporteur]", "رئيس لجنة الشراكة والتعاون").await;
    app.click("#save-point").await;
    app.wait_until("document.querySelectorAll('#agenda tr.point').length === 1", "the first point").await;
    app.click("#add-point-toggle").await;
    app.select("#point-subject-kind", "").await;
    app.type_into("#add-point-form input[name=title]", "الانخراط في شبكة المدن المتوسطية").await;
    app.click("#save-point").await;
    app.wait_until("document.querySelectorAll('#agenda tr.point').length === 2", "the second point").await;
    assert!(app.text("#agenda tr.point:nth-child(1)").await.contains("باماكو"));
    assert!(app.text("#agenda tr.point:nth-child(1)").await.contains("112.14"), "the legal basis from the agreement");

    // Reorder: Alt+↓ on the first row, then ▲ puts it back.
    const ALT: &str = "\u{E00A}";
    const DOWN: &str = "\u{E015}";
    const RELEASE: &str = "\u{E000}";
    app.js("document.querySelector('#agenda tr.point').focus(); return true").await;
    app.keys("#agenda tr.point:nth-child(1)", &format!("{ALT}{DOWN}{RELEASE}")).await;
    app.wait_until(
        "document.querySelector('#agenda tr.point:nth-child(2)').textContent.includes('باماكو')",
        "moved down by keyboard",
    )
    .await;
    app.click("#agenda tr.point:nth-child(2) .move-up").await;
    app.wait_until(
        "document.querySelector('#agenda tr.point:nth-child(1)').textContent.includes('باماكو')",
        "moved up by button",
    )
    .await;

    // The vote: more votes than members present is refused next to the field; then recorded.
    app.click("#agenda tr.point:nth-child(1) .record-vote").await;
    app.type_into(".vote-form input[name=members_present]", "20").await;
    app.type_into(".vote-form input[name=votes_for]", "19").await;
    app.type_into(".vote-form input[name=votes_against]", "2").await;
    app.type_into(".vote-form input[name=abstentions]", "1").await;
    app.click(".vote-form button[type=submit]").await;
    app.wait_text(".vote-form [data-field=votes_for] .field-error", "الحاضرين").await;
    app.type_into(".vote-form input[name=votes_for]", "17").await;
    assert_eq!(
        app.js("return document.querySelector('.vote-form input[name=votes_for]').value").await,
        "17",
        "the corrected count is what was typed"
    );
    app.click(".vote-form button[type=submit]").await;
    app.wait_until("!document.querySelector('.vote-form') || !!document.querySelector('#agenda tr.point:nth-child(1) .deliberation')", "the vote saved").await;
    app.wait_text("#agenda tr.point:nth-child(1) .deliberation", "2026/1").await;
    app.wait_text("#agenda tr.point:nth-child(1) .deliberation", "مصادق عليه").await;
    // The vote as a secretary writes it: the dual, "واحد" after the noun, the accusative of 11–99.
    app.wait_text("#agenda tr.point:nth-child(1) .deliberation", "20 حاضرا: 17 موافقا، معارضان، ممتنع واحد").await;
    // What must be sent to the governor, and by when (10 working days after 14 September 2026).
    app.wait_text("#session-deadlines", "إرسال المحضر إلى العامل").await;
    app.wait_text("#session-deadlines", "28 شتنبر 2026").await;
    app.wait_text("#session-deadlines", "10 أيام عمل بعد اختتام الدورة في 14 شتنبر 2026").await;
    assert_eq!(
        app.js(
            "return document.querySelector('#session-deadlines li[data-kind=notify]').classList.contains('overdue')"
        )
        .await,
        true,
        "overdue on 30 November 2026"
    );
    app.js("document.getElementById('toasts').replaceChildren(); document.getElementById('session-deadlines').scrollIntoView({block: 'start'})").await;
    app.screenshot("session-vote-ar").await;
    // The steps after the session, each with its article: the attendance copy (art. 68).
    app.wait_text("#session-deadlines li[data-kind=attendance_copy]", "المادة 68 من القانون التنظيمي 112.14").await;

    // The draft minutes printed from the page's button; the test answers the save dialog.
    let minutes = app.data.path().join("محضر.pdf");
    app.answer_save_dialog(&minutes).await;
    app.select("#paper-kind", "minutes").await;
    app.select("#paper-lang", "ar").await;
    app.click("#print-paper").await;
    app.wait_text("#toasts", "طبعت الوثيقة").await;
    assert!(minutes.is_file(), "the paper is where the dialog said");
    let squeezed = pdf_text_squeezed(&minutes);
    assert!(squeezed.contains("مشروعمحضرالدورة") && squeezed.contains("باماكو"), "{squeezed}");
    assert!(squeezed.contains("الانخراطفيشبكةالمدنالمتوسطية"), "the free-text point as typed: {squeezed}");
    assert!(std::process::Command::new("qpdf").arg("--check").arg(&minutes).output().unwrap().status.success());
    app.js("document.getElementById('toasts').replaceChildren(); document.getElementById('session-papers').scrollIntoView({block: 'center'})").await;
    app.screenshot("session-papers-ar").await;

    // The sending and receipt: the visa deadline replaces the notification.
    app.type_into("#notification-form input[name=notified_on]", "21/09/2026").await;
    app.type_into("#notification-form input[name=receipt_on]", "18/09/2026").await;
    app.click("#save-notification").await;
    app.wait_text("#notification-form [data-field=receipt_on] .field-error", "التوصل").await;
    app.type_into("#notification-form input[name=receipt_on]", "22/09/2026").await;
    app.click("#save-notification").await;
    app.wait_until("!!document.querySelector('#session-deadlines li[data-kind=visa]') && !document.querySelector('#session-deadlines li[data-kind=notify]')", "the visa is now what is awaited").await;

    // The home lists every open deadline: the example session's too.
    app.goto("#/home").await;
    app.wait_until("!!document.querySelector('#due li[data-kind=visa]')", "the visa on the home").await;
    app.js("document.getElementById('toasts').replaceChildren()").await;
    app.wait_text("#due", "دورة شتنبر 2026 العادية").await;
    app.screenshot("home-due-ar").await;

    // The example June 2019 session carries the Mantes-la-Jolie project and the Bamako agreement.
    app.goto("#/sessions").await;
    app.click("#sessions a[href='#/session/1']").await;
    app.wait_until("document.querySelectorAll('#agenda tr.point').length === 2", "the example agenda").await;
    assert!(app.text("#agenda").await.contains("مونت لاجولي") || app.text("#agenda").await.contains("الأمل"));
    assert!(app.text("#agenda").await.contains("باماكو"));
    // Its deliberation dossier, as the save dialog would name it: cover, agenda, both points.
    let dossier = app.data.path().join("ملف-المداولات.pdf");
    app.find("#export-dossier").await;
    // Beside the button: the dossier's language and edition (to print, or to archive as PDF/A-3).
    app.wait_until("document.querySelectorAll('#dossier-edition option').length === 2", "the two editions").await;
    app.js("document.getElementById('export-dossier').scrollIntoView({block: 'center'})").await;
    app.screenshot("session-dossier-ar").await;
    let export = format!("return await window.__TAURI__.core.invoke('export_dossier', {{sessionId: 1, pointId: null, lang: 'ar', dest: {}}})", serde_json::json!(dossier));
    let report = app.js(&export).await;
    assert!(report["pages"].as_i64().unwrap() >= 2, "{report}");
    assert_eq!(report["embedded"].as_u64(), Some(report["annexes"].as_array().unwrap().len() as u64), "{report}");
    let squeezed = pdf_text_squeezed(&dossier);
    assert!(squeezed.contains("ملفالمداولات") && squeezed.contains("باماكو"), "{squeezed}");

    // The legal delays are settings: an impossible quorum is refused next to its field.
    app.goto("#/settings").await;
    app.type_into("#f-quorum_ratio", "1.5").await;
    app.click("#save").await;
    app.wait_text("[data-field=quorum_ratio] .field-error", "النصاب").await;
    app.type_into("#f-quorum_ratio", "0.5").await;
    app.type_into("#f-opposition_working_days", "5").await;
    app.click("#save").await;
    app.wait_text("#toasts", "تم الحفظ").await;
    app.goto("#/home").await;
    app.goto("#/settings").await;
    assert_eq!(app.js("return document.getElementById('f-opposition_working_days').value").await, "5");
    app.close().await;
}

/// A session whose transmission deadline (art. 107, in working days) crosses a lunar holiday
/// still forecast: the home says the date depends on the forecast and offers the officer's one
/// action; recording the Ministry's announcement a day off moves the deadline, and the settings
/// list the month as the officer's, which can be forgotten again. The holiday is the first
/// forecast one whose shift changes the count, found from the shipped data, so the test holds
/// when later months are added to it.
#[tokio::test(flavor = "multi_thread")]
async fn recording_an_announced_month_moves_the_deadline_resting_on_it() {
    use taawun_core::calendar::{HolidayRules, WorkingDays};
    use taawun_core::model::{DeliberationData, Outcome, PointData, SessionData, SessionKind, Sitting};
    let mut app = App::start("forecast").await;
    let rules = HolidayRules::default();
    let days = WorkingDays::new(&rules);
    let (closed, month, shift, forecast_due, moved_due) = (2026..2040)
        .flat_map(|y| rules.holidays_of(y))
        .filter_map(|h| h.forecast.map(|m| (h.date, m)))
        .find_map(|(date, m)| {
            // The last working day at least three working days before the holiday.
            let mut closed = date - chrono::Days::new(5);
            while !days.is_working_day(closed) {
                closed = closed - chrono::Days::new(1);
            }
            let due = days.add(closed, 10);
            [-1i8, 1].into_iter().find_map(|shift| {
                let mut moved = rules.clone();
                moved.hijri_calendar.shift_month(m.year, m.month, shift).ok()?;
                let after = WorkingDays::new(&moved).add(closed, 10);
                (after != due).then_some((closed, m, shift, due, after))
            })
        })
        .expect("a forecast holiday whose month's shift moves a 10-working-day delay");
    // The session, its point and its vote, written beside the window as another desk would.
    {
        let mut s = taawun_core::store::Store::open(&app.db_path()).unwrap();
        let held = closed.format("%d/%m/%Y").to_string();
        let session = s
            .add_session(SessionData {
                kind: SessionKind::Extraordinary,
                year: chrono::Datelike::year(&closed),
                month: chrono::Datelike::month(&closed),
                number: Some(1),
                sittings: vec![Sitting { held_on: held.clone(), ..Sitting::default() }],
                members_in_office: Some(31),
                ..SessionData::default()
            })
            .unwrap()
            .id;
        let point = PointData {
            title: "اتفاقية شراكة مع جماعة أوروبية".into(), ..PointData::default()
        };
        let point = s.add_point(session, point).unwrap().record.id;
        let vote = DeliberationData {
            decided_on: held,
            members_present: 20,
            votes_for: 20,
            outcome: Outcome::Approved,
            ..DeliberationData::default()
        };
        s.deliberate(point, vote).unwrap();
    }
    app.goto("#/home").await;
    let item = format!("#due li[data-kind=notify][data-due='{forecast_due}']");
    app.wait_text(&item, "يتوقف على").await;
    let action = format!("{item} button[data-hijri='{}-{}'][data-shift='{shift}']", month.year, month.month);
    app.find(&action).await;
    app.screenshot("due-forecast-ar").await;
    app.click(&action).await;
    app.wait_until(
        &format!("!!document.querySelector(\"#due li[data-kind=notify][data-due='{moved_due}']\")"),
        "the deadline moved with the recorded month",
    )
    .await;
    let moved = app.text(&format!("#due li[data-kind=notify][data-due='{moved_due}']")).await;
    assert!(!moved.contains("يتوقف على"), "no longer a forecast: {moved}");

    // The settings list the months ahead: the first forecast one recorded a day later becomes
    // the officer's, a day further; forgetting it brings the forecast back.
    app.goto("#/settings").await;
    app.wait_text("#hijri-months", "تقدير من رؤية الهلال").await;
    let ahead = app.js("return document.querySelector('#hijri-months tr[data-basis=forecast]').dataset.hijri").await;
    let row = format!("#hijri-months tr[data-hijri='{}']", ahead.as_str().unwrap());
    let forecast_day = app.text(&format!("{row} td")).await;
    app.click(&format!("{row} button[data-shift='1']")).await;
    app.wait_until(&format!("document.querySelector(\"{row}\").dataset.basis === 'officer'"), "the officer's month")
        .await;
    assert_ne!(app.text(&format!("{row} td")).await, forecast_day, "a day later");
    app.click(&format!("{row} button[data-forget]")).await;
    app.wait_until(&format!("document.querySelector(\"{row}\").dataset.basis === 'forecast'"), "the forecast again")
        .await;
    assert_eq!(app.text(&format!("{row} td")).await, forecast_day);
    app.wait_text("#hijri-months", "تقدير من رؤية الهلال").await;
    app.js("document.getElementById('toasts').replaceChildren(); document.getElementById('hijri-months').scrollIntoView({block: 'start'}); return true").await;
    app.screenshot("hijri-months-ar").await;
    app.close().await;
}
