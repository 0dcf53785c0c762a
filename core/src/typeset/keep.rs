//! What the typesetter keeps together, as a secretary would before signing:
//! - no line break inside a date ("7 شوال 1440 هـ", "25 avril 2018"), between a number and the
//!   word it counts or its unit ("10 أيام", "12 000,50 EUR"), after "N°", "رقم" or "art." and
//!   their number, or at the hyphen of a hyphenated proper name ("Mantes-la-Jolie")
//!   (`break_allowed`, applied to UAX #14's opportunities by the line breaker);
//! - no widow or orphan: a paragraph of two lines or more never leaves one line alone at the foot
//!   or at the head of a page (`lines_here`);
//! - a signature block goes to the next page with the last lines of the text above it (the
//!   pager's `carry`, in document.rs).

use std::collections::HashSet;
use std::sync::LazyLock;

/// Words after which a number must stay on the line: the months (Gregorian as written in
/// Morocco, French, English, Hijri in each language: their last word), and the words that
/// introduce a number.
static BEFORE_A_NUMBER: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let mut words: HashSet<String> =
        ["N°", "n°", "No", "no.", "رقم", "عدد", "art.", "arts.", "المادة", "Article", "article"]
            .iter()
            .map(|w| w.to_string())
            .collect();
    for lang in [crate::Lang::Ar, crate::Lang::Fr, crate::Lang::En] {
        for m in 1..=12 {
            for key in [format!("month.{m}"), format!("hijri_month.{m}")] {
                if let Some(last) = crate::i18n::tr(lang, &key).split_whitespace().last() {
                    words.insert(last.to_lowercase());
                }
            }
        }
    }
    words
});

/// What follows a number as its unit, currency or era.
const UNITS: &[&str] = &["هـ", "H", "AH", "م", "درهم", "دراهم", "درهما", "DH", "%", "km", "كلم", "ha", "m²"];

fn is_number(word: &str) -> bool {
    word.chars().any(|c| c.is_numeric())
        && word.chars().all(|c| c.is_ascii_digit() || ('٠'..='٩').contains(&c) || ".,/:".contains(c))
}

/// The word's letters and digits, without the brackets and punctuation around it.
fn core(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '°')
}

/// Whether a line may break before byte `at` of `text` (a UAX #14 opportunity).
pub(super) fn break_allowed(text: &str, at: usize) -> bool {
    let (before, after) = text.split_at(at);
    // A hyphenated name ("Mantes-la-Jolie", "Aït-Melloul"): no break at its hyphens.
    if let (Some(hyphen), Some(next)) = (before.chars().next_back(), after.chars().next()) {
        let prev = before.chars().rev().nth(1);
        if hyphen == '-' && next.is_alphabetic() && prev.is_some_and(char::is_alphabetic) {
            return false;
        }
    }
    let prev_word = before.split_whitespace().next_back().unwrap_or("");
    let next_word = after.split_whitespace().next().unwrap_or("");
    let (prev, next) = (core(prev_word), core(next_word));
    if prev.is_empty() || next.is_empty() {
        return true;
    }
    // A sentence or a clause ends here: the break is free.
    if prev_word.ends_with(['.', '،', ',', ';', '؛', ':', '!', '?', '؟']) {
        return true;
    }
    // A number with what it counts or its month ("10 أيام", "7 شوال", "25 avril": a count or a
    // day has at most three digits), with its unit, currency or era ("1440 هـ", "500 MAD"),
    // and a number's groups of digits ("12 000,50"). A year before any other word is free.
    if is_number(prev) {
        let count_like = prev.chars().filter(|c| c.is_numeric()).count() <= 3 && !prev.contains(['.', '/']);
        let unit = UNITS.contains(&next)
            || (next.len() <= 4 && next.len() >= 2 && next.chars().all(|c| c.is_ascii_uppercase()));
        let starts_a_word = next.chars().next().is_some_and(char::is_alphabetic);
        if (count_like && starts_a_word) || unit || is_number(next) {
            return false;
        }
    }
    // A month, "N°", "رقم", "art." with the number that follows.
    if is_number(next) && (BEFORE_A_NUMBER.contains(&prev.to_lowercase()) || BEFORE_A_NUMBER.contains(prev_word)) {
        return false;
    }
    true
}

