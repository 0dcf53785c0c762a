//! The papers before a session: the convocation (art. 36; art. 38 for a session the governor
//! asked for), the agenda sent to the governor (art. 39) and the attendance register (art. 68).

use super::Sources;
use crate::error::Result;
use crate::i18n::{tr, Lang};
use crate::law;
use crate::model::RequestedBy;
use crate::typeset::Block;
use chrono::Days;

/// The letter to each member of the session's mandate (a model letter when none is recorded):
/// the agenda, the timetable of sittings, the documents of each point, the convocation's date
/// and the delay the law sets.
pub(super) fn convocation(src: &Sources) -> Result<Vec<Block>> {
    let s = &src.view.record.data;
    let (delay, article) = crate::model::session_law::convocation_delay(s.requested_by, &src.store.legal_settings()?);
    let first = s.first_sitting();
    let sitting = src.view.sittings.first().map(|v| v.sitting.clone()).unwrap_or_default();
    let documents = documents_of_points(src)?;
    // One convocation per member, addressed by name; with no member recorded, one model
    // addressed to "the member" (the honorific once: "إلى السيد(ة) العضو(ة) المحترم(ة)").
    let l = src.main;
    let addressees: Vec<String> = if src.members.is_empty() {
        vec![tr(l, "paper.convocation.to_model")]
    } else {
        src.members
            .iter()
            .map(|m| crate::i18n::tr_args(l, "paper.convocation.to", &[("name", m.data.name(l))]))
            .collect()
    };
    let mut blocks = Vec::new();
    for (i, to) in addressees.into_iter().enumerate() {
        if i > 0 {
            blocks.push(Block::PageBreak);
        }
        // The addressee heads each convocation (H2 under the title: PDF/UA's heading order).
        blocks.push(Block::Heading { text: to, level: 1 });
        let first_day = first.map(|d| d.to_string()).unwrap_or_default();
        blocks.push(src.say("convocation.body", |l| {
            vec![
                ("date", src.date_in(&first_day, l)),
                ("time", if sitting.time.is_empty() { "......".into() } else { sitting.time.clone() }),
                ("place", if sitting.place.is_empty() { "....................".into() } else { sitting.place.clone() }),
                ("article", article.cite(l)),
            ]
        }));
        blocks.push(Block::Heading { text: src.label("paper.agenda_heading"), level: 1 });
        blocks.push(src.agenda_table());
        blocks.push(Block::Heading { text: src.label("paper.timetable"), level: 1 });
        blocks.push(src.timetable());
        blocks.push(Block::Heading { text: src.label("paper.documents"), level: 1 });
        if documents.is_empty() {
            blocks.push(Block::Note { text: src.in_lang(|l| tr(l, "paper.convocation.notes_only")) });
        } else {
            blocks.push(Block::Table {
                columns: vec![(src.label("paper.number"), 0.5), (src.label("field.title"), 4.2)],
                rows: documents.iter().map(|(n, t)| vec![n.to_string(), t.clone()]).collect(),
            });
        }
        let due = first.map(|f| f - Days::new(delay.into()));
        blocks.push(Block::Fields(vec![
            (src.label("field.convocation_on"), src.in_lang(|l| src.date_in(&s.convocation_on, l))),
            (
                src.label("paper.convocation.delay"),
                src.in_lang(|l| {
                    let n = crate::plural::counted(l, "day", delay.into());
                    format!(
                        "{} — {}",
                        crate::i18n::tr_args(l, "paper.convocation.delay_value", &[("n", &n)]),
                        article.cite(l)
                    )
                }),
            ),
            (
                src.label("paper.convocation.reach_by"),
                src.in_lang(|l| src.date_in(&due.map(|d| d.to_string()).unwrap_or_default(), l)),
            ),
        ]));
        blocks.extend(src.signatures(&["member_role.president"]));
    }
    Ok(blocks)
}

/// The documents of each point's record, numbered by point.
fn documents_of_points(src: &Sources) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for p in &src.view.points {
        if let Some(a) = &p.about {
            for d in src.store.documents_of(a.kind, a.id)? {
                let data = &d.record.data;
                // Named by its title; untitled, by what it is and when it was signed (a file
                // name is no title on a convocation), the file name only for an untitled "other".
                let title = if !data.title.is_empty() {
                    data.title.clone()
                } else if data.kind == crate::model::DocumentKind::Other && data.signed_on.is_empty() {
                    d.original_name.clone()
                } else {
                    let kind = src.lang.choice("document_kind", data.kind.as_str());
                    match data.signed_on.is_empty() {
                        true => kind,
                        false => {
                            let comma = tr(src.main, "calendar.separator");
                            format!("{kind}{comma}{}", src.date_in(&data.signed_on, src.main))
                        }
                    }
                };
                out.push((p.point.position, title));
            }
        }
    }
    Ok(out)
}

