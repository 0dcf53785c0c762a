//! Council sessions: sessions and their agenda points, votes, the notification to the governor,
//! oppositions and visas, what is due, and the legal settings.

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use taawun_core::i18n::{tr, tr_args};
use taawun_core::model::*;
use taawun_core::store::ListQuery;
use taawun_core::{Error, Result};

pub(crate) fn session(cx: &mut Ctx, action: SessionAction) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    match action {
        SessionAction::Add {
            kind,
            year,
            month,
            number,
            sittings,
            convocation,
            members,
            requested_by,
            requested_on,
            from_json,
        } => {
            let data: SessionData = match from_json {
                Some(p) => read_json(&p)?,
                None => {
                    let kind = SessionKind::parse("kind", &kind)?;
                    let today = taawun_core::calendar::today();
                    let year = year.unwrap_or(chrono::Datelike::year(&today));
                    let month = month.ok_or_else(|| Error::invalid("month", taawun_core::error::Rule::Required))?;
                    let mut sittings: Vec<Sitting> = sittings
                        .iter()
                        .map(|s| {
                            let mut parts = s.splitn(3, '@');
                            Sitting {
                                held_on: parts.next().unwrap_or_default().to_string(),
                                time: parts.next().unwrap_or_default().to_string(),
                                place: parts.next().unwrap_or_default().to_string(),
                                ..Sitting::default()
                            }
                        })
                        .collect();
                    if sittings.is_empty() && kind == SessionKind::Ordinary {
                        let rules = store.holiday_rules()?;
                        let days = taawun_core::calendar::WorkingDays::new(&rules);
                        if let Some(d) = taawun_core::law::opening_day(year, month, &days) {
                            sittings.push(Sitting { held_on: d.to_string(), ..Sitting::default() });
                        }
                    }
                    SessionData {
                        kind,
                        year,
                        month,
                        number,
                        sittings,
                        convocation_on: convocation,
                        members_in_office: members,
                        requested_by: RequestedBy::parse("requested_by", &requested_by)?,
                        requested_on,
                        ..SessionData::default()
                    }
                }
            };
            let r = store.add_session(data)?;
            let v = store.session_view(r.id, lang)?;
            print(json, &v, || session_text(&v, lang))?;
        }
        SessionAction::Steps {
            id,
            agenda_sent,
            agenda_received,
            convocation,
            extension,
            attendance_sent,
            minutes_to_members,
            decisions_posted,
        } => {
            let mut data = store.get_session(id)?.data;
            let set = |value: Option<String>, field: &mut String| {
                if let Some(v) = value {
                    *field = v;
                }
            };
            set(agenda_sent, &mut data.agenda_sent_on);
            set(agenda_received, &mut data.agenda_received_on);
            set(convocation, &mut data.convocation_on);
            set(attendance_sent, &mut data.attendance_sent_on);
            set(minutes_to_members, &mut data.minutes_to_members_on);
            set(decisions_posted, &mut data.decisions_posted_on);
            if let Some(days) = extension {
                data.extension_days = (days > 0).then_some(days);
            }
            store.update_session(id, data, None)?;
            let v = store.session_view(id, lang)?;
            print(json, &v, || session_text(&v, lang))?;
        }
        SessionAction::List { year } => {
            let page =
                store.list_sessions(&ListQuery { year, limit: Some(ListQuery::MAX_LIMIT), ..Default::default() })?;
            print(json, &page, || page.items.iter().map(|r| session_row_line(r, lang)).collect::<Vec<_>>().join("\n"))?;
        }
        SessionAction::Show { id } => {
            let v = store.session_view(id, lang)?;
            print(json, &v, || session_text(&v, lang))?;
        }
    }
    Ok(())
}

pub(crate) fn point(cx: &mut Ctx, action: PointAction) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    match action {
        PointAction::Add {
            session,
            agreement,
            project,
            membership,
            title,
            rapporteur,
            note_ar,
            note_fr,
            reexamines,
        } => {
            let subject = agreement
                .map(|id| Subject { kind: Entity::Agreement, id })
                .or(project.map(|id| Subject { kind: Entity::Project, id }))
                .or(membership.map(|id| Subject { kind: Entity::Membership, id }));
            let p = store.add_point(session, PointData { subject, title, rapporteur, note_ar, note_fr, reexamines })?;
            print(json, &p, || point_line(&p, lang))?;
        }
        PointAction::Move { id, to } => {
            let order = store.move_point(id, to)?;
            print(json, &order, || {
                order.iter().enumerate().map(|(i, p)| format!("{}\t{p}", i + 1)).collect::<Vec<_>>().join("\n")
            })?;
        }
        PointAction::List { session } => {
            let points = store.points_of(session)?;
            print(json, &points, || points.iter().map(|p| point_line(p, lang)).collect::<Vec<_>>().join("\n"))?;
        }
    }
    Ok(())
}

