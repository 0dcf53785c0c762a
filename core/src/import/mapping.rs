//! Columns to fields: the fields each kind of record can fill, the names people give their
//! columns in Arabic, French or English, a mapping typed by the user, and the guess of the kind
//! of records a header describes.

use crate::error::{Error, Result, Rule};
use crate::i18n::{tr, Lang};
use crate::model::Entity;
use crate::text::fold;
use sha2::{Digest, Sha256};

/// The fields a column can fill, per kind, in form order. `uuid` matches a record exported
/// from Taawun; names of related records (parties, agreement, organisation) are looked up.
pub fn fields(kind: Entity) -> &'static [&'static str] {
    match kind {
        Entity::Partner => {
            &["uuid", "kind", "name_ar", "name_latin", "short_name", "country", "region", "city", "address", "notes"]
        }
        Entity::Agreement => &[
            "uuid",
            "kind",
            "title_ar",
            "title_fr",
            "reference",
            "status",
            "parties",
            "country",
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
pub(super) const ALIASES: &[(&str, &[&str])] = &[
    ("uuid", &["uuid", "id unique", "identifiant"]),
    ("kind", &["type", "النوع", "نوع الشريك", "نوع الاتفاقية", "nature", "category", "الصنف"]),
    ("name_ar", &["الاسم", "اسم الشريك", "الشريك", "الجماعة", "name arabic", "nom arabe", "nom en arabe"]),
    ("name_latin", &["nom", "name", "nom du partenaire", "partenaire", "partner", "collectivite", "nom latin"]),
    ("short_name", &["الاختصار", "الاسم المختصر", "sigle", "acronyme", "acronym", "short name", "abreviation"]),
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

/// The setting under which the mapping of a layout (a kind and its column names) is remembered.
pub fn layout_key(kind: Entity, header: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_str());
    for name in header {
        h.update([0x1f]);
        h.update(fold(name));
    }
    format!("import.mapping.{}", &crate::digest::hex(&h.finalize())[..16])
}

/// What is remembered for a layout: the mapping of its columns and the meaning of its values.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct Remembered {
    pub(super) mapping: Vec<Option<String>>,
    #[serde(default)]
    pub(super) values: std::collections::BTreeMap<String, String>,
}

impl Remembered {
    /// Reads the setting, also in its first form (the mapping alone, a JSON array).
    pub(super) fn parse(text: &str) -> Option<Remembered> {
        serde_json::from_str::<Remembered>(text).ok().or_else(|| {
            serde_json::from_str::<Vec<Option<String>>>(text)
                .ok()
                .map(|mapping| Remembered { mapping, values: Default::default() })
        })
    }
}

pub(super) fn checked_mapping(kind: Entity, mapping: &[Option<String>], width: usize) -> Result<Vec<Option<String>>> {
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

/// Reads value choices typed on the command line: `value=code` pairs separated by commas
/// (`سارية=in_force,Hollande=NL`).
pub fn parse_values(text: &str) -> Result<std::collections::BTreeMap<String, String>> {
    let mut out = std::collections::BTreeMap::new();
    for pair in text.split([',', '،']).map(str::trim).filter(|p| !p.is_empty()) {
        match pair.rsplit_once('=') {
            Some((value, code)) if !value.trim().is_empty() && !code.trim().is_empty() => {
                out.insert(value.trim().to_string(), code.trim().to_string());
            }
            _ => return Err(Error::invalid("values", Rule::UnknownValue)),
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
pub(super) fn names_of(field: &str) -> Vec<String> {
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
            let words: Vec<&str> = folded.split(' ').flat_map(crate::search::forms).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
