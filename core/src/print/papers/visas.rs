//! The visas of a decision ("وبناء على …" / "Vu …"): the legal basis the officer typed on the
//! agreement or project, written as a council's decision writes it, in each language of the
//! paper. The basis is typed in Arabic; a French or English paper cites the articles of Organic
//! Law 112-14 it names in its own language, and quotes any other text as typed.

use crate::i18n::{tr_args, Lang};
use crate::law::Article;

/// The visa of `basis` in `lang`, or `None` when nothing is left to add to the standard visa of
/// Organic Law 112-14 (a French paper whose basis names the law but no article).
pub(super) fn basis_visa(basis: &str, lang: Lang) -> Option<String> {
    let basis = basis.trim().trim_end_matches(['،', ',', '.', ';', '؛']).trim();
    if basis.is_empty() {
        return None;
    }
    let arabic = basis.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    if lang == Lang::Ar || !arabic {
        // As typed, without the visa word the officer may have typed already.
        let typed = ["وبناء على", "بناء على", "Vu ", "vu "].iter().fold(basis, |b, w| b.strip_prefix(w).unwrap_or(b));
        return Some(tr_args(lang, "paper.decision.basis_visa", &[("basis", typed.trim())]));
    }
    if basis.contains("112.14") || basis.contains("112-14") {
        let articles = articles_named(basis);
        if articles.is_empty() {
            return None;
        }
        let key = if articles.len() == 1 { "paper.decision.article_visa" } else { "paper.decision.articles_visa" };
        return Some(tr_args(lang, key, &[("list", &Article::list(&articles, lang))]));
    }
    Some(tr_args(lang, "paper.decision.basis_quoted", &[("basis", basis)]))
}

/// The article numbers a basis names ("المادة 94" / "المادتين 94 و95"), the law's own number
/// left out.
fn articles_named(basis: &str) -> Vec<Article> {
    let without_law = basis.replace("112.14", " ").replace("112-14", " ");
    let digits: String = without_law
        .chars()
        .map(|c| match c {
            '0'..='9' => c,
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            _ => ' ',
        })
        .collect();
    let mut out: Vec<Article> = digits.split_whitespace().filter_map(|n| n.parse().ok()).map(Article).collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basis_is_a_visa_in_each_language() {
        let typed = "المادة 94 من القانون التنظيمي رقم 112.14";
        assert_eq!(basis_visa(typed, Lang::Ar).unwrap(), "وبناء على المادة 94 من القانون التنظيمي رقم 112.14،");
        assert_eq!(basis_visa(&format!("وبناء على {typed}،"), Lang::Ar).unwrap(), basis_visa(typed, Lang::Ar).unwrap());
        assert_eq!(basis_visa(typed, Lang::Fr).unwrap(), "Vu l'article 94 de la loi organique n° 112-14,");
        assert_eq!(
            basis_visa("المادتين ٩٤ و٩٥ من القانون التنظيمي 112.14", Lang::Fr).unwrap(),
            "Vu les articles 94 et 95 de la loi organique n° 112-14,"
        );
        assert_eq!(basis_visa("القانون التنظيمي رقم 112.14", Lang::Fr), None, "the standard visa says it");
        assert_eq!(
            basis_visa("Convention-cadre du 12 mai 2008", Lang::Fr).unwrap(),
            "Vu Convention-cadre du 12 mai 2008,"
        );
        assert_eq!(
            basis_visa("مقرر المجلس عدد 12", Lang::Fr).unwrap(),
            "Vu le texte cité par la convention (en arabe) : « مقرر المجلس عدد 12 »,"
        );
        assert_eq!(basis_visa("  ", Lang::Ar), None);
    }
}
