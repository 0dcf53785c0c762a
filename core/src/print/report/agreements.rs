//! The report's agreements: every year's signatures up to the report's (stacked by status), the
//! year's agreements in effect by direction and by kind, the partners' map, and the list of those
//! agreements with their status through the year.

use super::Report;
use crate::i18n::tr;
use crate::model::agreement::direction;
use crate::model::AgreementStatus;
use crate::print::charts::{self, Bar, Stack};
use crate::print::day;
use crate::print::world::{self, Marked};
use crate::typeset::Block;
use std::collections::{BTreeMap, BTreeSet};

/// Status colours, in `AgreementStatus` order (as the window's badges).
const STATUS_COLORS: [(f32, f32, f32); 7] = [
    (0.70, 0.74, 0.77),
    (0.55, 0.70, 0.90),
    (0.10, 0.31, 0.63),
    (0.36, 0.66, 0.55),
    (0.06, 0.36, 0.30),
    (0.86, 0.56, 0.33),
    (0.70, 0.20, 0.22),
];
const STATUSES: [AgreementStatus; 7] = [
    AgreementStatus::Draft,
    AgreementStatus::CouncilApproved,
    AgreementStatus::AuthorityApproved,
    AgreementStatus::Signed,
    AgreementStatus::InForce,
    AgreementStatus::Expired,
    AgreementStatus::Terminated,
];

