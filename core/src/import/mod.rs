//! Registries brought in from spreadsheets: partners, agreements, projects and memberships from
//! the XLSX/CSV files the council already keeps (and from Taawun's own exports).
//!
//! The flow is preview, then import: `preview` reads the file (`read`), maps its columns to
//! fields (the user's mapping, else the one remembered for this layout of columns, else a guess
//! from the header names in Arabic, French or English), turns every row into what it would
//! become — a new record, an update of the record it matches (by UUID, then reference number,
//! then names and country), unchanged, or errors with the row number — and changes nothing.
//! `import` does the same again (`plan`, then `Plan::apply`), checks the file is the one previewed, and writes every change
//! in one transaction (rows with errors only when the user chose to skip them), remembering the
//! mapping for the next file of this layout. Re-importing a file therefore updates, never
//! duplicates.

pub mod read;

pub use read::{Cell, ReadOptions, Table};

use crate::calendar::PartialDate;
use crate::error::{Error, Result, Rule};
use crate::i18n::{tr, Lang};
use crate::model::{
    AgreementData, AgreementKind, AgreementStatus, Entity, MembershipData, PartnerData, PartnerKind, ProjectData,
    ProjectStatus,
};
use crate::search::fold;
use crate::store::Store;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

/// Rows shown in a preview besides the rows with errors.
pub const PREVIEW_ROWS: usize = 50;
/// Rows with errors listed in a preview (the counts cover all).
pub const LISTED_ERRORS: usize = 1000;

/// The fields a column can fill, per kind, in form order. `uuid` matches a record exported
/// from Taawun; names of related records (parties, agreement, organisation) are looked up.
pub fn fields(kind: Entity) -> &'static [&'static str] {
    match kind {
        Entity::Partner => &["uuid", "kind", "name_ar", "name_latin", "country", "region", "city", "address", "notes"],
        Entity::Agreement => &[
            "uuid",
            "kind",
            "title_ar",
            "title_fr",
            "reference",
            "status",
            "parties",
            "signed_on",
            "signed_at",
            "effective_from",
            "duration_months",
            "end_on",
            "legal_basis",
            "notes",
        ],
        Entity::Project => &[
            "uuid",
            "title_ar",
            "title_fr",
            "agreement_id",
            "fund",
            "fund_edition",
            "tranche",
            "status",
            "start_on",
            "end_on",
            "beneficiaries",
            "notes",
        ],
        Entity::Membership => &["uuid", "partner_id", "country", "since", "dues_amount", "notes"],
        _ => &[],
    }
}

/// Header names people use besides the field labels of the three locales (folded when compared).
const ALIASES: &[(&str, &[&str])] = &[
    ("uuid", &["uuid", "id unique", "identifiant"]),
    ("kind", &["type", "النوع", "نوع الشريك", "نوع الاتفاقية", "nature", "category", "الصنف"]),
    ("name_ar", &["الاسم", "اسم الشريك", "الشريك", "الجماعة", "name arabic", "nom arabe", "nom en arabe"]),
    ("name_latin", &["nom", "name", "nom du partenaire", "partenaire", "partner", "collectivite", "nom latin"]),
    ("country", &["iso", "البلد", "الدولة", "pays", "country", "code pays"]),
    ("region", &["الجهة", "region"]),
    ("city", &["المدينة", "ville", "city"]),
    (
        "title_ar",
        &["العنوان", "الموضوع", "موضوع الاتفاقية", "عنوان الاتفاقية", "عنوان المشروع", "اسم المشروع", "المشروع"],
    ),
    ("title_fr", &["titre", "intitule", "objet", "title", "projet", "convention", "intitule du projet"]),
    ("reference", &["المرجع", "رقم المرجع", "رقم الاتفاقية", "ref", "reference", "n°", "numero", "no"]),
    ("status", &["الوضعية", "الحالة", "statut", "etat", "status"]),
    ("parties", &["الشركاء", "الشريك", "الطرف", "الأطراف", "partenaires", "partenaire", "parties", "partners"]),
    ("signed_on", &["تاريخ التوقيع", "date de signature", "date signature", "signe le", "signed"]),
    ("signed_at", &["مكان التوقيع", "lieu de signature", "lieu"]),
    ("effective_from", &["تاريخ الدخول حيز التنفيذ", "date d'effet", "entree en vigueur"]),
    ("duration_months", &["المدة", "duree", "duree mois", "duration"]),
    ("end_on", &["تاريخ الانتهاء", "تاريخ النهاية", "date de fin", "fin", "echeance"]),
    ("legal_basis", &["السند القانوني", "base legale", "fondement"]),
    ("notes", &["ملاحظات", "ملاحظة", "observations", "remarques", "notes"]),
    ("agreement_id", &["الاتفاقية", "الإطار", "convention", "accord", "agreement", "convention cadre"]),
    ("fund", &["التمويل", "مصدر التمويل", "الصندوق", "fonds", "financement", "bailleur"]),
    ("fund_edition", &["الدورة", "edition", "appel"]),
    ("start_on", &["تاريخ البداية", "تاريخ الانطلاق", "date de debut", "debut", "start"]),
    ("partner_id", &["المنظمة", "الهيئة", "organisation", "organisme", "reseau"]),
    ("since", &["منذ", "تاريخ الانخراط", "تاريخ العضوية", "depuis", "adhesion", "date d'adhesion", "member since"]),
    ("dues_amount", &["الاشتراك", "واجب الانخراط", "المساهمة السنوية", "cotisation", "cotisation annuelle", "dues"]),
];

/// What a row will do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Error,
}

/// One problem of one row: the field, the column it came from, the value and the message.
#[derive(Clone, Debug, Serialize)]
pub struct RowError {
    pub field: String,
    pub column: Option<String>,
    pub value: String,
    pub code: String,
    pub message: String,
}

/// A row as the preview shows it.
#[derive(Clone, Debug, Serialize)]
pub struct PlannedRow {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    pub action: Action,
    /// The record it updates (or that it already equals).
    pub id: Option<i64>,
    /// How it was matched: `uuid`, `reference`, `names`.
    pub matched_by: Option<&'static str>,
    /// The record's name or title as it will be.
    pub label: String,
    /// What the mapped cells become, as Taawun will show them (dates, countries, kinds, statuses,
    /// amounts read): `[field, value]`, for the first rows of a preview.
    pub values: Vec<(String, String)>,
    pub cells: Vec<String>,
    pub errors: Vec<RowError>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub error: usize,
}

