//! Counted nouns in the user's language: "يومان", "3 أيام", "11 يوما", "100 يوم"; "1 jour",
//! "2 jours"; "1 day", "2 days". The CLDR plural rules (ICU4X `icu_plurals`, compiled data)
//! pick a category for the number, and the locale files hold one form per category the
//! language has under `count.<noun>` (ar: zero, one, two, few, many, other; fr: one, many,
//! other; en: one, other). The window reads the same forms and picks with the browser's CLDR
//! rules (`tn` in ui/js/i18n.js), checked equal to these by the end-to-end tests.
//!
//! The Arabic forms are written as a council's secretary writes them: the dual for two
//! ("عضوان"), the number word after the noun for one ("معارض واحد"), a plural of few for 3–10,
//! the singular accusative for 11–99 ("11 يوما"), the singular for 100, 101, 102…, and "لا"
//! with the noun for none in a vote ("لا معارض").

use crate::i18n::{tr, Lang};
use icu_plurals::{PluralCategory, PluralRules};

/// Runs `f` with the plural rules of `lang`, made once per thread (compiled data; the rules
/// are not `Sync`).
fn with_rules<T>(lang: Lang, f: impl FnOnce(&PluralRules) -> T) -> T {
    fn make(locale: icu_locale_core::Locale) -> PluralRules {
        PluralRules::try_new(locale.into(), Default::default()).expect("compiled CLDR plural rules")
    }
    thread_local! {
        static RULES: [PluralRules; 3] = [
            make(icu_locale_core::locale!("ar")),
            make(icu_locale_core::locale!("fr")),
            make(icu_locale_core::locale!("en")),
        ];
    }
    let i = match lang {
        Lang::Ar => 0,
        Lang::Fr => 1,
        Lang::En => 2,
    };
    RULES.with(|rules| f(&rules[i]))
}

/// The CLDR category of `n` in `lang`, by its name in the locale files.
pub fn category(lang: Lang, n: u64) -> &'static str {
    with_rules(lang, |r| name(r.category_for(n)))
}

/// The categories `lang` has, by name (what each `count.<noun>` holds in its locale file).
pub fn categories(lang: Lang) -> Vec<&'static str> {
    with_rules(lang, |r| r.categories().map(name).collect())
}

fn name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// The grammatical case of the place a count takes in an Arabic sentence: the dual and "one"
/// change with it ("حضر عضوان" but "من أصل عضوين"; "يوم واحد" but "تستغرق يوما واحدا"). French
/// and English have one form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// A subject, a predicate, a parenthesis or a label's value.
    Nominative,
    /// An object ("تستغرق الدورة يومين", "أرفقت وثيقتين").
    Accusative,
    /// After a preposition or as the second term of an idafa ("في بلدين", "داخل أجل يومين").
    Genitive,
}

/// `n` of `noun` in `lang`, in the nominative: the form of `count.<noun>` for `n`'s category,
/// `%{n}` replaced.
pub fn counted(lang: Lang, noun: &str, n: u64) -> String {
    counted_as(lang, noun, n, Case::Nominative)
}

/// `n` of `noun` in `lang` in `case`: Arabic's dual takes its oblique form (`two_obl`) in the
/// accusative and genitive, and "one" its accusative (`one_acc`).
pub fn counted_as(lang: Lang, noun: &str, n: u64, case: Case) -> String {
    let category = category(lang, n);
    let variant = match (lang, category, case) {
        (Lang::Ar, "two", Case::Accusative | Case::Genitive) => "two_obl",
        (Lang::Ar, "one", Case::Accusative) => "one_acc",
        _ => category,
    };
    tr(lang, &format!("count.{noun}.{variant}")).replace("%{n}", &n.to_string())
}

