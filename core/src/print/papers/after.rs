//! The papers after a session: the draft minutes (محضر, art. 48) from what Taawun recorded, the
//! extract of one decision (مقرر, arts. 44, 48) and the transmittal form to the governor
//! (بطاقة الإرساليات, art. 107, decision 674.18 model) which the notification then dates.

use super::Sources;
use crate::error::{Error, Result};
use crate::i18n::{tr, tr_args, Lang};
use crate::law;
use crate::print::day;
use crate::store::PointView;
use crate::typeset::Block;

/// The vote of a point in words ("25 present: 20 for, 3 against, 2 abstaining"), with the
/// president's vote when it decided a tie.
fn vote_line(p: &PointView, lang: Lang) -> Option<String> {
    let d = p.deliberation.as_ref()?;
    let v = &d.record.data;
    let mut line = crate::plural::vote_line(lang, v.members_present, v.votes_for, v.votes_against, v.abstentions);
    if v.votes_for == v.votes_against && v.president_vote != crate::model::PresidentVote::NotRecorded {
        line.push_str(&format!(
            "; {}: {} ({})",
            tr(lang, "field.president_vote"),
            tr(lang, &format!("president_vote.{}", v.president_vote.as_str())),
            law::MAJORITY.cite(lang)
        ));
    }
    Some(line)
}

/// The draft minutes: the officer's opening words, each sitting with its convocation and quorum,
/// each point with its rapporteur, vote, outcome and decision number, the closing words, and the
/// signatures of the president and the secretary.
pub(super) fn minutes(src: &Sources) -> Vec<Block> {
    let s = &src.view.record.data;
    let mut blocks = Vec::new();
    if s.minutes_opening.is_empty() {
        blocks.push(src.say("minutes.opening", |_| Vec::new()));
    } else {
        blocks.push(Block::Paragraph { text: s.minutes_opening.clone() });
    }
    let in_office = s.members_in_office.or((!src.members.is_empty()).then_some(src.members.len() as u32));
    // The quorum line of a sitting in each of the paper's languages.
    let quorum_line = |key: &str, p: u32, n: u32| {
        src.in_lang(|l| {
            tr_args(l, key, &[("present", &crate::plural::counted(l, "present", p.into())), ("n", &n.to_string())])
        })
    };
    blocks.push(Block::Heading { text: src.label("paper.timetable"), level: 1 });
    let rows = src
        .view
        .sittings
        .iter()
        .map(|v| {
            let quorum = match (v.sitting.present, in_office) {
                (Some(p), Some(n))
                    if crate::model::session_law::valid_whatever_attendance(s.requested_by, v.sitting.round) =>
                {
                    quorum_line("paper.minutes.third", p, n)
                }
                (Some(p), Some(n)) if law::quorum_met(p, n) => quorum_line("paper.minutes.quorum_met", p, n),
                (Some(p), Some(n)) => quorum_line("paper.minutes.quorum_failed", p, n),
                _ => String::new(),
            };
            vec![
                src.in_lang(|l| day(&v.sitting.held_on, l)),
                src.lang.label(&format!("paper.round.{}", v.sitting.round)),
                quorum,
            ]
        })
        .collect();
    blocks.push(Block::Table {
        columns: vec![
            (src.label("field.held_on"), 1.6),
            (src.label("field.round"), 1.2),
            (src.label("paper.minutes.quorum"), 2.6),
        ],
        rows,
    });
    blocks.push(Block::Note {
        text: src.in_lang(|l| format!("{} — {}", tr(l, "paper.minutes.quorum_rule"), law::QUORUM.cite(l))),
    });
    for p in &src.view.points {
        blocks.push(Block::Heading {
            text: format!("{} {}: {}", src.label("paper.point"), p.point.position, src.point_title_in(p, src.main))
                .replace('\n', " — "),
            level: 1,
        });
        let data = &p.point.record.data;
        let mut fields = Vec::new();
        if !data.rapporteur.is_empty() {
            fields.push((src.label("field.rapporteur"), data.rapporteur.clone()));
        }
        match &p.deliberation {
            None => fields.push((src.label("dossier.vote"), src.in_lang(|l| tr(l, "session.not_voted")))),
            Some(d) => {
                let v = &d.record.data;
                fields.push((src.label("dossier.votes"), src.in_lang(|l| vote_line(p, l).unwrap_or_default())));
                fields.push((src.label("field.outcome"), src.lang.choice("outcome", v.outcome.as_str())));
                fields.push((src.label("field.number"), v.number.clone()));
                if !v.decision_text.is_empty() {
                    fields.push((src.label("field.decision_text"), v.decision_text.clone()));
                }
            }
        }
        blocks.push(Block::Fields(fields));
        // The presentation note in the paper's language.
        let note = if src.main == Lang::Fr { &data.note_fr } else { &data.note_ar };
        if !note.is_empty() {
            blocks.push(Block::Paragraph { text: note.clone() });
        }
    }
    if s.minutes_closing.is_empty() {
        let closed = s.closed_on().map(|d| d.to_string()).unwrap_or_default();
        blocks.push(src.say("minutes.closing", |l| vec![("date", src.date_in(&closed, l))]));
    } else {
        blocks.push(Block::Paragraph { text: s.minutes_closing.clone() });
    }
    blocks.push(Block::Note {
        text: src.in_lang(|l| format!("{} — {}", tr(l, "paper.minutes.register"), law::MINUTES.cite(l))),
    });
    blocks.extend(src.signatures(&["member_role.president", "member_role.secretary"]));
    blocks
}

