//! Finding a record the way people type: the normalisation behind the search index.
//!
//! Both the indexed text and the query are folded the same way: lower case, Latin accents
//! removed ("Guédiawaye" = "guediawaye"), hyphens and punctuation as spaces ("Mantes-la-Jolie" =
//! "mantes la jolie"), harakat and tatweel removed, the hamza forms of alef (أ إ آ ٱ) to ا, ى to ي,
//! ة to ه, ؤ to و, ئ to ي, Arabic-Indic digits to 0-9. Each Arabic word is indexed with the forms
//! it has without its article and its one-letter prefixes (و ب ل ف ك), so "باماكو" finds
//! "لباماكو" and "رباط" finds "الرباط". The stored text never changes; only the index key does.
//! Queries become FTS5 prefix queries built from quoted tokens, so FTS syntax typed by the user
//! (`"`, `*`, `NEAR`, `-`) is searched for as text and never breaks the query.

use crate::text::fold;

fn is_arabic_word(w: &str) -> bool {
    w.chars().next().is_some_and(crate::typeset::fonts::is_arabic)
}

/// A word's forms (see `forms`): at most four, held in place (the index of 120,000 records
/// folds a few million words; a vector each was a tenth of the build's work).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Forms<'w> {
    list: [&'w str; 4],
    len: usize,
}

impl<'w> Forms<'w> {
    fn add(&mut self, form: &'w str) {
        if self.len < self.list.len() && form.chars().nth(1).is_some() && !self.contains(&form) {
            self.list[self.len] = form;
            self.len += 1;
        }
    }
}

impl<'w> std::ops::Deref for Forms<'w> {
    type Target = [&'w str];
    fn deref(&self) -> &[&'w str] {
        &self.list[..self.len]
    }
}

impl<'w> IntoIterator for Forms<'w> {
    type Item = &'w str;
    type IntoIter = std::iter::Take<std::array::IntoIter<&'w str, 4>>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter().take(self.len)
    }
}

/// A folded word and its forms without article and prefix letters (each the end of the word,
/// so no form is a new string).
pub fn forms(word: &str) -> Forms<'_> {
    let mut out = Forms { list: [word; 4], len: 1 };
    if !is_arabic_word(word) {
        return out;
    }
    fn after(w: &str, letters: usize) -> &str {
        w.char_indices().nth(letters).map_or("", |(i, _)| &w[i..])
    }
    let len = word.chars().count();
    if word.starts_with("ال") && len >= 4 {
        out.add(after(word, 2));
    }
    if word.starts_with("لل") && len >= 5 {
        out.add(after(word, 2));
    }
    if let Some(first) = word.chars().next() {
        if matches!(first, 'و' | 'ب' | 'ل' | 'ف' | 'ك') && len >= 4 {
            let rest = &word[first.len_utf8()..];
            if rest.starts_with("ال") && rest.chars().count() >= 4 {
                out.add(after(rest, 2));
            }
            out.add(rest);
        }
    }
    out
}

/// The text stored in the index for a record's fields: their folded words, each followed by
/// its other forms, separated by spaces.
pub fn index_key(fields: &[&str]) -> String {
    let mut folded = String::with_capacity(fields.iter().map(|f| f.len() + 1).sum());
    for field in fields {
        crate::text::fold_into(field, &mut folded);
        folded.push(' ');
    }
    let mut key = String::with_capacity(folded.len() * 2);
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        for f in forms(word) {
            key.push_str(f);
            key.push(' ');
        }
    }
    key
}

/// The forms a typed word is looked up with: itself, and without its article ("الرباط" also as
/// "رباط"). Prefix letters need no stripping here: the index already holds every indexed word
/// without them ("لباماكو" is indexed as "باماكو" too), and stripping a typed word's first
/// letter would also find unrelated words ("باماكو" as "اماكو").
fn query_forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if is_arabic_word(word) && word.starts_with("ال") && word.chars().count() >= 4 {
        out.push(word.chars().skip(2).collect());
    }
    out
}

/// The FTS5 MATCH expression for what the user typed: every word must match, as a prefix, in
/// one of its forms. None when nothing searchable was typed.
pub fn match_expression(query: &str) -> Option<String> {
    let words: Vec<String> = fold(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| {
            // A single character is looked up as a whole word, not as the prefix of thousands.
            let star = if w.chars().count() > 1 { "*" } else { "" };
            let alternatives: Vec<String> =
                query_forms(w).iter().map(|f| format!("\"{}\"{star}", f.replace('"', "\"\""))).collect();
            if alternatives.len() == 1 {
                alternatives[0].clone()
            } else {
                format!("({})", alternatives.join(" OR "))
            }
        })
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" AND "))
    }
}

