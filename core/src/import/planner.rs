//! Rows to changes: the records already stored, indexed by the keys rows are matched on (UUID,
//! reference, names), and the planner that reads each row's cells into what it becomes. The
//! reading of each kind of record is in `kinds.rs`.

use super::cells::{country_of, date_of, Choices};
use super::mapping::fields;
pub(super) use super::problems::RowErrors;
use super::table::{Cell, Row};
use super::{Action, PlannedRow, PREVIEW_ROWS};
use crate::calendar::PartialDate;
use crate::error::{Error, Result, Rule};
use crate::i18n::{tr, Lang};
use crate::model::{AgreementKind, AgreementStatus, Entity, PartnerData, PartnerKind, ProjectStatus};
use crate::store::ImportChange;
use crate::text::fold;
use rusqlite::Connection;
use std::cell::RefCell;
use std::collections::HashMap;

/// Existing records, loaded once per plan, by the keys rows are matched on.
#[derive(Default)]
pub(super) struct Index {
    pub(super) by_uuid: HashMap<String, i64>,
    pub(super) by_reference: HashMap<String, Vec<i64>>,
    pub(super) by_name: HashMap<String, Vec<i64>>,
}

impl Index {
    pub(super) fn add(&mut self, id: i64, uuid: String, reference: &str, names: &[String]) {
        self.by_uuid.insert(uuid.to_ascii_lowercase(), id);
        if !fold(reference).is_empty() {
            self.by_reference.entry(fold(reference)).or_default().push(id);
        }
        for n in names.iter().filter(|n| !n.is_empty()) {
            let ids = self.by_name.entry(n.clone()).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
}

/// Partners by their folded names, for parties and organisations named in cells.
pub(super) struct PartnerNames {
    pub(super) by_name: HashMap<String, Vec<(i64, String)>>,
    /// Each partner's Arabic and Latin names, for titles written from them.
    pub(super) names: HashMap<i64, (String, String)>,
}

impl PartnerNames {
    pub(super) fn load(c: &Connection) -> Result<Self> {
        let mut by_name: HashMap<String, Vec<(i64, String)>> = HashMap::new();
        let mut names = HashMap::new();
        let mut stmt =
            c.prepare("SELECT id, name_ar, name_latin, country, short_name FROM partner WHERE deleted_at IS NULL")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (id, ar, latin, country, short_name) = row?;
            names.insert(id, (ar.clone(), latin.clone()));
            // A name's short forms written in it: "Cités et Gouvernements Locaux Unis d'Afrique
            // (CGLU Afrique / UCLG Africa)" is also "CGLU Afrique" and "UCLG Africa".
            let short: Vec<String> = [&ar, &latin]
                .iter()
                .filter_map(|n| n.split_once('(').map(|(_, rest)| rest.trim_end().trim_end_matches(')').to_string()))
                .flat_map(|inside| inside.split('/').map(|s| fold(s.trim())).collect::<Vec<_>>())
                .collect();
            let all =
                [fold(&ar), fold(&latin), fold(&format!("{ar} ({latin})")), fold(&short_name)].into_iter().chain(short);
            for name in all {
                if !name.is_empty() {
                    let ids = by_name.entry(name).or_default();
                    if !ids.iter().any(|(i, _)| *i == id) {
                        ids.push((id, country.clone()));
                    }
                }
            }
        }
        Ok(PartnerNames { by_name, names })
    }

    /// The partner a cell names: "name", "name_ar (name_latin)" as Taawun exports it, or either
    /// part; a country narrows homonyms.
    pub(super) fn find(&self, text: &str, country: Option<&str>) -> Result<i64> {
        let mut keys = vec![fold(text)];
        if let Some((ar, rest)) = text.rsplit_once(" (") {
            keys.push(fold(ar));
            keys.push(fold(rest.trim_end_matches(')')));
        }
        for key in keys.iter().filter(|k| !k.is_empty()) {
            if let Some(found) = self.by_name.get(key) {
                let narrowed: Vec<i64> =
                    found.iter().filter(|(_, c)| country.is_none_or(|w| w == c)).map(|(i, _)| *i).collect();
                return match narrowed.as_slice() {
                    [one] => Ok(*one),
                    [] => Err(Error::invalid("parties", Rule::UnknownPartner)),
                    _ => Err(Error::invalid("parties", Rule::AmbiguousMatch)),
                };
            }
        }
        Err(Error::invalid("parties", Rule::UnknownPartner))
    }
}

/// The reference and the name keys of an existing record's row.
pub(super) type KeysOf = dyn Fn(&rusqlite::Row<'_>) -> rusqlite::Result<(String, Vec<String>)>;

/// The values rows could not be read with, each once, in the order first met.
#[derive(Default)]
pub(super) struct UnknownValues {
    pub(super) list: Vec<super::UnknownValue>,
    at: HashMap<(String, String), usize>,
}

/// Turns rows into changes for one kind and one mapping.
pub(super) struct Planner<'a> {
    pub(super) conn: &'a Connection,
    pub(super) kind: Entity,
    pub(super) header: &'a [String],
    pub(super) column_of: HashMap<&'a str, usize>,
    pub(super) lang: Lang,
    pub(super) index: Index,
    pub(super) partners: Option<PartnerNames>,
    pub(super) agreements: Index,
    pub(super) kinds: Choices,
    pub(super) statuses: Choices,
    /// Partner kinds, for the partners an agreement's row names that Taawun does not have.
    pub(super) partner_kinds: Choices,
    /// What the user said values of the file mean (folded value → code), for countries too.
    pub(super) values: HashMap<String, String>,
    /// The partners rows name that are not in Taawun, proposed for creation with the import.
    pub(super) new_parties: RefCell<NewParties>,
}

/// Partners proposed from the rows that name them, each once (by folded name and country);
/// a row refers to the k-th of them as the party id `-(k + 1)` until the import creates it.
#[derive(Default)]
pub(super) struct NewParties {
    pub(super) by_key: HashMap<String, i64>,
    /// By folded name alone, for rows that name a proposed partner without a country.
    pub(super) by_name: HashMap<String, Vec<i64>>,
    pub(super) list: Vec<super::NewPartner>,
}

impl NewParties {
    /// The proposed partner a placeholder id stands for.
    pub(super) fn proposed(&self, placeholder: i64) -> &super::NewPartner {
        &self.list[(-placeholder - 1) as usize]
    }