/// The extract of the decision on one point: number, date, legal basis, the vote, the operative
/// text, and the signatures of the president and the secretary (art. 48).
pub(super) fn decision(src: &Sources, point_id: i64) -> Result<Vec<Block>> {
    let p = src
        .view
        .points
        .iter()
        .find(|p| p.point.record.id == point_id)
        .ok_or(Error::invalid("point", crate::error::Rule::NotOnAgenda))?;
    let d = p.deliberation.as_ref().ok_or(Error::invalid("point", crate::error::Rule::NotDecided))?;
    let v = &d.record.data;
    let mut blocks =
        vec![Block::Heading { text: format!("{} {}", src.label("paper.decision.number"), v.number), level: 1 }];
    let hijri_day = crate::calendar::PartialDate::stored(&v.decided_on).and_then(|x| x.as_day());
    let rules = src.store.holiday_rules()?;
    blocks.push(src.say("decision.preamble", |l| {
        let hijri = hijri_day.map(|x| rules.hijri_calendar.to_hijri(x).display(l)).unwrap_or_default();
        vec![("date", day(&v.decided_on, l)), ("hijri", hijri)]
    }));
    // The visas: the organic law, then the basis typed on the agreement or project.
    let basis = p.about.as_ref().map(|a| a.legal_basis.clone()).unwrap_or_default();
    blocks.push(src.say("decision.basis", |_| Vec::new()));
    blocks.extend(super::visas::basis_visa(&basis, src.main).map(|text| Block::Paragraph { text }));
    blocks.push(src.say("decision.after", |l| vec![("point", src.point_title_in(p, l))]));
    blocks.push(Block::Fields(vec![
        (src.label("dossier.votes"), src.in_lang(|l| vote_line(p, l).unwrap_or_default())),
        (src.label("field.outcome"), src.lang.choice("outcome", v.outcome.as_str())),
    ]));
    blocks.push(src.say("decision.decides", |_| Vec::new()));
    let operative = if v.decision_text.is_empty() {
        let key = format!("paper.decision.default_{}", v.outcome.as_str());
        tr_args(src.main, &key, &[("point", &src.point_title_in(p, src.main))])
    } else {
        v.decision_text.clone()
    };
    blocks.push(Block::Paragraph { text: operative });
    if d.visa.status != crate::model::VisaStatus::NotRequired {
        blocks.push(Block::Note {
            text: src.in_lang(|l| format!("{} — {}", tr(l, "paper.decision.visa"), law::VISA.cite(l))),
        });
    }
    blocks.extend(src.signatures(&["member_role.president", "member_role.secretary"]));
    Ok(blocks)
}