pub(crate) fn deliberate(
    cx: &mut Ctx,
    DeliberateArgs { point, votes_for, against, abstain, present, outcome, on, number, text, president }: DeliberateArgs,
) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let decided_on = match on {
        Some(d) => d,
        None => store
            .get_session(store.get_point(point)?.session_id)?
            .data
            .closed_on()
            .map(|d| d.to_string())
            .unwrap_or_default(),
    };
    let data = DeliberationData {
        number,
        decided_on,
        members_present: present.unwrap_or(votes_for + against + abstain),
        votes_for,
        votes_against: against,
        abstentions: abstain,
        outcome: Outcome::parse("outcome", &outcome)?,
        decision_text: text,
        president_vote: PresidentVote::parse("president_vote", &president)?,
    };
    let d = store.deliberate(point, data)?;
    let d = store.get_deliberation(d.record.id, lang)?;
    print(json, &d, || deliberation_line(&d, lang))?;
    Ok(())
}

pub(crate) fn notify(cx: &mut Ctx, NotifyArgs { session, sent, receipt }: NotifyArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let n = store.record_notification(session, &sent, &receipt)?;
    print(json, &n, || {
        tr_args(
            lang,
            "cli.notified",
            &[("sent", &show_day(&n.notified_on, lang)), ("receipt", &show_day(&n.receipt_on, lang))],
        )
    })?;
    Ok(())
}

pub(crate) fn oppose(cx: &mut Ctx, OpposeArgs { deliberation, on, reason }: OpposeArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let d = store.record_opposition(deliberation, &on, &reason)?;
    print(json, &d, || deliberation_line(&d, lang))?;
    Ok(())
}

pub(crate) fn visa(cx: &mut Ctx, VisaArgs { deliberation, status, on, reference }: VisaArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let d =
        store.record_visa(deliberation, VisaData { status: VisaStatus::parse("status", &status)?, on, reference })?;
    print(json, &d, || deliberation_line(&d, lang))?;
    Ok(())
}

pub(crate) fn due(cx: &mut Ctx, DueArgs { at }: DueArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let at = match at {
        Some(text) => day_of(&text)?,
        None => taawun_core::calendar::today(),
    };
    let items = store.due(at, lang)?;
    print(json, &items, || {
        if items.is_empty() {
            return tr(lang, "due.none");
        }
        items
            .iter()
            .map(|d| {
                format!(
                    "{}{}\t{}\t{}:{}\t{}\t{}",
                    if d.overdue { "! " } else { "" },
                    d.due_on,
                    tr(lang, &format!("due.kind.{}", d.kind)),
                    d.entity,
                    d.id,
                    d.label,
                    d.rule
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    Ok(())
}

pub(crate) fn legal(
    cx: &mut Ctx,
    LegalArgs { notify_days, opposition_days, visa_days, convocation_days, quorum, number_pattern }: LegalArgs,
) -> Result<()> {
    let (store, json) = (&mut cx.store, cx.json);
    let mut s = store.legal_settings()?;
    let changed = notify_days.is_some()
        || opposition_days.is_some()
        || visa_days.is_some()
        || convocation_days.is_some()
        || quorum.is_some()
        || number_pattern.is_some();
    if let Some(n) = notify_days {
        s.notify_working_days = n;
    }
    if let Some(n) = opposition_days {
        s.opposition_working_days = n;
    }
    if let Some(n) = visa_days {
        s.visa_days = n;
    }
    if let Some(n) = convocation_days {
        s.convocation_days = n;
    }
    if let Some(q) = quorum {
        s.quorum_ratio = q;
    }
    if let Some(p) = number_pattern {
        s.number_pattern = p;
    }
    if changed {
        s = store.set_legal_settings(s)?;
    }
    print(json, &s, || serde_json::to_string_pretty(&s).unwrap_or_default())?;
    Ok(())
}

pub(crate) fn calendar(cx: &mut Ctx, CalendarArgs { output, at }: CalendarArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let at = match at {
        Some(text) => day_of(&text)?,
        None => taawun_core::calendar::today(),
    };
    let ics = store.calendar_ics(at, lang)?;
    taawun_core::print::write_text_atomically(&output, &ics)?;
    let events = ics.matches("BEGIN:VEVENT").count();
    print(json, &serde_json::json!({"output": output, "events": events}), || {
        tr_args(
            lang,
            "cli.calendar_written",
            &[
                ("path", &output.display().to_string()),
                ("events", &taawun_core::plural::counted(lang, "event", events as u64)),
            ],
        )
    })?;
    Ok(())
}
