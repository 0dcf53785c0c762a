//! The annual cooperation report (التقرير السنوي للتعاون) of a year, in Arabic, French or both:
//! a cover with the year in figures, the agreements (every year's signatures up to this one, the
//! year's by direction and kind, the partners' map, the list of those in effect with their status
//! through the year), the council's sessions and deliberations of the year, the projects with
//! their budget lines and the commitments per fund and currency, the activities and people
//! trained, the memberships and dues. Everything is read from `Store::annual_report`, whose
//! figures are the dashboard's; every chart is a tagged figure with its numbers in words as
//! alternative text, followed by the same numbers as a table.

mod agreements;

use super::charts::{self, Bar};
use super::{day, PrintLang};
use crate::error::Result;
use crate::i18n::{tr, tr_args, Lang};
use crate::model::AgreementStatus;
use crate::money::Money;
use crate::store::{ActivityFigures, AnnualReport, Store};
use crate::typeset::Block;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What the report is written with: the data, the language(s), the council's names.
struct Report<'a> {
    data: &'a AnnualReport,
    lang: PrintLang,
    main: Lang,
    council: (String, String),
}

/// Prints the annual report of `year` to `dest`; returns the number of pages.
pub fn annual_report(store: &Store, year: i32, lang: PrintLang, dest: &Path) -> Result<usize> {
    if !(1900..=2200).contains(&year) {
        return Err(crate::Error::invalid("year", crate::error::Rule::OutOfRange));
    }
    let main = lang.main();
    let today = crate::calendar::today();
    let data = store.annual_report(year, today, main)?;
    let identity = store.council_identity()?;
    let council =
        (identity.arabic.last().cloned().unwrap_or_default(), identity.french.last().cloned().unwrap_or_default());
    let r = Report { data: &data, lang, main, council };
    let mut blocks = r.summary();
    blocks.push(Block::PageBreak);
    blocks.extend(r.agreements());
    blocks.extend(r.sessions());
    blocks.extend(r.projects());
    blocks.extend(r.activities());
    blocks.extend(r.memberships());
    blocks.push(r.heading("report.method", 1));
    blocks.extend(r.paragraphs("report.rules", &[]));
    let subtitle = r.langs().iter().map(|l| r.council(*l).to_string()).collect::<Vec<_>>().join(" — ");
    let spec = super::council_paper(store, &identity, lang, r.each("report.title", &[]), subtitle);
    super::print_blocks(&spec, &blocks, dest)
}

