//! The words council registries use for Taawun's choice values, in Arabic, French and English:
//! «سارية» or «En vigueur» for an agreement in force, «شراكة» or «Partenariat» for a partnership,
//! «جمعية» for an NGO. A cell is matched folded (as search folds: diacritics, hamza forms,
//! case), first as a whole, then by the longest of these phrases it contains («اتفاقية شراكة
//! وتعاون» is a partnership, «Convention de jumelage» a twinning); a cell that negates («non
//! signée», «غير موقعة») is never matched by a phrase inside it. Ties go to the order below,
//! which puts the more specific value first.

use crate::text::fold;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Not a stored code: a partner named as a collectivity, foreign or national by its country.
pub const COLLECTIVITY: &str = "collectivity";

/// (choice group, code, the words for it).
const WORDS: &[(&str, &str, &[&str])] = &[
    ("agreement_kind", "twinning", &["توأمة", "توأمه", "مؤاخاة", "jumelage", "jumelée", "twinning", "sister city"]),
    (
        "agreement_kind",
        "tripartite",
        &[
            "ثلاثي",
            "ثلاثية",
            "متعدد الأطراف",
            "متعددة الأطراف",
            "tripartite",
            "trilatéral",
            "trilatérale",
            "multilatéral",
            "multilatérale",
            "multilateral",
        ],
    ),
    ("agreement_kind", "membership", &["انخراط", "عضوية", "adhésion", "affiliation", "membership", "membre"]),
    (
        "agreement_kind",
        "memorandum",
        &[
            "مذكرة تفاهم",
            "إعلان نوايا",
            "رسالة نوايا",
            "mémorandum",
            "memorandum",
            "mou",
            "protocole d'entente",
            "lettre d'intention",
            "déclaration d'intention",
            "letter of intent",
        ],
    ),
    ("agreement_kind", "exchange", &["تبادل", "échange", "échanges", "exchange"]),
    (
        "agreement_kind",
        "partnership",
        &[
            "شراكة",
            "تعاون",
            "اتفاقية",
            "اتفاق",
            "partenariat",
            "coopération",
            "convention",
            "accord",
            "partnership",
            "cooperation",
            "agreement",
        ],
    ),
    (
        "agreement_status",
        "terminated",
        &[
            "مفسوخة",
            "مفسوخ",
            "فسخت",
            "ملغاة",
            "ملغية",
            "résiliée",
            "résilié",
            "dénoncée",
            "annulée",
            "terminated",
            "cancelled",
        ],
    ),
    (
        "agreement_status",
        "expired",
        &["منتهية", "منتهي", "انتهت", "منتهية الصلاحية", "expirée", "expiré", "échue", "caduque", "expired", "lapsed"],
    ),
    (
        "agreement_status",
        "in_force",
        &[
            "سارية",
            "ساري",
            "سارية المفعول",
            "نافذة",
            "جارية",
            "قيد التنفيذ",
            "في طور التنفيذ",
            "en vigueur",
            "en cours",
            "active",
            "actif",
            "valide",
            "in force",
            "ongoing",
            "valid",
        ],
    ),
    (
        "agreement_status",
        "authority_approved",
        &[
            "مؤشر عليها",
            "تأشيرة",
            "تأشيرة السلطة",
            "visée",
            "visé",
            "approuvée par l'autorité",
            "approved by the authority",
        ],
    ),
    (
        "agreement_status",
        "council_approved",
        &["صادق عليها المجلس", "مصادق عليها", "مصادقة", "approuvée", "adoptée", "délibérée", "approved", "adopted"],
    ),
    ("agreement_status", "signed", &["موقعة", "موقع", "تم التوقيع", "signée", "signé", "signed"]),
    (
        "agreement_status",
        "draft",
        &[
            "مشروع",
            "في طور الإعداد",
            "قيد الإعداد",
            "قيد الدراسة",
            "قيد التحضير",
            "en projet",
            "projet",
            "brouillon",
            "en préparation",
            "en cours de préparation",
            "à l'étude",
            "draft",
            "in preparation",
            "proposed",
        ],
    ),
    (
        "partner_kind",
        "foreign_ngo",
        &[
            "جمعية",
            "منظمة غير حكومية",
            "هيئة غير حكومية",
            "مؤسسة",
            "ong",
            "ngo",
            "association",
            "fondation",
            "foundation",
            "non governmental",
        ],
    ),
    (
        "partner_kind",
        "local_gov_organisation",
        &[
            "منظمة المدن",
            "منظمة الحكومات المحلية",
            "شبكة",
            "اتحاد",
            "cglu",
            "cglua",
            "uclg",
            "aimf",
            "organisation",
            "organization",
            "réseau",
            "network",
            "fédération",
            "federation",
            "union",
        ],
    ),
    (
        "partner_kind",
        "public_body",
        &[
            "وكالة",
            "وزارة",
            "مؤسسة عمومية",
            "مكتب",
            "agence",
            "ministère",
            "établissement public",
            "office",
            "agency",
            "ministry",
        ],
    ),
    (
        "partner_kind",
        COLLECTIVITY,
        &[
            "جماعة",
            "جماعة ترابية",
            "مجلس",
            "بلدية",
            "مدينة",
            "جهة",
            "عمالة",
            "إقليم",
            "ولاية",
            "commune",
            "ville",
            "municipalité",
            "mairie",
            "région",
            "département",
            "province",
            "préfecture",
            "conseil",
            "collectivité",
            "city",
            "municipality",
            "county",
            "council",
            "region",
        ],
    ),
    ("project_status", "cancelled", &["ملغى", "ملغاة", "ألغي", "annulé", "abandonné", "cancelled", "canceled"]),
    ("project_status", "suspended", &["متوقف", "معلق", "موقوف", "suspendu", "en suspens", "suspended", "on hold"]),
    (
        "project_status",
        "completed",
        &[
            "منجز",
            "منجزة",
            "أنجز",
            "مكتمل",
            "انتهى",
            "achevé",
            "terminé",
            "réalisé",
            "clôturé",
            "completed",
            "done",
            "finished",
        ],
    ),
    (
        "project_status",
        "ongoing",
        &["في طور الإنجاز", "قيد الإنجاز", "جاري", "جارية", "en cours", "en réalisation", "ongoing", "in progress"],
    ),
    ("project_status", "planned", &["مبرمج", "مبرمجة", "مقرر", "prévu", "programmé", "planifié", "à venir", "planned"]),
];