    /// Notes that `row` names the proposed partner `placeholder`.
    fn named_by(&mut self, placeholder: i64, row: usize) {
        let rows = &mut self.list[(-placeholder - 1) as usize].rows;
        if !rows.contains(&row) {
            rows.push(row);
        }
    }

    /// The placeholder id of the proposed partner of that name, when exactly one has it.
    pub(super) fn named(&mut self, name: &str, row: usize) -> Option<i64> {
        match self.by_name.get(&fold(name))?.as_slice() {
            [id] => {
                let id = *id;
                self.named_by(id, row);
                Some(id)
            }
            _ => None,
        }
    }

    /// The placeholder id of a proposed partner, proposing it on first sight.
    pub(super) fn propose(&mut self, data: PartnerData, row: usize) -> i64 {
        let key = format!("{}|{}", data.country, fold(data.display_name(Lang::Ar)));
        if let Some(id) = self.by_key.get(&key).copied() {
            self.named_by(id, row);
            return id;
        }
        let id = -(self.list.len() as i64) - 1;
        self.by_key.insert(key, id);
        self.by_name.entry(fold(data.display_name(Lang::Ar))).or_default().push(id);
        self.list.push(super::NewPartner { data, rows: vec![row] });
        id
    }
}

impl<'a> Planner<'a> {
    pub(super) fn new(
        conn: &'a Connection,
        kind: Entity,
        header: &'a [String],
        mapping: &'a [Option<String>],
        values: &HashMap<String, String>,
        lang: Lang,
    ) -> Result<Self> {
        let mut column_of = HashMap::new();
        for (i, f) in mapping.iter().enumerate() {
            if let Some(f) = f {
                column_of.entry(f.as_str()).or_insert(i);
            }
        }
        let mut index = Index::default();
        let mut agreements = Index::default();
        let needs_agreements = kind == Entity::Project;
        // Agreements are matched by reference and titles, both when imported and when a project names one.
        const AGREEMENTS: &str =
            "SELECT id, uuid, reference, title_ar, title_fr FROM agreement WHERE deleted_at IS NULL";
        let agreement_keys: &KeysOf =
            &|r| Ok((r.get(2)?, vec![fold(&r.get::<_, String>(3)?), fold(&r.get::<_, String>(4)?)]));
        let load = |sql: &str, into: &mut Index, named: &KeysOf| -> Result<()> {
            let mut stmt = conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (reference, names) = named(r)?;
                into.add(r.get(0)?, r.get(1)?, &reference, &names);
            }
            Ok(())
        };
        match kind {
            Entity::Partner => load(
                "SELECT id, uuid, name_ar, name_latin, country FROM partner WHERE deleted_at IS NULL",
                &mut index,
                &|r| {
                    let country: String = r.get(4)?;
                    Ok((
                        String::new(),
                        vec![
                            format!("{country}|{}", fold(&r.get::<_, String>(2)?)),
                            format!("{country}|{}", fold(&r.get::<_, String>(3)?)),
                        ],
                    ))
                },
            )?,
            Entity::Agreement => load(AGREEMENTS, &mut index, agreement_keys)?,
            Entity::Project => load(
                "SELECT id, uuid, agreement_id, title_ar, title_fr FROM project WHERE deleted_at IS NULL",
                &mut index,
                &|r| {
                    let a: i64 = r.get(2)?;
                    Ok((
                        String::new(),
                        vec![
                            format!("{a}|{}", fold(&r.get::<_, String>(3)?)),
                            format!("{a}|{}", fold(&r.get::<_, String>(4)?)),
                        ],
                    ))
                },
            )?,
            Entity::Membership => {
                load("SELECT id, uuid, partner_id FROM membership WHERE deleted_at IS NULL", &mut index, &|r| {
                    Ok((String::new(), vec![r.get::<_, i64>(2)?.to_string()]))
                })?
            }
            _ => return Err(Error::invalid("kind", Rule::UnknownValue)),
        }
        if needs_agreements {
            load(AGREEMENTS, &mut agreements, agreement_keys)?;
        }
        let partners =
            matches!(kind, Entity::Agreement | Entity::Membership).then(|| PartnerNames::load(conn)).transpose()?;
        let (kinds, statuses) = match kind {
            Entity::Partner => (Choices::new(PartnerKind::ALL, PartnerKind::as_str, "partner_kind"), Choices::none()),
            Entity::Agreement => (
                Choices::new(AgreementKind::ALL, AgreementKind::as_str, "agreement_kind"),
                Choices::new(AgreementStatus::ALL, AgreementStatus::as_str, "agreement_status"),
            ),
            Entity::Project => {
                (Choices::none(), Choices::new(ProjectStatus::ALL, ProjectStatus::as_str, "project_status"))
            }
            _ => (Choices::none(), Choices::none()),
        };
        let partner_kinds = Choices::new(PartnerKind::ALL, PartnerKind::as_str, "partner_kind");
        Ok(Planner {
            conn,
            kind,
            header,
            column_of,
            lang,
            index,
            partners,
            agreements,
            kinds: kinds.with_chosen(values),
            statuses: statuses.with_chosen(values),
            partner_kinds,
            values: values.iter().map(|(k, v)| (fold(k), v.clone())).collect(),
            new_parties: RefCell::new(NewParties::default()),
        })
    }