impl Report<'_> {
    pub(super) fn agreements(&self) -> Vec<Block> {
        let d = self.data;
        let mut blocks = vec![self.heading("report.agreements", 1)];
        // Every year's signatures up to this one, stacked by status.
        let years: BTreeSet<i32> = d.trend.iter().filter_map(|r| r.year).collect();
        if !years.is_empty() {
            let present: Vec<usize> =
                (0..STATUSES.len()).filter(|i| d.trend.iter().any(|r| r.status == STATUSES[*i].as_str())).collect();
            let rows: Vec<Stack> = years
                .iter()
                .map(|y| Stack {
                    label: y.to_string(),
                    parts: present
                        .iter()
                        .enumerate()
                        .map(|(slot, i)| {
                            let n: i64 = d
                                .trend
                                .iter()
                                .filter(|r| r.year == Some(*y) && r.status == STATUSES[*i].as_str())
                                .map(|r| r.count)
                                .sum();
                            (slot, n as f64)
                        })
                        .collect(),
                })
                .collect();
            let legend: Vec<String> = present.iter().map(|i| self.status(STATUSES[*i])).collect();
            let colors: Vec<_> = present.iter().map(|i| STATUS_COLORS[*i]).collect();
            let title = self.each("report.trend", &[]);
            blocks.push(Block::Heading { text: title.clone(), level: 2 });
            let values: Vec<(String, String)> = rows
                .iter()
                .map(|s| {
                    let parts = s
                        .parts
                        .iter()
                        .filter(|p| p.1 > 0.0)
                        .map(|(slot, n)| format!("{} {}", charts::format_count(*n), legend[*slot]))
                        .collect::<Vec<_>>()
                        .join(", ");
                    (s.label.clone(), parts)
                })
                .collect();
            let alt = self.alt("report.chart_alt", title, &values);
            blocks.push(Block::Figure(charts::stacked(&rows, &legend, &colors, self.rtl(), alt)));
            let mut columns = vec![(self.label("report.year_col"), 0.8)];
            columns.extend(legend.iter().map(|l| (l.clone(), 1.0)));
            columns.push((self.label("report.total"), 0.8));
            blocks.push(Block::Table {
                columns,
                rows: rows
                    .iter()
                    .map(|s| {
                        let mut row = vec![s.label.clone()];
                        row.extend(s.parts.iter().map(|p| charts::format_count(p.1)));
                        row.push(charts::format_count(s.parts.iter().map(|p| p.1).sum()));
                        row
                    })
                    .collect(),
            });
        }
        if d.agreements.is_empty() {
            blocks.extend(self.paragraphs("report.none_in_effect", &[]));
            return blocks;
        }
        // The year's agreements in effect by direction and by kind.
        let mut by_direction: BTreeMap<String, i64> = BTreeMap::new();
        let mut by_kind: BTreeMap<String, i64> = BTreeMap::new();
        for a in &d.agreements {
            let dir = direction(a.parties.iter().map(|p| p.country.as_str())).map(|x| x.as_str()).unwrap_or("unknown");
            *by_direction.entry(dir.to_string()).or_default() += 1;
            *by_kind.entry(a.kind.as_str().to_string()).or_default() += 1;
        }
        let bars = |group: &str, counts: &BTreeMap<String, i64>| -> Vec<Bar> {
            let mut rows: Vec<(&String, &i64)> = counts.iter().collect();
            rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            rows.into_iter()
                .map(|(k, n)| Bar { label: self.lang.choice(group, k), value: *n as f64, shown: n.to_string() })
                .collect()
        };
        for (key, group, counts) in
            [("report.by_direction", "direction", &by_direction), ("report.by_kind", "agreement_kind", &by_kind)]
        {
            let title = self.each(key, &[]);
            blocks.push(Block::Heading { text: title.clone(), level: 2 });
            let head = if group == "direction" { "report.direction_col" } else { "field.kind" };
            blocks.extend(self.chart(title, bars(group, counts), head, "report.agreements_col"));
        }
        blocks.extend(self.map());
        blocks.extend(self.agreement_list());
        blocks
    }

    fn map(&self) -> Vec<Block> {
        let rows = self.partner_countries();
        let name = |code: &str| -> String {
            self.langs().into_iter().map(|l| crate::country::name(code, l)).collect::<Vec<_>>().join(" — ")
        };
        let title = self.each("report.map", &[]);
        let mut blocks = vec![Block::Heading { text: title.clone(), level: 2 }];
        let marked: Vec<Marked> =
            rows.iter().map(|(c, n, _)| Marked { country: c.clone(), partners: *n as i64 }).collect();
        let values: Vec<(String, String)> = rows.iter().map(|(c, n, _)| (name(c), n.to_string())).collect();
        let alt = self.alt("report.map_alt", title, &values);
        blocks.push(Block::Figure(world::map(&marked, charts::WIDTH, 300.0, alt)));
        blocks.push(Block::Table {
            columns: vec![
                (self.label("field.country"), 2.4),
                (self.label("report.partners_col"), 1.0),
                (self.label("report.agreements_col"), 1.0),
            ],
            rows: rows
                .iter()
                .map(|(c, partners, agreements)| vec![name(c), partners.to_string(), agreements.to_string()])
                .collect(),
        });
        blocks
    }

    fn agreement_list(&self) -> Vec<Block> {
        let mut blocks = vec![Block::Heading { text: self.each("report.list", &[]), level: 2 }];
        let rows = self
            .data
            .agreements
            .iter()
            .map(|a| {
                let parties = a
                    .parties
                    .iter()
                    .map(|p| {
                        format!(
                            "{} ({})",
                            self.lang.name(&p.name_ar, &p.name_latin),
                            crate::country::name(&p.country, self.main)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                let title = self.lang.name(&a.title_ar, &a.title_fr);
                let changes = if a.changes.is_empty() {
                    tr(self.main, "report.no_change")
                } else {
                    a.changes
                        .iter()
                        .map(|ch| {
                            let when = day(&ch.on, self.main);
                            if when.is_empty() {
                                self.status(ch.status)
                            } else {
                                format!("{when}: {}", self.status(ch.status))
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                vec![
                    format!("{title}\n{parties}"),
                    self.lang.choice("agreement_kind", a.kind.as_str()),
                    day(&a.signed_on, self.main),
                    a.status_at_start.map(|s| self.status(s)).unwrap_or_else(|| "—".into()),
                    changes,
                    self.status(a.status_at_end),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                (self.label("report.agreement_col"), 2.6),
                (self.label("field.kind"), 1.4),
                (self.label("field.signed_on"), 1.0),
                (self.label("report.status_start"), 1.1),
                (self.label("report.changes"), 1.6),
                (self.label("report.status_end"), 1.1),
            ],
            rows,
        });
        blocks
    }
}
