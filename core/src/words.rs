//! Amounts written out in words, as official sheets write totals: Arabic (Taawun's own: no
//! maintained crate spells Arabic numbers) and French (the `num2words` crate). Whole units of
//! the currency, then the minor units ("و 50 سنتيما" / "et 50 centimes").
//!
//! Arabic follows Moroccan administrative usage: thousands ألف / ألفان / آلاف / ألفا, millions
//! مليون / مليونان / ملايين / مليونا, billions مليار / ملياران / ملايير / مليارا; the counted
//! noun agrees with the number (3–10: plural; 11–99: accusative singular; otherwise singular).

use crate::i18n::Lang;
use crate::money::Money;

const ONES: [&str; 20] = [
    "",
    "واحد",
    "اثنان",
    "ثلاثة",
    "أربعة",
    "خمسة",
    "ستة",
    "سبعة",
    "ثمانية",
    "تسعة",
    "عشرة",
    "أحد عشر",
    "اثنا عشر",
    "ثلاثة عشر",
    "أربعة عشر",
    "خمسة عشر",
    "ستة عشر",
    "سبعة عشر",
    "ثمانية عشر",
    "تسعة عشر",
];
const TENS: [&str; 10] = ["", "", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"];
const HUNDREDS: [&str; 10] =
    ["", "مائة", "مائتان", "ثلاثمائة", "أربعمائة", "خمسمائة", "ستمائة", "سبعمائة", "ثمانمائة", "تسعمائة"];

/// 1..=999 in Arabic words.
fn below_thousand(n: u64) -> String {
    let mut parts = Vec::new();
    let h = (n / 100) as usize;
    let rest = (n % 100) as usize;
    if h > 0 {
        parts.push(HUNDREDS[h].to_string());
    }
    if rest > 0 {
        if rest < 20 {
            parts.push(ONES[rest].to_string());
        } else if rest.is_multiple_of(10) {
            parts.push(TENS[rest / 10].to_string());
        } else {
            parts.push(format!("{} و{}", ONES[rest % 10], TENS[rest / 10]));
        }
    }
    parts.join(" و")
}

/// A group (1..=999) of a scale (thousand, million…) with the scale's noun agreeing.
fn scaled(n: u64, singular: &str, dual: &str, plural: &str, accusative: &str) -> String {
    match n {
        1 => singular.to_string(),
        2 => dual.to_string(),
        3..=10 => format!("{} {plural}", below_thousand(n)),
        _ if (11..=99).contains(&(n % 100)) => format!("{} {accusative}", below_thousand(n)),
        _ => format!("{} {singular}", below_thousand(n)),
    }
}

/// A whole number in Arabic words ("مائتان وخمسون ألفا" …).
pub fn arabic_number(n: u64) -> String {
    if n == 0 {
        return "صفر".into();
    }
    let scales: [(u64, [&str; 4]); 3] = [
        (1_000_000_000, ["مليار", "ملياران", "ملايير", "مليارا"]),
        (1_000_000, ["مليون", "مليونان", "ملايين", "مليونا"]),
        (1_000, ["ألف", "ألفان", "آلاف", "ألفا"]),
    ];
    let mut parts = Vec::new();
    let mut rest = n;
    for (unit, [s, d, p, a]) in scales {
        let group = rest / unit;
        rest %= unit;
        if group > 0 {
            parts.push(scaled(group, s, d, p, a));
        }
    }
    if rest > 0 {
        parts.push(below_thousand(rest));
    }
    parts.join(" و")
}

/// The counted noun of a currency in Arabic: (singular, dual, plural, accusative), and its minor unit.
fn arabic_nouns(currency: &str) -> ([&'static str; 4], [&'static str; 4]) {
    match currency {
        "MAD" => (["درهم", "درهمان", "دراهم", "درهما"], ["سنتيم", "سنتيمان", "سنتيمات", "سنتيما"]),
        "EUR" => (["يورو", "يورو", "يورو", "يورو"], ["سنت", "سنتان", "سنتات", "سنتا"]),
        "XOF" => (["فرنك إفريقي", "فرنكان إفريقيان", "فرنكات إفريقية", "فرنكا إفريقيا"], ["", "", "", ""]),
        "USD" => (["دولار", "دولاران", "دولارات", "دولارا"], ["سنت", "سنتان", "سنتات", "سنتا"]),
        _ => ([""; 4], [""; 4]),
    }
}

fn arabic_counted(n: u64, [s, d, p, a]: [&str; 4], code: &str) -> String {
    if s.is_empty() {
        return format!("{} {code}", arabic_number(n));
    }
    match n {
        1 => format!("{s} واحد"),
        2 => d.to_string(),
        _ => {
            let noun = match n % 100 {
                3..=10 if n < 100 => p,
                11..=99 => a,
                _ => s,
            };
            // Before the counted noun a scale word is in construct: "ألف درهم", not "ألفا درهم".
            let mut number = arabic_number(n);
            for accusative in ["ألفا", "مليونا", "مليارا"] {
                if number.ends_with(accusative) {
                    number.truncate(number.len() - 'ا'.len_utf8());
                }
            }
            format!("{number} {noun}")
        }
    }
}

/// An amount in words in `lang` (Arabic; French; English falls back on French wording's figures).
pub fn amount_in_words(m: &Money, lang: Lang) -> String {
    let digits = crate::money::currency(&m.currency).map(|c| c.digits).unwrap_or(2);
    let scale = 10i64.pow(digits);
    let whole = (m.minor / scale).unsigned_abs();
    let minor = (m.minor % scale).unsigned_abs();
    match lang {
        Lang::Ar => {
            let (unit, sub) = arabic_nouns(&m.currency);
            let mut out = arabic_counted(whole, unit, &m.currency);
            if minor > 0 && !sub[0].is_empty() {
                out.push_str(&format!(" و{}", arabic_counted(minor, sub, "")));
            }
            out
        }
        _ => {
            let words = |n: u64| {
                num2words::Num2Words::new(n as i64)
                    .lang(num2words::Lang::French)
                    .to_words()
                    .unwrap_or_else(|_| n.to_string())
            };
            let (unit, units, sub) = match m.currency.as_str() {
                "MAD" => ("dirham", "dirhams", "centimes"),
                "EUR" => ("euro", "euros", "centimes"),
                "XOF" => ("franc CFA", "francs CFA", ""),
                _ => ("", "", ""),
            };
            let noun = if unit.is_empty() {
                m.currency.clone()
            } else if whole > 1 {
                units.to_string()
            } else {
                unit.to_string()
            };
            let million = whole >= 1_000_000 && whole.is_multiple_of(1_000_000);
            let mut out = format!("{}{} {noun}", words(whole), if million { " de" } else { "" });
            if minor > 0 && !sub.is_empty() {
                out.push_str(&format!(" et {} {sub}", words(minor)));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_numbers_as_sheets_write_them() {
        assert_eq!(arabic_number(1), "واحد");
        assert_eq!(arabic_number(21), "واحد وعشرون");
        assert_eq!(arabic_number(105), "مائة وخمسة");
        assert_eq!(arabic_number(2000), "ألفان");
        assert_eq!(arabic_number(3000), "ثلاثة آلاف");
        assert_eq!(arabic_number(15_000), "خمسة عشر ألفا");
        assert_eq!(arabic_number(250_000), "مائتان وخمسون ألفا");
        assert_eq!(arabic_number(1_250_000), "مليون ومائتان وخمسون ألفا");
        assert_eq!(arabic_number(3_000_000), "ثلاثة ملايين");
    }

    #[test]
    fn amounts_with_their_currency() {
        let mad = |minor| Money { minor, currency: "MAD".into() };
        assert_eq!(amount_in_words(&mad(25_000_000), Lang::Ar), "مائتان وخمسون ألف درهم");
        assert_eq!(amount_in_words(&mad(500), Lang::Ar), "خمسة دراهم");
        assert_eq!(amount_in_words(&mad(1_250), Lang::Ar), "اثنا عشر درهما وخمسون سنتيما");
        assert_eq!(amount_in_words(&mad(25_000_000), Lang::Fr), "deux cent cinquante mille dirhams");
        assert_eq!(
            amount_in_words(&Money { minor: 3_000_000, currency: "EUR".into() }, Lang::Fr),
            "trente mille euros"
        );
    }
}