/// What the user chose, or nothing for the defaults.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    pub kind: Option<Entity>,
    /// The field each column fills (`None` or absent: ignored), in column order.
    pub mapping: Option<Vec<Option<String>>>,
    /// A mapping as typed on the command line (see `parse_mapping`), used when `mapping` is not given.
    #[serde(skip)]
    pub mapping_spec: Option<String>,
    #[serde(flatten)]
    pub read: ReadOptions,
    /// Import the correct rows and leave the rows with errors out.
    pub skip_errors: bool,
    /// The file's SHA-256 when it was previewed: an import refuses a file changed since.
    pub digest: Option<String>,
}

/// Everything the preview dialog shows.
#[derive(Clone, Debug, Serialize)]
pub struct Preview {
    pub kind: Entity,
    pub sheet: String,
    pub skipped_sheets: Vec<String>,
    /// Every worksheet of a workbook (to choose another), empty for a text file.
    pub sheets: Vec<String>,
    pub encoding: Option<String>,
    pub columns: Vec<String>,
    pub mapping: Vec<Option<String>>,
    /// Where the mapping came from: `given`, `remembered` or `guessed`.
    pub mapping_source: &'static str,
    pub fields: Vec<&'static str>,
    pub total_rows: usize,
    pub counts: Counts,
    /// The first rows, then every row with errors (up to `LISTED_ERRORS`), in file order.
    pub rows: Vec<PlannedRow>,
    pub digest: String,
}

/// What an import did.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub kind: Entity,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    /// The ids created or updated, in file order.
    pub ids: Vec<i64>,
    /// What was read and how (its rows: the first ones and those left out).
    pub preview: Preview,
}

/// A change ready to be written (see `Store::apply_import`).
#[derive(Clone, Debug)]
pub enum Change {
    Partner { id: Option<i64>, uuid: Option<String>, data: PartnerData },
    Agreement { id: Option<i64>, uuid: Option<String>, data: AgreementData, status: Option<AgreementStatus> },
    Project { id: Option<i64>, uuid: Option<String>, data: ProjectData },
    Membership { id: Option<i64>, uuid: Option<String>, data: MembershipData },
}

/// A file read, mapped and planned: what the preview shows, and the changes an import writes.
pub struct Plan {
    pub preview: Preview,
    changes: Vec<Option<Change>>,
    file_name: String,
}

/// Reads, maps and plans `path` without changing anything.
pub fn preview(store: &Store, path: &Path, options: &Options, lang: Lang) -> Result<Preview> {
    Ok(plan(store, path, options, lang)?.preview)
}

/// Imports `path` in one transaction, as previewed.
pub fn import(store: &mut Store, path: &Path, options: &Options, lang: Lang) -> Result<Outcome> {
    plan(store, path, options, lang)?.apply(store, options)
}

impl Plan {
    /// Why this plan may not be written with `options`: the file is not the one previewed, or
    /// some rows are wrong and the user did not choose to leave them out.
    pub fn refusal(&self, options: &Options) -> Option<Error> {
        if options.digest.as_deref().is_some_and(|d| d != self.preview.digest) {
            return Some(Error::invalid("file", Rule::FileChanged));
        }
        if self.preview.counts.error > 0 && !options.skip_errors {
            return Some(Error::invalid("file", Rule::RowsWithErrors));
        }
        None
    }

    /// Writes the plan in one transaction (unless `refusal` says why not) and remembers its mapping.
    pub fn apply(self, store: &mut Store, options: &Options) -> Result<Outcome> {
        if let Some(e) = self.refusal(options) {
            return Err(e);
        }
        let preview = self.preview;
        let changes: Vec<Change> = self.changes.into_iter().flatten().collect();
        let layout = layout_key(preview.kind, &preview.columns);
        let mapping = serde_json::to_string(&preview.mapping)?;
        let ids = store.apply_import(&changes, &self.file_name, (&layout, &mapping))?;
        Ok(Outcome {
            kind: preview.kind,
            created: preview.counts.create,
            updated: preview.counts.update,
            unchanged: preview.counts.unchanged,
            skipped: preview.counts.error,
            ids,
            preview,
        })
    }
}

/// Reads, maps and plans `path`: every row turned into what it becomes.
pub fn plan(store: &Store, path: &Path, options: &Options, lang: Lang) -> Result<Plan> {
    let table = read::read(path, &options.read)?;
    let kind = match options.kind {
        Some(k) if fields(k).is_empty() => return Err(Error::invalid("kind", Rule::UnknownValue)),
        Some(k) => k,
        None => guess_kind(&table.header).ok_or_else(|| Error::invalid("kind", Rule::Required))?,
    };
    let given = match (&options.mapping, &options.mapping_spec) {
        (Some(m), _) => Some(m.clone()),
        (None, Some(spec)) => Some(parse_mapping(spec, &table.header)?),
        (None, None) => None,
    };
    let (mapping, mapping_source) = match &given {
        Some(m) => (checked_mapping(kind, m, table.header.len())?, "given"),
        None => match store
            .setting(&layout_key(kind, &table.header))?
            .and_then(|s| serde_json::from_str::<Vec<Option<String>>>(&s).ok())
        {
            Some(m) => (checked_mapping(kind, &m, table.header.len())?, "remembered"),
            None => (guess_mapping(kind, &table.header), "guessed"),
        },
    };
    let planner = Planner::new(store.conn(), kind, &table.header, &mapping, lang)?;
    let planned = planner.plan(&table.rows);
    let mut counts = Counts::default();
    let mut rows = Vec::new();
    let mut listed_errors = 0;
    let mut changes = Vec::with_capacity(planned.len());
    for (i, (mut row, change)) in planned.into_iter().enumerate() {
        match row.action {
            Action::Create => counts.create += 1,
            Action::Update => counts.update += 1,
            Action::Unchanged => counts.unchanged += 1,
            Action::Error => counts.error += 1,
        }
        let is_error = row.action == Action::Error;
        if i < PREVIEW_ROWS || (is_error && listed_errors < LISTED_ERRORS) {
            listed_errors += usize::from(is_error);
            row.cells = table.rows[i].cells.iter().map(Cell::text).collect();
            rows.push(row);
        }
        changes.push(change);
    }
    let preview = Preview {
        kind,
        sheet: table.sheet,
        skipped_sheets: table.skipped_sheets,
        sheets: table.sheets,
        encoding: table.encoding,
        columns: table.header,
        mapping,
        mapping_source,
        fields: fields(kind).to_vec(),
        total_rows: changes.len(),
        counts,
        rows,
        digest: table.digest,
    };
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Plan { preview, changes, file_name })
}