    /// Counts the values `row` could not be read with into `out`, once per field and value, with
    /// what each may mean.
    pub(super) fn note_unknown_values(&self, row: &PlannedRow, out: &mut UnknownValues) {
        for e in row.errors.iter().filter(|e| e.code == "invalid.unknown_value") {
            let choices = match e.field.as_str() {
                "kind" => &self.kinds,
                "status" => &self.statuses,
                "country" => &Choices::none(),
                _ => continue,
            };
            let key = (e.field.clone(), e.value.clone());
            match out.at.get(&key) {
                Some(i) => out.list[*i].count += 1,
                None => {
                    out.at.insert(key, out.list.len());
                    out.list.push(super::UnknownValue {
                        field: e.field.clone(),
                        column: e.column.clone(),
                        value: e.value.clone(),
                        count: 1,
                        first_row: row.row,
                        choices: choices.options(self.lang),
                    });
                }
            }
        }
    }

    pub(super) fn cell<'r>(&self, cells: &'r [Cell], field: &str) -> Option<&'r Cell> {
        self.column_of.get(field).and_then(|i| cells.get(*i))
    }

    pub(super) fn text(&self, cells: &[Cell], field: &str) -> Option<String> {
        self.cell(cells, field).map(Cell::text)
    }

    /// Plans every row in file order, handing each to `each` with what it becomes as it is
    /// planned; a row is freed once handed on (an import keeps only the changes and the rows a
    /// preview lists, not the file's cells nor a planned row per row).
    pub(super) fn plan(
        &self,
        rows: impl IntoIterator<Item = Row>,
        mut each: impl FnMut(usize, &Row, PlannedRow, Option<ImportChange>),
    ) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, row) in rows.into_iter().enumerate() {
            let (mut planned, mut change, key) = self.plan_row(&row, i < PREVIEW_ROWS);
            if let Some(key) = key {
                if let Some(first) = seen.get(&key) {
                    let mut errors = RowErrors::new(self.lang, &self.column_of, self.header);
                    errors.push("row", &first.to_string(), Error::invalid("row", Rule::DuplicateRow));
                    planned.errors.extend(errors.list);
                    planned.action = Action::Error;
                    change = None;
                } else {
                    seen.insert(key, row.number);
                }
            }
            each(i, &row, planned, change);
        }
    }

    /// One row: its planned action, its change, and the key that identifies its record in this file.
    pub(super) fn plan_row(&self, row: &Row, describe: bool) -> (PlannedRow, Option<ImportChange>, Option<String>) {
        let cells = &row.cells;
        let mut errors = RowErrors::new(self.lang, &self.column_of, self.header);
        let uuid = self.text(cells, "uuid").filter(|u| !u.is_empty()).map(|u| u.to_ascii_lowercase());
        let valid_uuid = uuid.as_deref().filter(|u| uuid::Uuid::parse_str(u).is_ok()).map(str::to_string);
        if uuid.is_some() && valid_uuid.is_none() {
            errors.push("uuid", uuid.as_deref().unwrap_or(""), Error::invalid("uuid", Rule::UnknownValue));
        }
        let by_uuid = valid_uuid.as_deref().and_then(|u| self.index.by_uuid.get(u).copied());
        let Planned { change, label, id, matched_by, key, derived } = match self.kind {
            Entity::Partner => self.partner(cells, by_uuid, &mut errors),
            Entity::Agreement => self.agreement(cells, row.number, by_uuid, &mut errors),
            Entity::Project => self.project(cells, row.number, by_uuid, &mut errors),
            _ => self.membership(cells, row.number, by_uuid, &mut errors),
        };
        let key = valid_uuid.clone().or(key);
        let matched_by = if by_uuid.is_some() { Some("uuid") } else { matched_by };
        let (action, change) = match (change, errors.list.is_empty()) {
            (Some((change, unchanged)), true) => (
                if id.is_none() {
                    Action::Create
                } else if unchanged {
                    Action::Unchanged
                } else {
                    Action::Update
                },
                Some(with_uuid(change, id, valid_uuid)),
            ),
            _ => (Action::Error, None),
        };
        let values = match (&change, describe) {
            (Some(change), true) => self.values_of(change, cells),
            _ => Vec::new(),
        };
        let flagged = change.as_ref().is_some_and(|c| !c.to_complete().is_empty());
        let change = change.filter(|_| action != Action::Unchanged);
        // The cells as text are filled in by `prepare` for the rows a preview shows.
        let planned = PlannedRow {
            row: row.number,
            action,
            id,
            matched_by,
            label,
            values,
            derived,
            cells: Vec::new(),
            to_complete: if action == Action::Error { Vec::new() } else { errors.incomplete },
            flagged,
            errors: errors.list,
        };
        (planned, change, key)
    }

    /// The mapped fields of a planned change as the user will read them.
    pub(super) fn values_of(&self, change: &ImportChange, cells: &[Cell]) -> Vec<(String, String)> {
        let lang = self.lang;
        let date = |iso: &str| PartialDate::stored(iso).map(|d| d.display(lang)).unwrap_or_default();
        let label = |group: &str, code: &str| tr(lang, &format!("{group}.{code}"));
        let mut out = Vec::new();
        for field in fields(self.kind).iter().filter(|f| **f != "uuid" && self.column_of.contains_key(**f)) {
            let value = match (change, *field) {
                (ImportChange::Partner { data, .. }, "kind") => label("partner_kind", data.kind.as_str()),
                (ImportChange::Partner { data, .. }, "country") => crate::country::name(&data.country, lang),
                (ImportChange::Agreement { data, .. }, "kind") => label("agreement_kind", data.kind.as_str()),
                (ImportChange::Agreement { status, .. }, "status") => {
                    status.map(|s| label("agreement_status", s.as_str())).unwrap_or_default()
                }
                (ImportChange::Agreement { data, .. }, "signed_on") => date(&data.signed_on),
                (ImportChange::Agreement { data, .. }, "effective_from") => date(&data.effective_from),
                (ImportChange::Agreement { data, .. }, "end_on") => date(&data.end_on),
                (ImportChange::Agreement { data, .. }, "duration_months") => {
                    data.duration_months.map(|m| m.to_string()).unwrap_or_default()
                }
                (ImportChange::Project { data, .. }, "status") => label("project_status", data.status.as_str()),
                (ImportChange::Project { data, .. }, "start_on") => date(&data.start_on),
                (ImportChange::Project { data, .. }, "end_on") => date(&data.end_on),
                (ImportChange::Membership { data, .. }, "since") => date(&data.since),
                (ImportChange::Membership { data, .. }, "dues_amount") => data
                    .dues_minor
                    .map(|m| crate::money::Money { minor: m, currency: data.dues_currency.clone() }.display(lang))
                    .unwrap_or_default(),
                (ImportChange::Membership { .. }, "country") => self
                    .text(cells, "country")
                    .and_then(|c| country_of(&c))
                    .map(|c| crate::country::name(&c, lang))
                    .unwrap_or_default(),
                // Names of related records and free text: as the cell says.
                _ => self.text(cells, field).unwrap_or_default(),
            };
            if !value.is_empty() {
                out.push((field.to_string(), value));
            }
        }
        out
    }

    pub(super) fn date(&self, cells: &[Cell], field: &str, current: &str, errors: &mut RowErrors) -> String {
        match self.cell(cells, field).filter(|c| !c.is_empty()) {
            None => current.to_string(),
            // A date that cannot exist: the record comes in without it, to complete.
            Some(c) => date_of(c).unwrap_or_else(|e| {
                errors.leave(field, &c.text(), e);
                current.to_string()
            }),
        }
    }

    /// A choice field's value named in its cell; none when the cell is empty or unmapped, an
    /// error on the row when it names nothing known.
    pub(super) fn chosen<T>(
        &self,
        cells: &[Cell],
        field: &str,
        choices: &Choices,
        parse: fn(&str, &str) -> Result<T>,
        errors: &mut RowErrors,
    ) -> Option<T> {
        let text = self.text(cells, field).filter(|t| !t.is_empty())?;
        let found = choices.find(&text, parse);
        if found.is_none() {
            errors.push(field, &text, Error::invalid(field, Rule::UnknownValue));
        }
        found
    }

    /// A mapped text field's new value. An unmapped column or an empty cell keeps the stored
    /// value: a registry that does not know something never erases what Taawun knows.
    pub(super) fn take(&self, cells: &[Cell], field: &str, current: &str) -> String {
        self.text(cells, field).filter(|t| !t.is_empty()).unwrap_or_else(|| current.to_string())
    }

    /// Matches by name: exactly one existing record, or none, or an error for several.
    pub(super) fn by_names(&self, keys: &[String], field: &str, errors: &mut RowErrors) -> Option<i64> {
        let mut found: Vec<i64> = keys
            .iter()
            .filter(|k| !k.ends_with('|') && !k.is_empty())
            .filter_map(|k| self.index.by_name.get(k))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        match found.as_slice() {
            [] => None,
            [one] => Some(*one),
            _ => {
                errors.push(field, "", Error::invalid(field, Rule::AmbiguousMatch));
                None
            }
        }
    }
}