impl Report<'_> {
    fn langs(&self) -> Vec<Lang> {
        match self.lang {
            PrintLang::Ar => vec![Lang::Ar],
            PrintLang::Fr => vec![Lang::Fr],
            PrintLang::Both => vec![Lang::Ar, Lang::Fr],
        }
    }

    fn rtl(&self) -> bool {
        self.lang != PrintLang::Fr
    }

    fn council(&self, lang: Lang) -> &str {
        if lang == Lang::Fr {
            &self.council.1
        } else {
            &self.council.0
        }
    }

    fn label(&self, key: &str) -> String {
        self.lang.label(key)
    }

    /// A sentence in each of the report's languages, a line each (a line mixing both reads
    /// badly and extracts scrambled), `year` and `council` filled in with the other arguments.
    fn each(&self, key: &str, args: &[(&str, String)]) -> String {
        self.langs().into_iter().map(|l| self.say(l, key, args)).collect::<Vec<_>>().join("\n")
    }

    fn say(&self, lang: Lang, key: &str, args: &[(&str, String)]) -> String {
        let year = self.data.year.to_string();
        let mut all: Vec<(&str, &str)> = vec![("year", &year), ("council", self.council(lang))];
        all.extend(args.iter().map(|(k, v)| (*k, v.as_str())));
        tr_args(lang, key, &all)
    }

    /// One paragraph per language.
    fn paragraphs(&self, key: &str, args: &[(&str, String)]) -> Vec<Block> {
        self.langs().into_iter().map(|l| Block::Paragraph { text: self.say(l, key, args) }).collect()
    }

    fn heading(&self, key: &str, level: u8) -> Block {
        Block::Heading { text: self.each(key, &[]), level }
    }

    fn money(&self, minor: i64, currency: &str) -> String {
        Money { minor, currency: currency.to_string() }.display(self.main)
    }

    /// Amounts per currency on one line each, never summed across currencies.
    fn amounts(&self, per_currency: &BTreeMap<String, i64>) -> String {
        if per_currency.is_empty() {
            return tr(self.main, "report.nothing");
        }
        per_currency.iter().map(|(c, m)| self.money(*m, c)).collect::<Vec<_>>().join("\n")
    }

    fn status(&self, s: AgreementStatus) -> String {
        self.lang.choice("agreement_status", s.as_str())
    }

    /// "label: value, label: value" for a chart's alternative text.
    fn alt(&self, key: &str, title: String, values: &[(String, String)]) -> String {
        let values = values.iter().map(|(l, v)| format!("{l}: {v}")).collect::<Vec<_>>().join("; ");
        self.each(key, &[("title", title), ("values", values)])
    }

    /// «N trainings without a count of people», when some are.
    fn trainings_without_count(&self, a: &ActivityFigures) -> Option<String> {
        (a.trainings_without_count > 0).then(|| {
            tr_args(self.main, "figures.trainings_without_count", &[("count", &a.trainings_without_count.to_string())])
        })
    }

    /// A bar chart and its numbers as a table.
    fn chart(&self, title: String, rows: Vec<Bar>, head: &str, value_head: &str) -> Vec<Block> {
        let values: Vec<(String, String)> = rows.iter().map(|r| (r.label.clone(), r.shown.clone())).collect();
        let alt = self.alt("report.chart_alt", title, &values);
        let table = Block::Table {
            columns: vec![(self.label(head), 3.0), (self.label(value_head), 1.2)],
            rows: values.iter().map(|(l, v)| vec![l.clone(), v.clone()]).collect(),
        };
        vec![Block::Figure(charts::bars(&rows, self.rtl(), alt)), table]
    }

    fn summary(&self) -> Vec<Block> {
        let d = self.data;
        let f = &d.figures;
        let mut blocks = self.paragraphs("report.intro", &[]);
        blocks.push(self.heading("report.summary", 1));
        let countries = self.partner_countries();
        // A partner has one country: the countries' partners are the distinct partners.
        let partners: usize = countries.iter().map(|c| c.1).sum();
        let mut committed: BTreeMap<String, i64> = BTreeMap::new();
        for fund in &f.funds {
            for a in &fund.committed {
                *committed.entry(a.currency.clone()).or_default() += a.minor;
            }
        }
        let dues: BTreeMap<String, i64> = f.memberships.dues.iter().map(|a| (a.currency.clone(), a.minor)).collect();
        let deliberations =
            d.sessions.iter().flat_map(|s| &s.points).filter(|p| p.deliberation.is_some()).count().to_string();
        let activities: i64 = f.activities.by_kind.iter().map(|c| c.count).sum();
        let mut trained = f.activities.people_trained.to_string();
        if let Some(uncounted) = self.trainings_without_count(&f.activities) {
            trained.push_str(&format!(" ({uncounted})"));
        }
        let rows = vec![
            (self.each("report.signed", &[]), f.agreements.total.to_string()),
            (self.each("report.in_effect", &[]), d.agreements.len().to_string()),
            (self.each("report.expiring", &[]), f.agreements.expiring.to_string()),
            (
                self.each("report.partners", &[]),
                tr_args(
                    self.main,
                    "report.partners_value",
                    &[
                        ("partners", &crate::plural::counted(self.main, "partner", partners as u64)),
                        (
                            "countries",
                            &crate::plural::counted_as(
                                self.main,
                                "country",
                                countries.len() as u64,
                                crate::plural::Case::Genitive,
                            ),
                        ),
                    ],
                ),
            ),
            (self.each("report.sessions", &[]), d.sessions.len().to_string()),
            (self.each("report.deliberations", &[]), deliberations),
            (self.each("report.projects", &[]), d.projects.len().to_string()),
            (self.each("report.committed", &[]), self.amounts(&committed)),
            (self.each("report.activities", &[]), activities.to_string()),
            (self.each("report.people_trained", &[]), trained),
            (self.each("report.memberships", &[]), d.memberships.len().to_string()),
            (self.each("report.dues", &[]), self.amounts(&dues)),
        ];
        blocks.push(Block::Fields(rows));
        if d.undated > 0 {
            blocks.push(Block::Note { text: self.each("report.undated", &[("count", d.undated.to_string())]) });
        }
        blocks
    }

    /// The countries of the agreements in effect, each with its distinct partners and the
    /// agreements with a partner there, most partners first (then by code).
    fn partner_countries(&self) -> Vec<(String, usize, i64)> {
        let mut countries: BTreeMap<&str, (BTreeSet<i64>, i64)> = BTreeMap::new();
        for a in &self.data.agreements {
            let here: BTreeSet<&str> = a.parties.iter().map(|p| p.country.as_str()).collect();
            for p in &a.parties {
                countries.entry(&p.country).or_default().0.insert(p.id);
            }
            for c in here {
                countries.entry(c).or_default().1 += 1;
            }
        }
        let mut rows: Vec<(String, usize, i64)> = countries
            .into_iter()
            .map(|(c, (partners, agreements))| (c.to_string(), partners.len(), agreements))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        rows
    }

    fn sessions(&self) -> Vec<Block> {
        let mut blocks = vec![self.heading("report.sessions_head", 1)];
        if self.data.sessions.is_empty() {
            blocks.extend(self.paragraphs("report.no_sessions", &[]));
            return blocks;
        }
        for s in &self.data.sessions {
            let data = &s.record.data;
            let name = self
                .langs()
                .into_iter()
                .map(|l| crate::store::session_label(data.kind.as_str(), data.year, data.month, data.number, l))
                .collect::<Vec<_>>()
                .join(" — ");
            blocks.push(Block::Heading { text: name, level: 2 });
            if !s.sittings.is_empty() {
                let days = s
                    .sittings
                    .iter()
                    .map(|x| day(&x.sitting.held_on, self.main))
                    .collect::<Vec<_>>()
                    .join(self.main.list_separator());
                blocks.push(Block::Note { text: tr_args(self.main, "report.sittings", &[("days", &days)]) });
            }
            let rows = s
                .points
                .iter()
                .map(|p| {
                    let title = match (&p.about, p.point.record.data.title.is_empty()) {
                        (Some(about), true) => self.lang.name(&about.label_ar, &about.label_latin),
                        _ => p.point.record.data.title.clone(),
                    };
                    let (number, outcome, votes) = match &p.deliberation {
                        Some(dv) => {
                            let d = &dv.record.data;
                            (
                                format!("{}\n{}", d.number, day(&d.decided_on, self.main)),
                                self.lang.choice("outcome", d.outcome.as_str()),
                                tr_args(
                                    self.main,
                                    "report.votes",
                                    &[
                                        ("for", &crate::plural::counted(self.main, "in_favour", d.votes_for.into())),
                                        (
                                            "against",
                                            &crate::plural::counted(self.main, "against", d.votes_against.into()),
                                        ),
                                        (
                                            "abstentions",
                                            &crate::plural::counted(self.main, "abstention", d.abstentions.into()),
                                        ),
                                    ],
                                ),
                            )
                        }
                        None => (tr(self.main, "report.not_deliberated"), String::new(), String::new()),
                    };
                    vec![p.point.position.to_string(), title, number, outcome, votes]
                })
                .collect();
            blocks.push(Block::Table {
                columns: vec![
                    (self.label("paper.number"), 0.4),
                    (self.label("field.point"), 2.6),
                    (self.label("report.deliberation_col"), 1.2),
                    (self.label("field.outcome"), 1.0),
                    (self.label("report.votes_col"), 1.8),
                ],
                rows,
            });
        }
        blocks
    }

    fn projects(&self) -> Vec<Block> {
        let d = self.data;
        let mut blocks = vec![self.heading("report.projects_head", 1)];
        if d.projects.is_empty() {
            blocks.extend(self.paragraphs("report.no_projects", &[]));
            return blocks;
        }
        // Commitments per fund, one chart per currency (never summed across currencies).
        let mut per_currency: BTreeMap<&str, Vec<(&str, i64)>> = BTreeMap::new();
        for fund in &d.figures.funds {
            for a in &fund.committed {
                per_currency.entry(&a.currency).or_default().push((&fund.fund, a.minor));
            }
        }
        for (currency, funds) in per_currency {
            let title = self.each("report.commitments", &[("currency", currency.to_string())]);
            blocks.push(Block::Heading { text: title.clone(), level: 2 });
            let rows = funds
                .iter()
                .map(|(fund, minor)| Bar {
                    label: if fund.is_empty() { tr(self.main, "figures.no_fund") } else { fund.to_string() },
                    value: *minor as f64,
                    shown: self.money(*minor, currency),
                })
                .collect();
            blocks.extend(self.chart(title, rows, "figures.fund", "report.committed_col"));
        }
        for p in &d.projects {
            blocks.push(Block::Heading { text: self.lang.name(&p.title_ar, &p.title_fr), level: 2 });
            let mut fields = Vec::new();
            if !p.fund.is_empty() {
                fields.push((self.label("field.fund"), p.fund.clone()));
            }
            let period = [day(&p.start_on, self.main), day(&p.end_on, self.main)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" – ");
            if !period.is_empty() {
                fields.push((self.label("report.period"), period));
            }
            fields.push((self.label("field.status"), self.lang.choice("project_status", &p.status)));
            blocks.push(Block::Fields(fields));
            if p.lines.is_empty() {
                blocks.push(Block::Note { text: tr(self.main, "figures.nothing_committed") });
                continue;
            }
            let mut totals: BTreeMap<String, i64> = BTreeMap::new();
            let mut rows: Vec<Vec<String>> = p
                .lines
                .iter()
                .map(|l| {
                    *totals.entry(l.currency.clone()).or_default() += l.minor;
                    let who = match &l.partner {
                        Some(x) => self.lang.name(&x.name_ar, &x.name_latin),
                        None => tr(self.main, "report.council_itself"),
                    };
                    vec![who, l.label.clone(), self.money(l.minor, &l.currency)]
                })
                .collect();
            rows.push(vec![self.label("report.total"), String::new(), self.amounts(&totals)]);
            blocks.push(Block::Table {
                columns: vec![
                    (self.label("field.budget_partner"), 2.0),
                    (self.label("field.budget_label"), 2.0),
                    (self.label("field.budget_amount"), 1.4),
                ],
                rows,
            });
        }
        blocks
    }

    fn activities(&self) -> Vec<Block> {
        let a = &self.data.figures.activities;
        let mut blocks = vec![self.heading("report.activities_head", 1)];
        if a.by_kind.is_empty() {
            blocks.extend(self.paragraphs("report.no_activities", &[]));
            return blocks;
        }
        let title = self.each("report.activities_chart", &[]);
        let rows = a
            .by_kind
            .iter()
            .map(|c| Bar {
                label: self.lang.choice("activity_kind", &c.key),
                value: c.count as f64,
                shown: c.count.to_string(),
            })
            .collect();
        blocks.extend(self.chart(title, rows, "field.kind", "report.activities_col"));
        let mut trained = tr_args(self.main, "figures.people_trained", &[("count", &a.people_trained.to_string())]);
        if let Some(uncounted) = self.trainings_without_count(a) {
            trained.push_str(&format!(" — {uncounted}"));
        }
        blocks.push(Block::Paragraph { text: trained });
        blocks
    }

    fn memberships(&self) -> Vec<Block> {
        let d = self.data;
        let mut blocks = vec![self.heading("report.memberships_head", 1)];
        if d.memberships.is_empty() {
            blocks.extend(self.paragraphs("report.no_memberships", &[]));
            return blocks;
        }
        let mut totals: BTreeMap<String, i64> = BTreeMap::new();
        let rows = d
            .memberships
            .iter()
            .map(|m| {
                let dues = match m.dues_minor {
                    Some(minor) if !m.dues_currency.is_empty() => {
                        *totals.entry(m.dues_currency.clone()).or_default() += minor;
                        self.money(minor, &m.dues_currency)
                    }
                    _ => "—".into(),
                };
                vec![
                    self.lang.name(&m.organisation.name_ar, &m.organisation.name_latin),
                    crate::country::name(&m.organisation.country, self.main),
                    day(&m.since, self.main),
                    dues,
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                (self.label("field.partner_id"), 2.6),
                (self.label("field.country"), 1.2),
                (self.label("field.since"), 1.2),
                (self.label("field.dues_amount"), 1.4),
            ],
            rows,
        });
        blocks.push(Block::Fields(vec![(self.label("report.dues_total"), self.amounts(&totals))]));
        blocks
    }
}