/// The setting under which the mapping of a layout (a kind and its column names) is remembered.
pub fn layout_key(kind: Entity, header: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_str());
    for name in header {
        h.update([0x1f]);
        h.update(fold(name));
    }
    format!("import.mapping.{}", &crate::vault::hex(&h.finalize())[..16])
}

fn checked_mapping(kind: Entity, mapping: &[Option<String>], width: usize) -> Result<Vec<Option<String>>> {
    let allowed = fields(kind);
    let mut out = vec![None; width];
    let mut seen = std::collections::HashSet::new();
    for (i, f) in mapping.iter().enumerate().take(width) {
        match f.as_deref().map(str::trim) {
            None | Some("") => {}
            Some(f) if allowed.contains(&f) => {
                if !seen.insert(f.to_string()) {
                    return Err(Error::invalid(f, Rule::DuplicateRow));
                }
                out[i] = Some(f.to_string());
            }
            Some(_) => return Err(Error::invalid("mapping", Rule::UnknownValue)),
        }
    }
    Ok(out)
}

/// Reads a mapping typed on the command line: `Column=field` pairs separated by commas (a
/// column by its header or its number from 1; `field` empty to ignore it), or a JSON array.
pub fn parse_mapping(text: &str, header: &[String]) -> Result<Vec<Option<String>>> {
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(text).map_err(|_| Error::invalid("mapping", Rule::UnknownValue));
    }
    let mut out = vec![None; header.len()];
    for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
        let (column, field) = pair.rsplit_once('=').ok_or_else(|| Error::invalid("mapping", Rule::UnknownValue))?;
        let column = column.trim();
        let index = match column.parse::<usize>() {
            Ok(n) if (1..=header.len()).contains(&n) => n - 1,
            _ => header
                .iter()
                .position(|h| fold(h) == fold(column))
                .ok_or_else(|| Error::invalid("mapping", Rule::UnknownValue))?,
        };
        out[index] = Some(field.trim().to_string()).filter(|f| !f.is_empty());
    }
    Ok(out)
}

/// Folded header names of a field: its label in each locale and its aliases.
fn names_of(field: &str) -> Vec<String> {
    let mut names: Vec<String> = Lang::ALL.iter().map(|l| fold(&tr(*l, &format!("field.{field}")))).collect();
    names.push(fold(field));
    if field == "partner_id" {
        // A membership list names its organisation in name columns (Taawun's export does).
        for l in Lang::ALL {
            names.extend(["name_ar", "name_latin"].map(|f| fold(&tr(l, &format!("field.{f}")))));
        }
    }
    if let Some((_, aliases)) = ALIASES.iter().find(|(f, _)| *f == field) {
        names.extend(aliases.iter().map(|a| fold(a)));
    }
    names.retain(|n| !n.is_empty());
    names
}

/// The field a column name stands for, per kind: exact (folded) names first, then a column whose
/// words contain all the words of a name ("تاريخ توقيع الاتفاقية" for the signing date).
pub fn guess_mapping(kind: Entity, header: &[String]) -> Vec<Option<String>> {
    let candidates: Vec<(&str, Vec<String>)> = fields(kind).iter().map(|f| (*f, names_of(f))).collect();
    let mut out: Vec<Option<String>> = vec![None; header.len()];
    let mut taken = std::collections::HashSet::new();
    for exact in [true, false] {
        for (i, name) in header.iter().enumerate() {
            if out[i].is_some() {
                continue;
            }
            let folded = fold(name);
            if folded.is_empty() {
                continue;
            }
            let words: Vec<String> = folded.split(' ').flat_map(crate::search::forms).collect();
            let hit = candidates.iter().find(|(f, names)| {
                !taken.contains(f)
                    && names.iter().any(|n| {
                        if exact {
                            *n == folded
                        } else {
                            n.split(' ').all(|w| crate::search::forms(w).iter().any(|v| words.contains(v)))
                                && n.chars().count() >= 4
                        }
                    })
            });
            if let Some((f, _)) = hit {
                taken.insert(*f);
                out[i] = Some(f.to_string());
            }
        }
    }
    out
}

/// The kind whose fields the header names best (a partner list and an agreement list both have
/// names; titles, parties and dates tell agreements apart).
pub fn guess_kind(header: &[String]) -> Option<Entity> {
    let mut scores: Vec<(usize, Entity)> = Entity::ALL
        .iter()
        .map(|k| {
            let m = guess_mapping(*k, header);
            let distinctive = m
                .iter()
                .flatten()
                .filter(|f| !matches!(f.as_str(), "uuid" | "notes" | "kind" | "status" | "country"))
                .count();
            (distinctive * 2 + m.iter().flatten().count(), *k)
        })
        .collect();
    scores.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scores.as_slice() {
        [(best, kind), (second, _), ..] if *best > 0 && best > second => Some(*kind),
        _ => None,
    }
}

/// The codes of a choice list by every way a cell may name them: the code, the code with spaces,
/// the label in each locale (folded); built once per import.
struct Choices(HashMap<String, &'static str>);

impl Choices {
    fn new<T: Copy>(all: &[T], code: fn(T) -> &'static str, group: &str) -> Choices {
        let mut names = HashMap::new();
        for v in all {
            let c = code(*v);
            for l in Lang::ALL {
                names.insert(fold(&tr(l, &format!("{group}.{c}"))), c);
            }
            names.insert(fold(&c.replace('_', " ")), c);
            names.insert(fold(c), c);
        }
        Choices(names)
    }

    /// The value a cell names, if any.
    fn find<T>(&self, text: &str, parse: fn(&str, &str) -> Result<T>) -> Option<T> {
        self.0.get(&fold(text)).and_then(|c| parse("", c).ok())
    }
}

static COUNTRY_NAMES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for c in crate::country::all() {
        for name in [&c.ar, &c.fr, &c.en] {
            m.insert(fold(name), c.code.clone());
        }
    }
    m
});

