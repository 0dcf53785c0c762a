//! The papers of a council session, typeset by Taawun in Arabic, French or both: before it the
//! convocation of each member (art. 36 of Organic Law 112-14), the agenda sent to the governor
//! (art. 39) and the attendance register of each sitting (art. 68); after it the draft minutes
//! (art. 48), the extract of a decision (arts. 44, 48) and the transmittal form to the governor
//! (art. 107; model of the Interior's decision n° 674.18 of 7 March 2018).
//!
//! Every paper is built from what the session page holds: nothing is typed twice. The words of
//! the papers are translation keys under `paper.*`; a bilingual paper is the Arabic paper and the
//! French paper side by side, the Arabic in the right column (`side_by_side`).

mod after;
mod before;
mod visas;

use super::{day, PrintLang};
use crate::error::{Error, Result, Rule};
use crate::i18n::{tr_args, Lang};
use crate::model::{MemberData, Record};
use crate::store::{session_label, PointView, SessionView, Store};
use crate::typeset::Block;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The papers a session has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    Convocation,
    Agenda,
    Attendance,
    Minutes,
    Decision,
    Transmittal,
}

impl Paper {
    pub const ALL: [Paper; 6] =
        [Paper::Convocation, Paper::Agenda, Paper::Attendance, Paper::Minutes, Paper::Decision, Paper::Transmittal];

    pub fn as_str(self) -> &'static str {
        match self {
            Paper::Convocation => "convocation",
            Paper::Agenda => "agenda",
            Paper::Attendance => "attendance",
            Paper::Minutes => "minutes",
            Paper::Decision => "decision",
            Paper::Transmittal => "transmittal",
        }
    }
}

impl std::str::FromStr for Paper {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Paper::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| Error::invalid("paper", Rule::UnknownValue))
    }
}

/// What a paper in one language is made from (a bilingual paper is two: `side_by_side`).
struct Sources<'a> {
    store: &'a Store,
    view: SessionView,
    /// Arabic or French.
    lang: PrintLang,
    main: Lang,
    members: Vec<Record<MemberData>>,
    /// The council's name ("مجلس عمالة الرباط" / "Conseil de la Préfecture de Rabat").
    council: (String, String),
}

impl Sources<'_> {
    /// A text written in the paper's language.
    fn in_lang(&self, text: impl Fn(Lang) -> String) -> String {
        text(self.main)
    }

    /// A label in the paper's language(s).
    fn label(&self, key: &str) -> String {
        self.lang.label(key)
    }

    fn council(&self, lang: Lang) -> &str {
        if lang == Lang::Fr {
            &self.council.1
        } else {
            &self.council.0
        }
    }

    fn session_name(&self, lang: Lang) -> String {
        let s = &self.view.record.data;
        session_label(s.kind.as_str(), s.year, s.month, s.number, lang)
    }

    /// A paragraph from a key under `paper.` with `{council}` and `{session}` filled in, and the
    /// arguments `args` gives for the paper's language (dates and articles written in it).
    fn say(&self, key: &str, args: impl Fn(Lang) -> Vec<(&'static str, String)>) -> Block {
        let l = self.main;
        let mut owned = args(l);
        owned.push(("council", self.council(l).to_string()));
        // Inside a French sentence the session's name starts in lower case ("la session …").
        let name = self.session_name(l);
        let name = match (l, name.chars().next()) {
            (Lang::Fr, Some(c)) => c.to_lowercase().chain(name.chars().skip(1)).collect(),
            _ => name,
        };
        owned.push(("session", name));
        let all: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Block::Paragraph { text: tr_args(l, &format!("paper.{key}"), &all) }
    }

    /// A stored date in `lang`, with dots when there is none (to fill in by hand).
    fn date_in(&self, stored: &str, lang: Lang) -> String {
        let d = day(stored, lang);
        if d.is_empty() {
            "........................".into()
        } else {
            d
        }
    }

    /// A point's title in one language, for a sentence in that language: the officer's own
    /// title, else the linked record's name in that language (the other when it has none).
    fn point_title_in(&self, p: &PointView, lang: Lang) -> String {
        let free = p.point.record.data.title.clone();
        let (false, Some(about)) = (!free.is_empty(), &p.about) else { return free };
        let (ar, latin) = (about.label_ar.clone(), about.label_latin.clone());
        let (first, second) = if lang == Lang::Fr { (latin, ar) } else { (ar, latin) };
        if first.is_empty() {
            second
        } else {
            first
        }
    }

    /// The agenda as a table: number, point, rapporteur.
    fn agenda_table(&self) -> Block {
        Block::Table {
            columns: vec![
                (self.label("paper.number"), 0.5),
                (self.label("paper.point"), 3.6),
                (self.label("field.rapporteur"), 1.6),
            ],
            rows: self
                .view
                .points
                .iter()
                .map(|p| {
                    vec![
                        p.point.position.to_string(),
                        self.point_title_in(p, self.main),
                        p.point.record.data.rapporteur.clone(),
                    ]
                })
                .collect(),
        }
    }

    /// The sittings as a table: day (with the Hijri date), time, place.
    fn timetable(&self) -> Block {
        Block::Table {
            columns: vec![
                (self.label("field.held_on"), 2.0),
                (self.label("field.time"), 0.8),
                (self.label("field.place"), 2.0),
            ],
            rows: self
                .view
                .sittings
                .iter()
                .map(|s| {
                    let hijri = if s.hijri.is_empty() { String::new() } else { format!("\n{}", s.hijri) };
                    vec![
                        format!("{}{hijri}", day(&s.sitting.held_on, self.main)),
                        format!("\u{2066}{}\u{2069}", s.sitting.time),
                        s.sitting.place.clone(),
                    ]
                })
                .collect(),
        }
    }

    /// Signature blocks side by side: a column per signatory, room to sign under each.
    fn signatures(&self, keys: &[&str]) -> Vec<Block> {
        vec![Block::Space(18.0), Block::Signatures(keys.iter().map(|k| self.label(k)).collect())]
    }
}