/// A vote in words: "25 present: 20 for, 3 against, 2 abstentions" / "الحاضرون…: 15 موافقا،
/// معارض واحد، ممتنعان" (the window, the papers and the dossier say it alike).
pub fn vote_line(lang: Lang, present: u32, votes_for: u32, against: u32, abstentions: u32) -> String {
    crate::i18n::tr_args(
        lang,
        "session.vote_line",
        &[
            ("present", &counted(lang, "present", present.into())),
            ("for", &counted(lang, "in_favour", votes_for.into())),
            ("against", &counted(lang, "against", against.into())),
            ("abstain", &counted(lang, "abstention", abstentions.into())),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERS: [u64; 9] = [0, 1, 2, 3, 10, 11, 99, 100, 101];

    fn forms(lang: Lang, noun: &str) -> Vec<String> {
        NUMBERS.iter().map(|&n| counted(lang, noun, n)).collect()
    }

    #[test]
    fn arabic_days_agree_in_number_in_every_category() {
        assert_eq!(
            forms(Lang::Ar, "day"),
            ["0 يوم", "يوم واحد", "يومان", "3 أيام", "10 أيام", "11 يوما", "99 يوما", "100 يوم", "101 يوم"]
        );
        assert_eq!(counted(Lang::Ar, "day", 103), "103 أيام", "few: n % 100 in 3..10");
        assert_eq!(counted(Lang::Ar, "day", 111), "111 يوما", "many: n % 100 in 11..99");
        assert_eq!(
            forms(Lang::Ar, "against"),
            [
                "لا معارض",
                "معارض واحد",
                "معارضان",
                "3 معارضين",
                "10 معارضين",
                "11 معارضا",
                "99 معارضا",
                "100 معارض",
                "101 معارض"
            ]
        );
        assert_eq!(counted(Lang::Ar, "page", 2), "صفحتان");
        assert_eq!(counted_as(Lang::Ar, "country", 2, Case::Genitive), "بلدين", "في بلدين");
        assert_eq!(counted_as(Lang::Ar, "day", 1, Case::Accusative), "يوما واحدا");
        assert_eq!(counted_as(Lang::Ar, "day", 1, Case::Genitive), "يوم واحد");
        assert_eq!(counted_as(Lang::Ar, "day", 5, Case::Genitive), "5 أيام", "only the dual and one change");
        assert_eq!(counted_as(Lang::Fr, "day", 2, Case::Genitive), "2 jours");
        assert_eq!(counted(Lang::Ar, "member", 31), "31 عضوا");
    }

    #[test]
    fn french_and_english_have_their_own_categories() {
        assert_eq!(
            forms(Lang::Fr, "day"),
            ["0 jour", "1 jour", "2 jours", "3 jours", "10 jours", "11 jours", "99 jours", "100 jours", "101 jours"]
        );
        assert_eq!(counted(Lang::Fr, "day", 1_000_000), "1000000 de jours", "CLDR fr many");
        assert_eq!(counted(Lang::Fr, "abstention", 1), "1 abstention");
        assert_eq!(
            forms(Lang::En, "day"),
            ["0 days", "1 day", "2 days", "3 days", "10 days", "11 days", "99 days", "100 days", "101 days"]
        );
        assert_eq!(categories(Lang::Ar), ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!(categories(Lang::Fr), ["one", "many", "other"]);
        assert_eq!(categories(Lang::En), ["one", "other"]);
    }

    /// Every counted noun has exactly its language's categories, each form with the number
    /// except where Arabic writes it out (zero, one, two).
    #[test]
    fn every_counted_noun_has_each_category_of_each_language() {
        let nouns: std::collections::BTreeSet<String> = crate::i18n::bundle(Lang::En)
            .keys()
            .filter_map(|k| k.strip_prefix("count.").and_then(|k| k.split_once('.')).map(|(n, _)| n.to_string()))
            .collect();
        assert!(nouns.len() >= 15, "{nouns:?}");
        for lang in [Lang::Ar, Lang::Fr, Lang::En] {
            let bundle = crate::i18n::bundle(lang);
            let wanted = categories(lang);
            for noun in &nouns {
                let mut have: Vec<&str> = bundle
                    .keys()
                    .filter_map(|k| k.strip_prefix(&format!("count.{noun}.")))
                    .map(|c| wanted.iter().copied().find(|w| *w == c).unwrap_or(c))
                    .collect();
                have.sort_by_key(|c| wanted.iter().position(|w| w == c).unwrap_or(99));
                // Arabic adds the oblique dual and the accusative "one" (see `Case`).
                let extra: &[&str] = if lang == Lang::Ar { &["two_obl", "one_acc"] } else { &[] };
                let have_extra: Vec<&str> = have.iter().copied().filter(|c| extra.contains(c)).collect();
                have.retain(|c| !extra.contains(c));
                assert_eq!(have, wanted, "{lang:?} count.{noun}");
                assert_eq!(have_extra.len(), extra.len(), "{lang:?} count.{noun}: {extra:?}");
                for cat in &wanted {
                    let form = &bundle[&format!("count.{noun}.{cat}")];
                    let spelled = lang == Lang::Ar && ["zero", "one", "two"].contains(cat);
                    assert!(spelled || form.contains("%{n}"), "{lang:?} count.{noun}.{cat}: {form}");
                }
            }
        }
    }
}