/// A country from its ISO code or its name in Arabic, French or English.
pub fn country_of(text: &str) -> Option<String> {
    let t = text.trim();
    if t.len() == 2 && t.is_ascii() {
        return crate::country::get(&t.to_ascii_uppercase()).map(|c| c.code.clone());
    }
    COUNTRY_NAMES.get(&fold(t)).cloned()
}

/// The first day counted by Excel's serial dates (1900 system, with its 29 February 1900).
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date")
}

/// A date cell in every form people and spreadsheets write: a real date cell, an Excel serial
/// number (a four-digit number is a year), the text forms of `PartialDate::parse`, a date with
/// a time after it, and an unambiguous month/day/year. Returns ISO text.
pub fn date_of(cell: &Cell) -> Result<String> {
    let bad = || Error::invalid("date", Rule::BadDate);
    match cell {
        Cell::Empty => Ok(String::new()),
        Cell::Date(d) => PartialDate::from_naive(*d).map(|p| p.to_iso()),
        Cell::Number(n) => serial_or_year(*n).ok_or_else(bad),
        Cell::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(String::new());
            }
            if let Ok(d) = PartialDate::parse(t) {
                return Ok(d.to_iso());
            }
            // "2018-04-25 00:00:00", "2018-04-25T10:00": the date part.
            if let Some((day, _)) = t.split_once([' ', 'T']).filter(|(d, _)| d.len() == 10) {
                if let Ok(d) = PartialDate::parse(day) {
                    return Ok(d.to_iso());
                }
            }
            // 4/25/2018 (month first, as an English spreadsheet writes it) when only that reads.
            let parts: Vec<&str> = t.split('/').collect();
            if let [m, d, y] = parts.as_slice() {
                if let (Ok(m), Ok(d), Ok(y)) = (m.parse::<u32>(), d.parse::<u32>(), y.parse::<i32>()) {
                    if d > 12 && m <= 12 && y >= 1000 {
                        return PartialDate::day(y, m, d).map(|p| p.to_iso()).map_err(|_| bad());
                    }
                }
            }
            match t.parse::<f64>() {
                Ok(n) if t.len() == 5 => serial_or_year(n).ok_or_else(bad),
                _ => Err(bad()),
            }
        }
    }
}

fn serial_or_year(n: f64) -> Option<String> {
    if n.fract() == 0.0 && (1000.0..=9999.0).contains(&n) {
        return PartialDate::year(n as i32).ok().map(|p| p.to_iso());
    }
    if !(1.0..=2_958_465.0).contains(&n) {
        return None;
    }
    let d = excel_epoch().checked_add_days(chrono::Days::new(n.floor() as u64))?;
    PartialDate::from_naive(d).ok().map(|p| p.to_iso())
}

/// Existing records, loaded once per plan, by the keys rows are matched on.
#[derive(Default)]
struct Index {
    by_uuid: HashMap<String, i64>,
    by_reference: HashMap<String, Vec<i64>>,
    by_name: HashMap<String, Vec<i64>>,
}

