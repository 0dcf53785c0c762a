//! Rules for text the user types: what is refused and what is kept as typed.
//!
//! HTML, quotes and SQL are ordinary text here: they are stored as typed and always rendered as
//! text. Refused: NUL and other control characters (tab and newline allowed in multi-line
//! fields), and the bidi embedding/override/isolate controls (U+202A..U+202E, U+2066..U+2069),
//! which can disguise a name or an extension and have no place in a record typed at a desk.
//! LRM/RLM/ALM (U+200E, U+200F, U+061C) are legitimate in mixed Arabic/Latin text and are kept.
//! U+FFFD (�) is refused: it stands where a conversion lost bytes, so the text is not as written.
//!
//! Also the one folding of text for matching (`fold`), shared by search, import and every lookup
//! of a name: lower case, Latin accents off, hamza forms of alef to ا, ى to ي, ة to ه, ؤ to و,
//! ئ to ي, harakat and tatweel off, Arabic-Indic digits to 0-9, punctuation as single spaces.
//! And the key titles sort by in the lists (`sort_key`): the folded text with its numbers in
//! numeric order ("9945" before "99947", "اتفاقية 2" before "اتفاقية 10").

use crate::error::{Error, Result, Rule};

pub const NAME_MAX: usize = 500;
pub const NOTE_MAX: usize = 20_000;

/// Checks a one-line text field; returns it trimmed.
pub fn line(field: &str, value: &str, required: bool) -> Result<String> {
    check(field, value, required, NAME_MAX, false)
}

/// Checks a multi-line text field (notes, addresses); returns it trimmed.
pub fn block(field: &str, value: &str) -> Result<String> {
    check(field, value, false, NOTE_MAX, true)
}

fn check(field: &str, value: &str, required: bool, max: usize, multiline: bool) -> Result<String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(Error::invalid(field, Rule::Required));
    }
    if value.chars().count() > max {
        return Err(Error::invalid(field, Rule::TooLong));
    }
    for c in value.chars() {
        if is_direction_control(c) {
            return Err(Error::invalid(field, Rule::DirectionControls));
        }
        if c == char::REPLACEMENT_CHARACTER {
            // What a conversion leaves where bytes were lost (a UTF-8 file with a stray byte):
            // the text is not what was written.
            return Err(Error::invalid(field, Rule::Undecodable));
        }
        let allowed_ws = multiline && (c == '\n' || c == '\t' || c == '\r');
        if c.is_control() && !allowed_ws {
            return Err(Error::invalid(field, Rule::ControlCharacters));
        }
    }
    Ok(value.to_string())
}

pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A loose but honest e-mail check: one `@`, something on each side, a dot in the domain.
pub fn email(field: &str, value: &str) -> Result<String> {
    let value = line(field, value, false)?;
    if value.is_empty() {
        return Ok(value);
    }
    let ok = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if ok {
        Ok(value)
    } else {
        Err(Error::invalid(field, Rule::BadEmail))
    }
}

/// One character folded for matching (None: dropped).
fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}' => return None,
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        'ئ' => 'ي',
        '٠'..='٩' => char::from_digit(c as u32 - 0x0660, 10).unwrap_or(c),
        '۰'..='۹' => char::from_digit(c as u32 - 0x06F0, 10).unwrap_or(c),
        c if alphanumeric(c) => c,
        _ => ' ',
    })
}

/// `char::is_alphanumeric`, with the Arabic block answered from a table made once from it: the
/// standard library's look-up outside ASCII took 8 % of building the search index.
fn alphanumeric(c: char) -> bool {
    static ARABIC: std::sync::OnceLock<[bool; 256]> = std::sync::OnceLock::new();
    match c as u32 {
        code @ 0x0600..=0x06FF => ARABIC.get_or_init(|| {
            std::array::from_fn(|i| char::from_u32(0x0600 + i as u32).is_some_and(char::is_alphanumeric))
        })[(code - 0x0600) as usize],
        _ => c.is_alphanumeric(),
    }
}