/// How many of a paragraph's lines (their heights, in order) go on this page when `room` is
/// left: all of them, none (the paragraph starts on the next page), or a count that leaves at
/// least two on each side of the break.
pub(super) fn lines_here(heights: &[f32], room: f32) -> usize {
    let n = heights.len();
    let mut used = 0.0;
    let fit = heights
        .iter()
        .take_while(|h| {
            used += **h;
            used <= room + 0.01
        })
        .count();
    if fit >= n || n < 2 {
        return fit.min(n);
    }
    // An orphan: one line alone at the foot.
    if fit < 2 {
        return 0;
    }
    // A widow: one line alone at the head of the next page; one more line goes with it.
    if n - fit == 1 {
        return if fit > 2 { fit - 1 } else { 0 };
    }
    fit
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The breaks left in `text`: the words of each unbreakable run.
    fn runs(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut start = 0;
        for (at, _) in unicode_linebreak::linebreaks(text) {
            if at < text.len() && !break_allowed(text, at) {
                continue;
            }
            out.push(text[start..at].trim().to_string());
            start = at;
        }
        out
    }

    #[test]
    fn dates_numbers_units_and_hyphenated_names_stay_whole() {
        assert_eq!(runs("في 7 شوال 1440 هـ وبعد"), ["في", "7 شوال 1440 هـ", "وبعد"]);
        assert_eq!(runs("(7 شوال 1440 هـ)،"), ["(7 شوال 1440 هـ)،"]);
        assert_eq!(runs("le 25 avril 2018 à Rabat"), ["le", "25 avril 2018", "à", "Rabat"]);
        assert_eq!(runs("داخل أجل 10 أيام من"), ["داخل", "أجل", "10 أيام", "من"]);
        assert_eq!(runs("Total 12 000,50 EUR net"), ["Total", "12 000,50 EUR", "net"]);
        assert_eq!(runs("Délibération N° 2019/1 du"), ["Délibération", "N° 2019/1", "du"]);
        assert_eq!(runs("مقرر رقم 2019/1 بتاريخ"), ["مقرر", "رقم 2019/1", "بتاريخ"]);
        assert_eq!(runs("Commune de Mantes-la-Jolie (France)"), ["Commune", "de", "Mantes-la-Jolie", "(France)"]);
        assert_eq!(runs("في 10 يونيو 2019. وبعد"), ["في", "10 يونيو 2019.", "وبعد"], "a sentence ends");
        assert_eq!(runs("أيام: 10، ثم"), ["أيام:", "10،", "ثم"]);
    }

    #[test]
    fn a_paragraph_leaves_no_line_alone_on_either_side_of_a_page_break() {
        let h = [10.0; 5];
        assert_eq!(lines_here(&h, 100.0), 5, "all fit");
        assert_eq!(lines_here(&h, 15.0), 0, "one line would be an orphan");
        assert_eq!(lines_here(&h, 25.0), 2);
        assert_eq!(lines_here(&h, 45.0), 3, "four would leave a widow: three, then two");
        assert_eq!(lines_here(&[10.0; 3], 25.0), 0, "two then one: the three go over");
        assert_eq!(lines_here(&[10.0; 2], 15.0), 0);
        assert_eq!(lines_here(&[10.0], 5.0), 0, "one line that does not fit");
        assert_eq!(lines_here(&[10.0], 15.0), 1);
    }

    fn paginated(blocks: &[super::super::Block]) -> Vec<Vec<super::super::pdf::Role>> {
        let fonts = super::super::fonts::Fonts::default();
        let mut shaper = super::super::shape::Shaper::new(&fonts);
        let spec = super::super::DocumentSpec { rtl: true, lang: "ar".into(), ..Default::default() };
        super::super::paginate(&mut shaper, &spec, blocks).roles()
    }

    const LONG: &str = "انعقدت دورة يونيو 2019 العادية لمجلس عمالة الرباط بمقره، برئاسة رئيس المجلس، وبحضور الأعضاء المبينة أسماؤهم في سجل الحضور؛ وبعد التأكد من اكتمال النصاب القانوني، افتتح الرئيس الدورة وعرض جدول الأعمال على أنظار المجلس، ثم تناول الكلمة رئيس لجنة الشراكة والتعاون فقدم مشروع اتفاقية الشراكة مع الجماعة الثالثة لباماكو الكبرى (مالي) المبرمة في إطار التعاون جنوب-جنوب، وبعد المناقشة عرضت النقطة على التصويت.";

    /// Pushed down the page a little more each time, a long paragraph meets the page's foot at
    /// every line: no page ever holds a single line of it.
    #[test]
    fn no_widow_or_orphan_wherever_the_page_ends() {
        use super::super::pdf::Role;
        use super::super::Block;
        for k in 0..60 {
            let blocks = [Block::Space(560.0 + k as f32 * 3.0), Block::Paragraph { text: LONG.into() }];
            let pages = paginated(&blocks);
            let counts: Vec<usize> = pages
                .iter()
                .map(|p| p.iter().filter(|r| matches!(r, Role::Paragraph { block: 1, .. })).count())
                .filter(|n| *n > 0)
                .collect();
            let total: usize = counts.iter().sum();
            assert!(total >= 4, "the paragraph is long: {total} lines");
            assert!(counts.iter().all(|n| *n >= 2), "offset {k}: lines per page {counts:?}");
        }
    }

    /// Wherever the text above ends, the signature boxes are never alone at the head of a page.
    #[test]
    fn a_signature_block_keeps_the_last_lines_of_its_text() {
        use super::super::pdf::Role;
        use super::super::Block;
        let mut carried = 0;
        for k in 0..60 {
            let blocks = [
                Block::Space(500.0 + k as f32 * 4.0),
                Block::Paragraph { text: LONG.into() },
                Block::Space(18.0),
                Block::Signatures(vec!["الرئيس".into(), "كاتب المجلس".into()]),
            ];
            let pages = paginated(&blocks);
            let with_signatures = pages
                .iter()
                .find(|p| p.iter().any(|r| matches!(r, Role::HeaderCell { block: 3, .. })))
                .expect("the signatures");
            let text_lines = with_signatures.iter().filter(|r| matches!(r, Role::Paragraph { block: 1, .. })).count();
            assert!(text_lines >= 2, "offset {k}: the signatures with {text_lines} line(s) of their text");
            carried +=
                usize::from(pages.len() > 1 && pages[0].iter().any(|r| matches!(r, Role::Paragraph { block: 1, .. })));
        }
        assert!(carried > 0, "some offsets split the text and carried its end over");
    }
}