/// The transmittal form to the governor: sender, addressee, subject, the documents sent (the
/// minutes, each decision, the attendance register), the references and dates, and the receipt.
pub(super) fn transmittal(src: &Sources) -> Vec<Block> {
    let s = &src.view.record.data;
    let n = &src.view.notification;
    let mut blocks = vec![Block::Fields(vec![
        (src.label("paper.transmittal.from"), src.council(src.main).to_string()),
        (src.label("paper.transmittal.to"), tr(src.main, "paper.transmittal.governor")),
        (
            src.label("paper.transmittal.subject"),
            tr_args(src.main, "paper.transmittal.subject_value", &[("session", &src.session_name(src.main))]),
        ),
    ])];
    let mut rows = vec![vec!["1".into(), src.label("paper.minutes.title"), "1".into(), String::new()]];
    for p in &src.view.points {
        if let Some(d) = &p.deliberation {
            rows.push(vec![
                (rows.len() + 1).to_string(),
                format!(
                    "{} {} — {}",
                    src.label("paper.decision.number"),
                    d.record.data.number,
                    src.point_title_in(p, src.main).replace('\n', " — ")
                ),
                "1".into(),
                src.lang.choice("outcome", d.record.data.outcome.as_str()),
            ]);
        }
    }
    rows.push(vec![(rows.len() + 1).to_string(), src.label("paper.attendance.title"), "1".into(), String::new()]);
    blocks.push(Block::Heading { text: src.label("paper.transmittal.documents"), level: 1 });
    blocks.push(Block::Table {
        columns: vec![
            (src.label("paper.number"), 0.4),
            (src.label("paper.transmittal.document"), 3.6),
            (src.label("paper.transmittal.copies"), 0.7),
            (src.label("paper.transmittal.remarks"), 1.2),
        ],
        rows,
    });
    let closed = s.closed_on();
    // The date to send by, and what it depends on when its working days cross a lunar holiday
    // whose month is still a forecast ("Depends on the forecast date of Eid al-Adha 1448 AH.").
    let (deadline, forecasts) = closed
        .map(|c| {
            let rules = src.store.holiday_rules().unwrap_or_default();
            let legal = src.store.legal_settings().unwrap_or_default();
            let days = crate::calendar::WorkingDays::new(&rules);
            let due = days.add(c, legal.notify_working_days);
            (Some(due.to_string()), days.forecasts_between(c, due))
        })
        .unwrap_or_default();
    blocks.push(Block::Heading { text: src.label("paper.transmittal.dates"), level: 1 });
    blocks.push(Block::Fields(vec![
        (
            src.label("paper.transmittal.closed_on"),
            src.in_lang(|l| src.date_in(&closed.map(|d| d.to_string()).unwrap_or_default(), l)),
        ),
        (
            src.label("paper.transmittal.send_by"),
            src.in_lang(|l| {
                let date = src.date_in(deadline.as_deref().unwrap_or_default(), l);
                let depends = crate::calendar::depends_on(&forecasts, l);
                [Some(date), Some(law::TRANSMISSION.cite(l)), depends]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — ")
            }),
        ),
        (src.label("field.notified_on"), src.in_lang(|l| src.date_in(&n.notified_on, l))),
        (src.label("field.receipt_on"), src.in_lang(|l| src.date_in(&n.receipt_on, l))),
    ]));
    blocks.push(Block::Note { text: src.in_lang(|l| tr(l, "paper.transmittal.model")) });
    blocks.extend(src.signatures(&["member_role.president", "paper.transmittal.receipt"]));
    blocks
}