/// Where the query's words appear in a label (char ranges), for highlighting.
pub fn highlights(label: &str, query: &str) -> Vec<(usize, usize)> {
    let folded_query = fold(query);
    let wanted: Vec<&str> = folded_query.split(' ').filter(|w| !w.is_empty()).flat_map(forms).collect();
    let mut out = Vec::new();
    let chars: Vec<char> = label.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_alphanumeric() || matches!(chars[i], '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}'))
        {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let folded = fold(&word);
        if forms(&folded).iter().any(|f| wanted.iter().any(|w| f.starts_with(w))) {
            out.push((start, i));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normalisation_table() {
        let cases = [
            ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),
            ("مستشفى", "مستشفي"),
            ("الجماعة", "الجماعه"),
            ("مسؤول رئيس شؤون هيئة", "مسوول رييس شوون هييه"),
            ("بِسْمِ اللَّهِ", "بسم الله"),
            ("الــــرباط", "الرباط"),
            ("رقم ١١٢٫١٤ و۲۰۱۸", "رقم 112 14 و2018"),
            ("Mantes-la-Jolie", "mantes la jolie"),
            ("Guédiawaye, Sénégal", "guediawaye senegal"),
            ("  CGLUA  ", "cglua"),
        ];
        for (input, folded) in cases {
            assert_eq!(fold(input), folded, "{input}");
        }
    }

    #[test]
    fn words_are_found_without_their_article_and_prefixes() {
        assert!(forms("لباماكو").contains(&"باماكو"));
        assert!(forms("الرباط").contains(&"رباط"));
        assert!(forms("والرباط").contains(&"رباط"));
        assert!(forms("للتعاون").contains(&"تعاون"));
        assert_eq!(*forms("mantes"), ["mantes"]);
        let key = index_key(&["الجماعة الثالثة لباماكو الكبرى"]);
        for q in ["جماعه", "باماكو", "الثالثه", "كبري"] {
            assert!(key.split(' ').any(|w| w.starts_with(q)), "{q} in {key}");
        }
    }

    #[test]
    fn a_key_is_every_fields_folded_words_with_their_forms() {
        // The key as first written: each field folded apart, each word's forms pushed in turn.
        fn key_by_field(fields: &[&str]) -> String {
            let mut key = String::new();
            for field in fields {
                for word in fold(field).split(' ').filter(|w| !w.is_empty()) {
                    for f in forms(word) {
                        key.push_str(f);
                        key.push(' ');
                    }
                }
            }
            key
        }
        let records: [&[&str]; 5] = [
            &["اتفاقية شراكة وتعاون بين مجلس عمالة الرباط وجماعة داكار", "Accord — Dakar", "", "  n° 12/2018 "],
            &["", "", ""],
            &["-", "«المدينة»", "؟للتعاون!", "Guédiawaye,", " ,Mantes-la-Jolie"],
            &["ٱلرِّبَاط", "١٢٣٤", "CGLUA", "الــــرباط"],
            &[],
        ];
        for fields in records {
            assert_eq!(index_key(fields), key_by_field(fields), "{fields:?}");
        }
    }

    #[test]
    fn queries_are_quoted_prefixes_and_never_fts_syntax() {
        assert_eq!(match_expression("mantes jo").unwrap(), "\"mantes\"* AND \"jo\"*");
        assert_eq!(match_expression("الرباط").unwrap(), "(\"الرباط\"* OR \"رباط\"*)");
        for hostile in ["\"", "*", "NEAR(a b)", "-x", "a OR", "  "] {
            if let Some(e) = match_expression(hostile) {
                assert!(e.starts_with('"') || e.starts_with('('), "{e}");
            }
        }
        assert_eq!(match_expression(" * - \" "), None);
    }

    #[test]
    fn highlights_mark_the_matched_words() {
        let label = "الجماعة الثالثة لباماكو الكبرى";
        let h = highlights(label, "جماعه باماكو");
        let words: Vec<String> = h.iter().map(|(s, e)| label.chars().skip(*s).take(e - s).collect()).collect();
        assert_eq!(words, vec!["الجماعة", "لباماكو"]);
    }
}