/// The folded form of a text: words separated by single spaces.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// The key a title sorts by: `fold`ed, each run of digits written as its length (two digits)
/// and its value without leading zeros, so that plain text comparison puts numbers in numeric
/// order ("9945" → "049945" before "99947" → "0599947"). Stored beside the titles (migration 16).
pub fn sort_key(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len() + 8);
    let mut rest = folded.as_str();
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let digits = &rest[start..];
        let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
        let number = digits[..end].trim_start_matches('0');
        let number = if number.is_empty() { "0" } else { number };
        out.push_str(&format!("{:02}", number.len().min(99)));
        out.push_str(number);
        rest = &digits[end..];
    }
    out.push_str(rest);
    out
}

/// The key of the title a list shows in one language: `first` (that language's), or `second`
/// where there is none. Migration 16 fills the stored keys with it too.
pub fn shown_title_key(first: &str, second: &str) -> String {
    sort_key(if first.trim().is_empty() { second } else { first })
}

/// The two keys a record with an Arabic and a French (or Latin) title sorts by: the title the
/// list shows in each language (the Arabic one in Arabic, the other where there is none).
pub fn title_sort_keys(ar: &str, other: &str) -> (String, String) {
    (shown_title_key(ar, other), shown_title_key(other, ar))
}

/// Appends the folded form of `text` to `out` (a space already ending `out` is not doubled;
/// the text's trailing space is not added).
pub fn fold_into(text: &str, out: &mut String) {
    let base = out.len();
    let push = |l: char, out: &mut String| {
        if !(l == ' ' && (out.len() == base || out.ends_with(' '))) {
            out.push(l);
        }
    };
    for c in text.chars() {
        // ASCII (most of a French registry) needs no decomposition: imports fold every cell.
        if c.is_ascii() {
            push(if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' }, out);
            continue;
        }
        // Arabic letters have no case, and those NFD splits (the hamza forms) fold whole: the
        // Arabic block goes straight through `fold_char` (a registry is mostly Arabic or ASCII).
        if ('\u{0600}'..='\u{06FF}').contains(&c) && !matches!(c, 'ۀ' | 'ۂ' | 'ۓ') {
            // The madda and hamza marks are dropped, written apart or split off by NFD.
            if let Some(f) = fold_char(c).filter(|_| !matches!(c, '\u{0653}'..='\u{0655}')) {
                push(f, out);
            }
            continue;
        }
        // NFD splits accented Latin letters into letter + mark; the marks are dropped, as are
        // the hamza/madda NFD splits off alef, waw and ya. (Marks kept stay in the order
        // written: NFD would sort adjacent ones by class, which no text folded here needs.)
        unicode_normalization::char::decompose_canonical(c, |d| {
            if matches!(d, '\u{0300}'..='\u{036F}' | '\u{0653}'..='\u{0655}') {
                return;
            }
            if let Some(f) = fold_char(d) {
                for l in f.to_lowercase() {
                    push(l, out);
                }
            }
        });
    }
    if out.len() > base && out.ends_with(' ') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_sort_with_their_numbers_in_numeric_order() {
        let mut titles = vec!["Accord 99947", "accord 9945", "Accord 10", "Accord 2", "Accord 002b", "Accord"];
        titles.sort_by_key(|t| sort_key(t));
        assert_eq!(titles, ["Accord", "Accord 2", "Accord 002b", "Accord 10", "accord 9945", "Accord 99947"]);
        // Arabic-Indic digits count as the same numbers; harakat and hamza forms do not reorder.
        assert!(sort_key("اتفاقية ٢") < sort_key("اتفاقية 10"));
        assert_eq!(sort_key("إتفاقيّة 7"), sort_key("اتفاقية ٧"));
        assert_eq!(title_sort_keys("", "Jumelage 3"), (sort_key("Jumelage 3"), sort_key("Jumelage 3")));
        assert_eq!(title_sort_keys("توأمة", "Jumelage"), (sort_key("توأمة"), sort_key("Jumelage")));
    }

    /// `fold` as first written: NFD of the whole text, then each character folded.
    fn fold_by_nfd(text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut out = String::new();
        for c in text.nfd() {
            if matches!(c, '\u{0300}'..='\u{036F}' | '\u{0653}'..='\u{0655}') {
                continue;
            }
            if let Some(f) = fold_char(c) {
                for l in f.to_lowercase() {
                    if l == ' ' && (out.is_empty() || out.ends_with(' ')) {
                        continue;
                    }
                    out.push(l);
                }
            }
        }
        out.trim_end().to_string()
    }

    #[test]
    fn the_arabic_table_answers_as_the_standard_library() {
        for code in 0x05F0..=0x0710 {
            let c = char::from_u32(code).unwrap();
            assert_eq!(alphanumeric(c), c.is_alphanumeric(), "U+{code:04X}");
        }
    }

    #[test]
    fn the_fast_fold_folds_as_nfd_does() {
        let samples = [
            "Mantes-la-Jolie",
            "  Guédiawaye  ",
            "ÉCHANGE d'expériences",
            "e\u{0301}te\u{0301}",
            "İstanbul",
            "Straße",
            "الجماعة الثالثة لباماكو الكبرى",
            "مُؤَسَّسَة إِفْرِيقِيَّة",
            "آمال ـــ الرباط",
            "ا\u{0654}مل",
            "٢٠١٨/٠٤/٢٥",
            "۱۲",
            "n° 17 — «CGLUA» (UCLG Africa)",
            "\u{202B}رابط\u{202C}",
            "Ωmega ﻻ",
            "a\tb\nc",
            "",
        ];
        for text in samples {
            assert_eq!(fold(text), fold_by_nfd(text), "{text:?}");
        }
        // Every character up to U+3000, a few at a time; the one difference allowed: marks kept
        // (Hebrew points, say) stay in the order written where NFD would sort them by class.
        use unicode_normalization::char::canonical_combining_class as class;
        let all: Vec<char> = (0x20u32..0x3000).filter_map(char::from_u32).collect();
        for chunk in all.chunks(7) {
            if chunk.windows(2).any(|w| class(w[0]) != 0 && class(w[1]) != 0) {
                continue;
            }
            let text: String = chunk.iter().collect();
            assert_eq!(fold(&text), fold_by_nfd(&text), "{text:?}");
        }
    }

    #[test]
    fn hostile_text_is_kept_as_typed_or_refused_with_its_field() {
        assert_eq!(line("name_ar", "  <script>alert(1)</script> ", true).unwrap(), "<script>alert(1)</script>");
        assert_eq!(line("name_ar", "x'); DROP TABLE partner; --", true).unwrap(), "x'); DROP TABLE partner; --");
        assert_eq!(line("name_ar", "مراكش\u{200F} (Marrakech)", true).unwrap(), "مراكش\u{200F} (Marrakech)");
        let e = line("name_ar", "abc\u{202E}fdp.exe", true).unwrap_err();
        assert_eq!(e.code(), "invalid.direction_controls");
        assert_eq!(e.field(), Some("name_ar"));
        assert_eq!(line("name_ar", "a\0b", true).unwrap_err().code(), "invalid.control_characters");
        assert_eq!(line("name_ar", "  ", true).unwrap_err().code(), "invalid.required");
        assert_eq!(line("name_ar", &"ب".repeat(10_000), true).unwrap_err().code(), "invalid.too_long");
        assert_eq!(line("name_ar", "a\nb", true).unwrap_err().code(), "invalid.control_characters");
        assert_eq!(block("notes", "a\nb\tc").unwrap(), "a\nb\tc");
    }

    #[test]
    fn emails() {
        assert!(email("email", "maire@mairie-mantes.fr").is_ok());
        assert!(email("email", "").is_ok());
        for bad in ["a", "a@b", "@b.c", "a b@c.d", "a@.c", "a@b.c."] {
            assert_eq!(email("email", bad).unwrap_err().code(), "invalid.bad_email", "{bad}");
        }
    }
}