/// Words that turn a phrase around: «non signée» is not signed.
const NEGATIONS: &[&str] = &["non", "pas", "not", "غير", "لم", "ليس", "ليست"];

/// A folded word without the Arabic article and the conjunctions glued to it («والشراكة» →
/// «شراكه»), so phrases match however the cell writes them.
fn stem(word: &str) -> &str {
    for prefix in ["وال", "بال", "فال", "لل", "ال"] {
        if let Some(rest) = word.strip_prefix(prefix) {
            if rest.chars().count() >= 2 {
                return rest;
            }
        }
    }
    word
}

fn words_of(text: &str) -> Vec<String> {
    fold(text).split(' ').filter(|w| !w.is_empty()).map(|w| stem(w).to_string()).collect()
}

/// A phrase as its stemmed words, and the code it names.
type Phrase = (Vec<String>, &'static str);

/// Every phrase of a group, in the table's order.
static PHRASES: LazyLock<HashMap<&'static str, Vec<Phrase>>> = LazyLock::new(|| {
    let mut by_group: HashMap<&'static str, Vec<Phrase>> = HashMap::new();
    for (group, code, words) in WORDS {
        for w in *words {
            by_group.entry(group).or_default().push((words_of(w), code));
        }
    }
    by_group
});

/// The code of `group` a cell names by one of the usual words, matched whole or by the longest
/// phrase it contains.
pub fn code_of(group: &str, text: &str) -> Option<&'static str> {
    let phrases = PHRASES.get(group)?;
    let words = words_of(text);
    if words.is_empty() {
        return None;
    }
    if let Some((_, code)) = phrases.iter().find(|(p, _)| *p == words) {
        return Some(code);
    }
    if words.iter().any(|w| NEGATIONS.contains(&w.as_str())) {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    for (phrase, code) in phrases {
        let contained = !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase.as_slice());
        if contained && best.is_none_or(|(len, _)| phrase.len() > len) {
            best = Some((phrase.len(), code));
        }
    }
    best.map(|(_, code)| code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_council_registries() {
        for (group, text, code) in [
            ("agreement_status", "سارية", "in_force"),
            ("agreement_status", "سارية المفعول", "in_force"),
            ("agreement_status", "En vigueur", "in_force"),
            ("agreement_status", "EN VIGUEUR depuis 2019", "in_force"),
            ("agreement_status", "Signée", "signed"),
            ("agreement_status", "موقّعة", "signed"),
            ("agreement_status", "en cours de préparation", "draft"),
            ("agreement_status", "منتهية", "expired"),
            ("agreement_kind", "شراكة", "partnership"),
            ("agreement_kind", "اتفاقية شراكة وتعاون", "partnership"),
            ("agreement_kind", "Partenariat", "partnership"),
            ("agreement_kind", "Convention de jumelage", "twinning"),
            ("agreement_kind", "اتفاقية التوأمة", "twinning"),
            ("agreement_kind", "Jumelage-coopération", "twinning"),
            ("agreement_kind", "إعلان تعاون ثلاثي", "tripartite"),
            ("agreement_kind", "Adhésion", "membership"),
            ("agreement_kind", "مذكرة تفاهم", "memorandum"),
            ("partner_kind", "Association", "foreign_ngo"),
            ("partner_kind", "جماعة", COLLECTIVITY),
            ("partner_kind", "CGLU Afrique", "local_gov_organisation"),
            ("project_status", "في طور الإنجاز", "ongoing"),
            ("project_status", "Achevé", "completed"),
        ] {
            assert_eq!(code_of(group, text), Some(code), "{group}: {text}");
        }
        assert_eq!(code_of("agreement_status", "non signée"), None, "a negation is never read as its opposite");
        assert_eq!(code_of("agreement_status", "غير موقعة"), None);
        assert_eq!(code_of("agreement_status", "؟"), None);
        assert_eq!(code_of("agreement_kind", "Fête"), None);
        assert_eq!(code_of("no_such_group", "شراكة"), None);
    }
}