/// The agenda the president sends to the governor, with its sending date and the governor's
/// eight days (arts. 39, 40, 42).
pub(super) fn agenda(src: &Sources) -> Vec<Block> {
    let s = &src.view.record.data;
    let mut blocks = vec![src.say("agenda.body", |_| Vec::new())];
    blocks.push(Block::Heading { text: src.label("paper.agenda_heading"), level: 1 });
    blocks.push(src.agenda_table());
    blocks.push(Block::Heading { text: src.label("paper.timetable"), level: 1 });
    blocks.push(src.timetable());
    let mut fields = vec![(src.label("field.agenda_sent_on"), src.in_lang(|l| src.date_in(&s.agenda_sent_on, l)))];
    if s.requested_by == RequestedBy::President {
        if let Some(first) = s.first_sitting() {
            let by = (first - Days::new(law::AGENDA_DAYS)).to_string();
            fields.push((
                src.label("paper.agenda.send_by"),
                src.in_lang(|l| format!("{} — {}", src.date_in(&by, l), law::AGENDA_TO_GOVERNOR.cite(l))),
            ));
        }
    }
    fields.push((
        src.label("paper.agenda.governor_days"),
        src.in_lang(|l| {
            let n = genitive_days(l, law::GOVERNOR_REPLY_DAYS);
            format!(
                "{} — {}",
                crate::i18n::tr_args(l, "paper.agenda.governor_days_value", &[("n", &n)]),
                law::Article::cite_all(&[law::GOVERNOR_ADDITIONS, law::GOVERNOR_OPPOSES_POINTS], l)
            )
        }),
    ));
    blocks.push(Block::Fields(fields));
    blocks.extend(src.signatures(&["member_role.president"]));
    blocks
}

/// One register page per sitting: the members of the mandate with a column to sign (blank
/// numbered lines for the members in office when no list is recorded).
pub(super) fn attendance(src: &Sources) -> Vec<Block> {
    let s = &src.view.record.data;
    let mut blocks = Vec::new();
    let rows: Vec<Vec<String>> = if src.members.is_empty() {
        (1..=s.members_in_office.unwrap_or(30))
            .map(|n| vec![n.to_string(), String::new(), String::new(), String::new()])
            .collect()
    } else {
        src.members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                vec![
                    (i + 1).to_string(),
                    m.data.name(src.main).to_string(),
                    src.lang.choice("member_role", m.data.role.as_str()),
                    String::new(),
                ]
            })
            .collect()
    };
    for (i, sitting) in src.view.sittings.iter().enumerate() {
        if i > 0 {
            blocks.push(Block::PageBreak);
        }
        blocks.push(Block::Heading {
            text: format!(
                "{} — {}",
                src.label("paper.attendance.sitting"),
                crate::print::day(&sitting.sitting.held_on, src.main)
            ),
            level: 1,
        });
        let mut fields =
            vec![(src.label("field.round"), src.lang.label(&format!("paper.round.{}", sitting.sitting.round)))];
        if !sitting.sitting.time.is_empty() || !sitting.sitting.place.is_empty() {
            fields.push((
                src.label("field.place"),
                format!("{} {}", sitting.sitting.time, sitting.sitting.place).trim().to_string(),
            ));
        }
        blocks.push(Block::Fields(fields));
        blocks.push(Block::Table {
            columns: vec![
                (src.label("paper.number"), 0.4),
                (src.label("paper.attendance.name"), 2.6),
                (src.label("field.role"), 1.4),
                (src.label("paper.attendance.signature"), 1.8),
            ],
            rows: rows.clone(),
        });
        blocks.push(Block::Note {
            text: src.in_lang(|l| {
                let n = genitive_days(l, law::ATTENDANCE_COPY_DAYS);
                format!(
                    "{} ({})",
                    crate::i18n::tr_args(l, "paper.attendance.copy", &[("n", &n)]),
                    law::ATTENDANCE_COPY.cite(l)
                )
            }),
        });
        blocks.extend(src.signatures(&["member_role.president", "member_role.secretary"]));
    }
    if blocks.is_empty() {
        blocks.push(Block::Note { text: src.in_lang(|l| tr(l, "session.no_sittings")) });
    }
    blocks
}

/// Days after "داخل أجل" (an idafa: "داخل أجل يومين").
fn genitive_days(lang: Lang, n: u64) -> String {
    crate::plural::counted_as(lang, "day", n, crate::plural::Case::Genitive)
}