/// What a row becomes: the change and whether it equals the stored record, its label, the record
/// it matched, how, and its key in this file.
pub(super) struct Planned {
    pub(super) change: Option<(ImportChange, bool)>,
    pub(super) label: String,
    pub(super) id: Option<i64>,
    pub(super) matched_by: Option<&'static str>,
    pub(super) key: Option<String>,
    /// Fields Taawun wrote itself because the row has none (a title from kind and partners).
    pub(super) derived: Vec<&'static str>,
}

/// The record a row names: its id when it exists, how it was matched, and its key in this file.
pub(super) struct Found {
    pub(super) id: Option<i64>,
    pub(super) matched_by: Option<&'static str>,
    pub(super) key: Option<String>,
}

impl Planned {
    /// Ends the planning of a row of any kind: the checked fields as a change (and whether they
    /// equal the stored record), or the check's error on the row.
    pub(super) fn checked<T: PartialEq>(
        checked: Result<T>,
        current: Option<&T>,
        change: impl FnOnce(T) -> ImportChange,
        label: String,
        found: Found,
        errors: &mut RowErrors,
    ) -> Planned {
        let Found { id, matched_by, key } = found;
        match checked {
            Ok(data) => {
                let unchanged = current == Some(&data);
                Planned {
                    change: Some((change(data), unchanged)),
                    label,
                    id,
                    matched_by: matched_by.filter(|_| id.is_some()),
                    key,
                    derived: Vec::new(),
                }
            }
            Err(e) => {
                // Parties too few because a named one did not read (a country that does not
                // read, say): the row already says why.
                let said = !errors.list.is_empty();
                for e in e.into_each() {
                    if !(said && e.field() == Some("parties")) {
                        errors.push("row", "", e);
                    }
                }
                Planned { change: None, label, id, matched_by: None, key, derived: Vec::new() }
            }
        }
    }
}

pub(super) fn with_uuid(change: ImportChange, id: Option<i64>, file_uuid: Option<String>) -> ImportChange {
    // A new record keeps the UUID it had in the file (a record exported from another desk).
    let keep = if id.is_none() { file_uuid } else { None };
    match change {
        ImportChange::Partner { id, data, .. } => ImportChange::Partner { id, uuid: keep, data },
        ImportChange::Agreement { id, data, status, to_complete, .. } => {
            ImportChange::Agreement { id, uuid: keep, data, status, to_complete }
        }
        ImportChange::Project { id, data, to_complete, .. } => {
            ImportChange::Project { id, uuid: keep, data, to_complete }
        }
        ImportChange::Membership { id, data, to_complete, .. } => {
            ImportChange::Membership { id, uuid: keep, data, to_complete }
        }
        new @ ImportChange::NewParty { .. } => new,
    }
}