impl Index {
    fn add(&mut self, id: i64, uuid: String, reference: &str, names: &[String]) {
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
struct PartnerNames {
    by_name: HashMap<String, Vec<(i64, String)>>,
}

impl PartnerNames {
    fn load(c: &Connection) -> Result<Self> {
        let mut by_name: HashMap<String, Vec<(i64, String)>> = HashMap::new();
        let mut stmt = c.prepare("SELECT id, name_ar, name_latin, country FROM partner WHERE deleted_at IS NULL")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        for row in rows {
            let (id, ar, latin, country) = row?;
            for name in [fold(&ar), fold(&latin), fold(&format!("{ar} ({latin})"))] {
                if !name.is_empty() {
                    let ids = by_name.entry(name).or_default();
                    if !ids.iter().any(|(i, _)| *i == id) {
                        ids.push((id, country.clone()));
                    }
                }
            }
        }
        Ok(PartnerNames { by_name })
    }

    /// The partner a cell names: "name", "name_ar (name_latin)" as Taawun exports it, or either
    /// part; a country narrows homonyms.
    fn find(&self, text: &str, country: Option<&str>) -> Result<i64> {
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
type KeysOf = dyn Fn(&rusqlite::Row<'_>) -> rusqlite::Result<(String, Vec<String>)>;

/// Turns rows into changes for one kind and one mapping.
struct Planner<'a> {
    conn: &'a Connection,
    kind: Entity,
    header: &'a [String],
    column_of: HashMap<&'a str, usize>,
    lang: Lang,
    index: Index,
    partners: Option<PartnerNames>,
    agreements: Index,
    kinds: Choices,
    statuses: Choices,
}

/// The problems of one row, gathered while it is read.
struct RowErrors<'p> {
    planner: &'p Planner<'p>,
    list: Vec<RowError>,
}

impl RowErrors<'_> {
    /// Adds a problem, unless its field already has one (an unknown party makes "too few parties" too).
    fn push(&mut self, field: &str, value: &str, e: Error) {
        let field = e.field().filter(|f| *f != "date").unwrap_or(field).to_string();
        if self.list.iter().any(|x| x.field == field) {
            return;
        }
        let column = self.planner.column_of.get(field.as_str()).map(|i| self.planner.header[*i].clone());
        self.list.push(RowError {
            column,
            value: value.to_string(),
            code: e.code(),
            message: e.message(self.planner.lang),
            field,
        });
    }
}

impl<'a> Planner<'a> {
    fn new(
        conn: &'a Connection,
        kind: Entity,
        header: &'a [String],
        mapping: &'a [Option<String>],
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
            Entity::Partner => {
                (Choices::new(PartnerKind::ALL, PartnerKind::as_str, "partner_kind"), Choices(HashMap::new()))
            }
            Entity::Agreement => (
                Choices::new(AgreementKind::ALL, AgreementKind::as_str, "agreement_kind"),
                Choices::new(AgreementStatus::ALL, AgreementStatus::as_str, "agreement_status"),
            ),
            Entity::Project => {
                (Choices(HashMap::new()), Choices::new(ProjectStatus::ALL, ProjectStatus::as_str, "project_status"))
            }
            _ => (Choices(HashMap::new()), Choices(HashMap::new())),
        };
        Ok(Planner { conn, kind, header, column_of, lang, index, partners, agreements, kinds, statuses })
    }

    fn cell<'r>(&self, cells: &'r [Cell], field: &str) -> Option<&'r Cell> {
        self.column_of.get(field).and_then(|i| cells.get(*i))
    }

    fn text(&self, cells: &[Cell], field: &str) -> Option<String> {
        self.cell(cells, field).map(Cell::text)
    }

    fn plan(&self, rows: &[read::Row]) -> Vec<(PlannedRow, Option<Change>)> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        rows.iter()
            .enumerate()
            .map(|(i, row)| {
                let (mut planned, change, key) = self.plan_row(row, i < PREVIEW_ROWS);
                if let Some(key) = key {
                    if let Some(first) = seen.get(&key) {
                        let mut errors = RowErrors { planner: self, list: Vec::new() };
                        errors.push("row", &first.to_string(), Error::invalid("row", Rule::DuplicateRow));
                        planned.errors.extend(errors.list);
                        planned.action = Action::Error;
                        return (planned, None);
                    }
                    seen.insert(key, row.number);
                }
                (planned, change)
            })
            .collect()
    }

    /// One row: its planned action, its change, and the key that identifies its record in this file.
    fn plan_row(&self, row: &read::Row, describe: bool) -> (PlannedRow, Option<Change>, Option<String>) {
        let cells = &row.cells;
        let mut errors = RowErrors { planner: self, list: Vec::new() };
        let uuid = self.text(cells, "uuid").filter(|u| !u.is_empty()).map(|u| u.to_ascii_lowercase());
        let valid_uuid = uuid.as_deref().filter(|u| uuid::Uuid::parse_str(u).is_ok()).map(str::to_string);
        if uuid.is_some() && valid_uuid.is_none() {
            errors.push("uuid", uuid.as_deref().unwrap_or(""), Error::invalid("uuid", Rule::UnknownValue));
        }
        let by_uuid = valid_uuid.as_deref().and_then(|u| self.index.by_uuid.get(u).copied());
        let Planned { change, label, id, matched_by, key } = match self.kind {
            Entity::Partner => self.partner(cells, by_uuid, &mut errors),
            Entity::Agreement => self.agreement(cells, by_uuid, &mut errors),
            Entity::Project => self.project(cells, by_uuid, &mut errors),
            _ => self.membership(cells, by_uuid, &mut errors),
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
        let change = change.filter(|_| action != Action::Unchanged);
        // The cells as text are filled in by `prepare` for the rows a preview shows.
        let planned = PlannedRow {
            row: row.number,
            action,
            id,
            matched_by,
            label,
            values,
            cells: Vec::new(),
            errors: errors.list,
        };
        (planned, change, key)
    }

    /// The mapped fields of a planned change as the user will read them.
    fn values_of(&self, change: &Change, cells: &[Cell]) -> Vec<(String, String)> {
        let lang = self.lang;
        let date = |iso: &str| PartialDate::stored(iso).map(|d| d.display(lang)).unwrap_or_default();
        let label = |group: &str, code: &str| tr(lang, &format!("{group}.{code}"));
        let mut out = Vec::new();
        for field in fields(self.kind).iter().filter(|f| **f != "uuid" && self.column_of.contains_key(**f)) {
            let value = match (change, *field) {
                (Change::Partner { data, .. }, "kind") => label("partner_kind", data.kind.as_str()),
                (Change::Partner { data, .. }, "country") => crate::country::name(&data.country, lang),
                (Change::Agreement { data, .. }, "kind") => label("agreement_kind", data.kind.as_str()),
                (Change::Agreement { status, .. }, "status") => {
                    status.map(|s| label("agreement_status", s.as_str())).unwrap_or_default()
                }
                (Change::Agreement { data, .. }, "signed_on") => date(&data.signed_on),
                (Change::Agreement { data, .. }, "effective_from") => date(&data.effective_from),
                (Change::Agreement { data, .. }, "end_on") => date(&data.end_on),
                (Change::Agreement { data, .. }, "duration_months") => {
                    data.duration_months.map(|m| m.to_string()).unwrap_or_default()
                }
                (Change::Project { data, .. }, "status") => label("project_status", data.status.as_str()),
                (Change::Project { data, .. }, "start_on") => date(&data.start_on),
                (Change::Project { data, .. }, "end_on") => date(&data.end_on),
                (Change::Membership { data, .. }, "since") => date(&data.since),
                (Change::Membership { data, .. }, "dues_amount") => data
                    .dues_minor
                    .map(|m| crate::money::Money { minor: m, currency: data.dues_currency.clone() }.display(lang))
                    .unwrap_or_default(),
                (Change::Membership { .. }, "country") => self
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

    fn date(&self, cells: &[Cell], field: &str, current: &str, errors: &mut RowErrors) -> String {
        match self.cell(cells, field).filter(|c| !c.is_empty()) {
            None => current.to_string(),
            Some(c) => date_of(c).unwrap_or_else(|e| {
                errors.push(field, &c.text(), e);
                current.to_string()
            }),
        }
    }

    /// A choice field's value named in its cell; none when the cell is empty or unmapped, an
    /// error on the row when it names nothing known.
    fn chosen<T>(
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
    fn take(&self, cells: &[Cell], field: &str, current: &str) -> String {
        self.text(cells, field).filter(|t| !t.is_empty()).unwrap_or_else(|| current.to_string())
    }

    /// Matches by name: exactly one existing record, or none, or an error for several.
    fn by_names(&self, keys: &[String], field: &str, errors: &mut RowErrors) -> Option<i64> {
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

    fn partner(&self, cells: &[Cell], by_uuid: Option<i64>, errors: &mut RowErrors) -> Planned {
        let name_ar = self.text(cells, "name_ar").unwrap_or_default();
        let name_latin = self.text(cells, "name_latin").unwrap_or_default();
        let country_text = self.text(cells, "country").unwrap_or_default();
        let country = if country_text.is_empty() {
            None
        } else {
            let c = country_of(&country_text);
            if c.is_none() {
                errors.push("country", &country_text, Error::invalid("country", Rule::UnknownValue));
            }
            c
        };
        let keys = country
            .as_deref()
            .map(|c| vec![format!("{c}|{}", fold(&name_ar)), format!("{c}|{}", fold(&name_latin))])
            .unwrap_or_default();
        let (id, matched_by) = match by_uuid {
            Some(id) => (Some(id), None),
            None => (self.by_names(&keys, "name_ar", errors), Some("names")),
        };
        let current = id.and_then(|id| crate::store::partner_data(self.conn, id).ok());
        let base = current.clone().unwrap_or_else(|| PartnerData {
            kind: if country.as_deref() == Some(crate::country::HOME) {
                PartnerKind::NationalCollectivity
            } else {
                PartnerKind::ForeignCollectivity
            },
            name_ar: String::new(),
            name_latin: String::new(),
            country: String::new(),
            region: String::new(),
            city: String::new(),
            address: String::new(),
            contacts: Vec::new(),
            notes: String::new(),
        });
        let kind = self.chosen(cells, "kind", &self.kinds, PartnerKind::parse, errors).unwrap_or(base.kind);
        let data = PartnerData {
            kind,
            name_ar: self.take(cells, "name_ar", &base.name_ar),
            name_latin: self.take(cells, "name_latin", &base.name_latin),
            country: country.unwrap_or(base.country.clone()),
            region: self.take(cells, "region", &base.region),
            city: self.take(cells, "city", &base.city),
            address: self.take(cells, "address", &base.address),
            contacts: base.contacts.clone(),
            notes: self.take(cells, "notes", &base.notes),
        };
        let label = data.display_name(self.lang).to_string();
        let key = keys.iter().find(|k| !k.ends_with('|')).cloned();
        Planned::checked(
            data.validate(),
            current.as_ref(),
            |data| Change::Partner { id, uuid: None, data },
            label,
            Found { id, matched_by, key },
            errors,
        )
    }

    fn agreement(&self, cells: &[Cell], by_uuid: Option<i64>, errors: &mut RowErrors) -> Planned {
        let reference = self.text(cells, "reference").unwrap_or_default();
        let title_keys = vec![
            fold(&self.text(cells, "title_ar").unwrap_or_default()),
            fold(&self.text(cells, "title_fr").unwrap_or_default()),
        ];
        let (id, matched_by) = match by_uuid {
            Some(id) => (Some(id), None),
            None => match self.index.by_reference.get(&fold(&reference)).filter(|_| !fold(&reference).is_empty()) {
                Some(ids) if ids.len() == 1 => (Some(ids[0]), Some("reference")),
                Some(_) => {
                    errors.push("reference", &reference, Error::invalid("reference", Rule::AmbiguousMatch));
                    (None, None)
                }
                None => (self.by_names(&title_keys, "title_ar", errors), Some("names")),
            },
        };
        let current = id.and_then(|id| crate::store::agreement_data(self.conn, id).ok());
        let base = current.clone().map(|(d, _)| d).unwrap_or_else(|| AgreementData {
            kind: AgreementKind::Partnership,
            title_ar: String::new(),
            title_fr: String::new(),
            legal_basis: String::new(),
            reference: String::new(),
            parties: Vec::new(),
            areas: Vec::new(),
            signed_on: String::new(),
            signed_at: String::new(),
            effective_from: String::new(),
            duration_months: None,
            end_on: String::new(),
            tacit_renewal: false,
            notes: String::new(),
        });
        let kind = self.chosen(cells, "kind", &self.kinds, AgreementKind::parse, errors).unwrap_or(base.kind);
        let status = self.chosen(cells, "status", &self.statuses, AgreementStatus::parse, errors);
        let parties = match self.text(cells, "parties").filter(|t| !t.is_empty()) {
            None => base.parties.clone(),
            Some(text) => {
                let partners = self.partners.as_ref().expect("loaded for agreements");
                let mut ids = Vec::new();
                for name in text.split([';', '؛', '\n']).map(str::trim).filter(|n| !n.is_empty()) {
                    match partners.find(name, None) {
                        Ok(id) => ids.push(id),
                        Err(e) => errors.push("parties", name, e),
                    }
                }
                ids
            }
        };
        let duration_months = match self.text(cells, "duration_months").filter(|d| !d.is_empty()) {
            Some(d) => d.trim().parse::<u32>().map(Some).unwrap_or_else(|_| {
                errors.push("duration_months", &d, Error::invalid("duration_months", Rule::OutOfRange));
                base.duration_months
            }),
            None => base.duration_months,
        };
        let data = AgreementData {
            kind,
            title_ar: self.take(cells, "title_ar", &base.title_ar),
            title_fr: self.take(cells, "title_fr", &base.title_fr),
            legal_basis: self.take(cells, "legal_basis", &base.legal_basis),
            reference: self.take(cells, "reference", &base.reference),
            parties,
            areas: base.areas.clone(),
            signed_on: self.date(cells, "signed_on", &base.signed_on, errors),
            signed_at: self.take(cells, "signed_at", &base.signed_at),
            effective_from: self.date(cells, "effective_from", &base.effective_from, errors),
            duration_months,
            end_on: {
                // An export's expiry column reads as the end date; when it is only the expiry
                // computed from the duration, the record keeps its end date empty.
                let end = self.date(cells, "end_on", &base.end_on, errors);
                let computed = base.expires_on().map(|d| d.format("%Y-%m-%d").to_string());
                if base.end_on.is_empty() && computed.as_deref() == Some(end.as_str()) {
                    String::new()
                } else {
                    end
                }
            },
            tacit_renewal: base.tacit_renewal,
            notes: self.take(cells, "notes", &base.notes),
        };
        let label = if data.title_ar.is_empty() || self.lang != Lang::Ar {
            if data.title_fr.is_empty() {
                data.title_ar.clone()
            } else {
                data.title_fr.clone()
            }
        } else {
            data.title_ar.clone()
        };
        let key = Some(fold(&data.reference))
            .filter(|r| !r.is_empty())
            .or_else(|| title_keys.iter().find(|k| !k.is_empty()).cloned());
        let status_changes = status.filter(|s| current.as_ref().is_none_or(|(_, old)| old != s));
        let mut planned = Planned::checked(
            data.validate(),
            current.as_ref().map(|(d, _)| d),
            |data| Change::Agreement { id, uuid: None, data, status: status_changes },
            label,
            Found { id, matched_by, key },
            errors,
        );
        if let (Some((_, unchanged)), Some(_)) = (&mut planned.change, status_changes) {
            *unchanged = false;
        }
        planned
    }

    fn project(&self, cells: &[Cell], by_uuid: Option<i64>, errors: &mut RowErrors) -> Planned {
        let agreement_text = self.text(cells, "agreement_id").unwrap_or_default();
        let agreement = if agreement_text.is_empty() {
            None
        } else {
            let key = fold(&agreement_text);
            let found = self
                .agreements
                .by_uuid
                .get(&agreement_text.to_ascii_lowercase())
                .map(|id| vec![*id])
                .or_else(|| self.agreements.by_reference.get(&key).cloned())
                .or_else(|| self.agreements.by_name.get(&key).cloned());
            match found.as_deref() {
                Some([one]) => Some(*one),
                Some(_) => {
                    errors.push("agreement_id", &agreement_text, Error::invalid("agreement_id", Rule::AmbiguousMatch));
                    None
                }
                None => {
                    errors.push(
                        "agreement_id",
                        &agreement_text,
                        Error::invalid("agreement_id", Rule::UnknownAgreement),
                    );
                    None
                }
            }
        };
        let keys = agreement
            .map(|a| {
                vec![
                    format!("{a}|{}", fold(&self.text(cells, "title_ar").unwrap_or_default())),
                    format!("{a}|{}", fold(&self.text(cells, "title_fr").unwrap_or_default())),
                ]
            })
            .unwrap_or_default();
        let (id, matched_by) = match by_uuid {
            Some(id) => (Some(id), None),
            None => (self.by_names(&keys, "title_ar", errors), Some("names")),
        };
        let current = id.and_then(|id| crate::store::project_data(self.conn, id).ok());
        if agreement.is_none() && current.is_none() && agreement_text.is_empty() {
            errors.push("agreement_id", "", Error::invalid("agreement_id", Rule::Required));
        }
        let base = current.clone().unwrap_or_else(|| ProjectData {
            agreement_id: 0,
            title_ar: String::new(),
            title_fr: String::new(),
            fund: String::new(),
            fund_edition: String::new(),
            tranche: String::new(),
            implementing_bodies: Vec::new(),
            start_on: String::new(),
            end_on: String::new(),
            status: ProjectStatus::Planned,
            budget_lines: Vec::new(),
            activities: Vec::new(),
            beneficiaries: String::new(),
            notes: String::new(),
        });
        let status = self.chosen(cells, "status", &self.statuses, ProjectStatus::parse, errors).unwrap_or(base.status);
        let data = ProjectData {
            agreement_id: agreement.unwrap_or(base.agreement_id),
            title_ar: self.take(cells, "title_ar", &base.title_ar),
            title_fr: self.take(cells, "title_fr", &base.title_fr),
            fund: self.take(cells, "fund", &base.fund),
            fund_edition: self.take(cells, "fund_edition", &base.fund_edition),
            tranche: self.take(cells, "tranche", &base.tranche),
            implementing_bodies: base.implementing_bodies.clone(),
            start_on: self.date(cells, "start_on", &base.start_on, errors),
            end_on: self.date(cells, "end_on", &base.end_on, errors),
            status,
            budget_lines: base.budget_lines.clone(),
            activities: base.activities.clone(),
            beneficiaries: self.take(cells, "beneficiaries", &base.beneficiaries),
            notes: self.take(cells, "notes", &base.notes),
        };
        let label = if self.lang == Lang::Ar && !data.title_ar.is_empty() || data.title_fr.is_empty() {
            data.title_ar.clone()
        } else {
            data.title_fr.clone()
        };
        let key = keys.iter().find(|k| !k.ends_with('|')).cloned();
        Planned::checked(
            data.validate(),
            current.as_ref(),
            |data| Change::Project { id, uuid: None, data },
            label,
            Found { id, matched_by, key },
            errors,
        )
    }

    fn membership(&self, cells: &[Cell], by_uuid: Option<i64>, errors: &mut RowErrors) -> Planned {
        let organisation = self.text(cells, "partner_id").unwrap_or_default();
        let country = self.text(cells, "country").and_then(|c| country_of(&c));
        let partner = if organisation.is_empty() {
            None
        } else {
            self.partners
                .as_ref()
                .expect("loaded for memberships")
                .find(&organisation, country.as_deref())
                .map_err(|e| {
                    errors.push(
                        "partner_id",
                        &organisation,
                        Error::invalid(
                            "partner_id",
                            match e {
                                Error::Invalid { rule, .. } => rule,
                                _ => Rule::UnknownPartner,
                            },
                        ),
                    )
                })
                .ok()
        };
        let (id, matched_by) = match by_uuid {
            Some(id) => (Some(id), None),
            None => (partner.and_then(|p| self.by_names(&[p.to_string()], "partner_id", errors)), Some("names")),
        };
        let current = id.and_then(|id| crate::store::membership_data(self.conn, id).ok());
        if partner.is_none() && current.is_none() && organisation.is_empty() {
            errors.push("partner_id", "", Error::invalid("partner_id", Rule::Required));
        }
        let base = current.clone().unwrap_or(MembershipData {
            partner_id: 0,
            since: String::new(),
            dues_amount: String::new(),
            dues_currency: String::new(),
            dues_minor: None,
            notes: String::new(),
        });
        let (dues_amount, dues_currency) = match self.text(cells, "dues_amount").filter(|t| !t.is_empty()) {
            None => (base.dues_amount.clone(), base.dues_currency.clone()),
            Some(text) => split_currency(&text),
        };
        let data = MembershipData {
            partner_id: partner.unwrap_or(base.partner_id),
            since: self.date(cells, "since", &base.since, errors),
            dues_amount,
            dues_currency,
            dues_minor: None,
            notes: self.take(cells, "notes", &base.notes),
        };
        let label = organisation.clone();
        let key = partner.map(|p| p.to_string());
        Planned::checked(
            data.validate(),
            current.as_ref(),
            |data| Change::Membership { id, uuid: None, data },
            label,
            Found { id, matched_by, key },
            errors,
        )
    }
}

/// What a row becomes: the change and whether it equals the stored record, its label, the record
/// it matched, how, and its key in this file.
struct Planned {
    change: Option<(Change, bool)>,
    label: String,
    id: Option<i64>,
    matched_by: Option<&'static str>,
    key: Option<String>,
}

/// The record a row names: its id when it exists, how it was matched, and its key in this file.
struct Found {
    id: Option<i64>,
    matched_by: Option<&'static str>,
    key: Option<String>,
}

impl Planned {
    /// Ends the planning of a row of any kind: the checked fields as a change (and whether they
    /// equal the stored record), or the check's error on the row.
    fn checked<T: PartialEq>(
        checked: Result<T>,
        current: Option<&T>,
        change: impl FnOnce(T) -> Change,
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
                }
            }
            Err(e) => {
                errors.push("row", "", e);
                Planned { change: None, label, id, matched_by: None, key }
            }
        }
    }
}

fn with_uuid(change: Change, id: Option<i64>, file_uuid: Option<String>) -> Change {
    // A new record keeps the UUID it had in the file (a record exported from another desk).
    let keep = if id.is_none() { file_uuid } else { None };
    match change {
        Change::Partner { id, data, .. } => Change::Partner { id, uuid: keep, data },
        Change::Agreement { id, data, status, .. } => Change::Agreement { id, uuid: keep, data, status },
        Change::Project { id, data, .. } => Change::Project { id, uuid: keep, data },
        Change::Membership { id, data, .. } => Change::Membership { id, uuid: keep, data },
    }
}

/// "25 000 MAD", "1 250,50 EUR" or a bare amount (dirhams).
fn split_currency(text: &str) -> (String, String) {
    let t = text.trim();
    if t.is_empty() {
        return (String::new(), String::new());
    }
    match t.rsplit_once(char::is_whitespace) {
        Some((amount, code)) if crate::money::currency(&code.to_ascii_uppercase()).is_some() => {
            (amount.trim().to_string(), code.to_ascii_uppercase())
        }
        _ => (t.to_string(), "MAD".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(c: Cell) -> String {
        date_of(&c).unwrap_or_else(|e| e.code())
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(d(Cell::Text("25/04/2018".into())), "2018-04-25");
        assert_eq!(d(Cell::Text("2018-04-25".into())), "2018-04-25");
        assert_eq!(d(Cell::Text("25 أبريل 2018".into())), "2018-04-25");
        assert_eq!(d(Cell::Text("ماي 2008".into())), "2008-05");
        assert_eq!(d(Cell::Text("avril 2018".into())), "2018-04");
        assert_eq!(d(Cell::Text("2018-04-25 00:00:00".into())), "2018-04-25");
        assert_eq!(d(Cell::Text("4/25/2018".into())), "2018-04-25");
        assert_eq!(d(Cell::Text("43215".into())), "2018-04-25");
        assert_eq!(d(Cell::Number(43215.0)), "2018-04-25");
        assert_eq!(d(Cell::Number(43215.75)), "2018-04-25");
        assert_eq!(d(Cell::Number(2016.0)), "2016");
        assert_eq!(d(Cell::Date(NaiveDate::from_ymd_opt(2019, 6, 12).unwrap())), "2019-06-12");
        assert_eq!(d(Cell::Empty), "");
        for bad in ["31/06/2018", "13/13/2018", "tomorrow", "-5", "99999999"] {
            assert_eq!(d(Cell::Text(bad.into())), "invalid.bad_date", "{bad}");
        }
        assert_eq!(d(Cell::Number(-3.0)), "invalid.bad_date");
        assert_eq!(d(Cell::Number(f64::NAN)), "invalid.bad_date");
    }

    #[test]
    fn headers_are_recognised_in_three_languages() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let m = guess_mapping(Entity::Partner, &h(&["الاسم بالعربية", "Nom", "Pays", "Ville", "ملاحظات", "?"]));
        assert_eq!(
            m,
            [Some("name_ar"), Some("name_latin"), Some("country"), Some("city"), Some("notes"), None]
                .map(|f| f.map(String::from))
        );
        let m = guess_mapping(
            Entity::Agreement,
            &h(&["Intitulé", "Référence", "Date de signature", "Partenaires", "الوضعية"]),
        );
        assert_eq!(
            m,
            [Some("title_fr"), Some("reference"), Some("signed_on"), Some("parties"), Some("status")]
                .map(|f| f.map(String::from))
        );
        assert_eq!(guess_kind(&h(&["العنوان", "تاريخ التوقيع", "الشركاء"])), Some(Entity::Agreement));
        assert_eq!(guess_kind(&h(&["الاسم", "البلد", "المدينة"])), Some(Entity::Partner));
        assert_eq!(guess_kind(&h(&["x", "y"])), None);
    }

    #[test]
    fn countries_and_choices_from_labels() {
        assert_eq!(country_of("مالي").as_deref(), Some("ML"));
        assert_eq!(country_of("France").as_deref(), Some("FR"));
        assert_eq!(country_of("sénégal").as_deref(), Some("SN"));
        assert_eq!(country_of("ml").as_deref(), Some("ML"));
        assert_eq!(country_of("Atlantis"), None);
        assert_eq!(
            Choices::new(AgreementKind::ALL, AgreementKind::as_str, "agreement_kind")
                .find("Jumelage", AgreementKind::parse),
            Some(AgreementKind::Twinning)
        );
        assert_eq!(
            Choices::new(AgreementStatus::ALL, AgreementStatus::as_str, "agreement_status")
                .find("in force", AgreementStatus::parse),
            Some(AgreementStatus::InForce)
        );
        assert_eq!(split_currency("25\u{202F}000 MAD"), ("25\u{202F}000".to_string(), "MAD".to_string()));
        assert_eq!(split_currency("1500"), ("1500".to_string(), "MAD".to_string()));
    }
}