/// Prints paper `paper` of session `session_id` (a decision extract needs its `point_id`) to
/// `dest`; returns the number of pages.
pub fn session_paper(
    store: &Store,
    paper: Paper,
    session_id: i64,
    point_id: Option<i64>,
    lang: PrintLang,
    dest: &Path,
) -> Result<usize> {
    let identity = store.council_identity()?;
    let members = store.members_of_session(session_id)?;
    let council =
        (identity.arabic.last().cloned().unwrap_or_default(), identity.french.last().cloned().unwrap_or_default());
    let sources = |lang: PrintLang| -> Result<Sources> {
        let view = store.session_view(session_id, lang.main())?;
        Ok(Sources { store, view, lang, main: lang.main(), members: members.clone(), council: council.clone() })
    };
    // The session's name under the title: "دورة … — Session …" on a bilingual paper.
    let (blocks, session) = match lang {
        PrintLang::Both => {
            let (ar, fr) = (sources(PrintLang::Ar)?, sources(PrintLang::Fr)?);
            let blocks = super::side_by_side(
                paper_blocks(&ar, paper, point_id)?,
                paper_blocks(&fr, paper, point_id)?,
                paper == Paper::Attendance,
            );
            (blocks, format!("{} — {}", ar.session_name(Lang::Ar), fr.session_name(Lang::Fr)))
        }
        _ => {
            let src = sources(lang)?;
            (paper_blocks(&src, paper, point_id)?, src.session_name(src.main))
        }
    };
    let title = lang.title(&format!("paper.{}.title", paper.as_str()));
    let spec = super::council_paper(store, &identity, lang, title, session);
    super::print_blocks(&spec, &blocks, dest)
}

/// The blocks of `paper` in the one language of `src`.
fn paper_blocks(src: &Sources, paper: Paper, point_id: Option<i64>) -> Result<Vec<Block>> {
    Ok(match paper {
        Paper::Convocation => before::convocation(src)?,
        Paper::Agenda => before::agenda(src),
        Paper::Attendance => before::attendance(src),
        Paper::Minutes => after::minutes(src),
        Paper::Decision => {
            let point = point_id.ok_or_else(|| Error::invalid("point", Rule::Required))?;
            after::decision(src, point)?
        }
        Paper::Transmittal => after::transmittal(src),
    })
}
