//! The user's language and the translated strings.
//!
//! One set of strings (`locales/{ar,fr,en}.yml`) serves Rust messages and the UI: the UI asks
//! for the whole table of its language once (`bundle`) and looks keys up itself.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

/// A language of the interface. Arabic first, as the council works.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ar,
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ar, Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }

    /// What separates the items of a list written in the language: the Arabic comma in Arabic.
    pub fn list_separator(self) -> &'static str {
        if self == Lang::Ar {
            "، "
        } else {
            ", "
        }
    }
}

/// A language code Taawun does not speak (the error turns it into `invalid.unknown_value` of the
/// field `lang`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownLang;

impl std::fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unknown language: ar, fr or en")
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ar" => Ok(Lang::Ar),
            "fr" => Ok(Lang::Fr),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang),
        }
    }
}

/// The translation of `key` in `lang` (the English text if the key is missing there).
pub fn tr(lang: Lang, key: &str) -> String {
    crate::_rust_i18n_translate(lang.code(), key).into_owned()
}

/// Whether `lang` has its own text for `key` (no fallback to English).
pub fn has(lang: Lang, key: &str) -> bool {
    crate::_rust_i18n_backend().translate(lang.code(), key).is_some()
}

/// The translation of `key` with `%{name}` placeholders replaced.
pub fn tr_args(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut text = tr(lang, key);
    for (name, value) in args {
        text = text.replace(&format!("%{{{name}}}"), value);
    }
    text
}

/// Every string of one language, for the UI.
pub fn bundle(lang: Lang) -> BTreeMap<String, String> {
    crate::_rust_i18n_backend()
        .messages_for_locale(lang.code())
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_language() {
        // Counted nouns have each language's own plural categories (checked in plural.rs).
        let counted = |k: &String| !k.starts_with("count.");
        let en: BTreeMap<String, String> = bundle(Lang::En).into_iter().filter(|(k, _)| counted(k)).collect();
        assert!(en.len() > 100, "the English table looks empty: {}", en.len());
        for lang in [Lang::Ar, Lang::Fr] {
            let other: BTreeMap<String, String> = bundle(lang).into_iter().filter(|(k, _)| counted(k)).collect();
            let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang:?} has keys English lacks: {extra:?}");
            for (k, v) in &other {
                assert!(!v.trim().is_empty(), "{lang:?}.{k} is empty");
            }
        }
    }

    #[test]
    fn placeholders_are_the_same_in_every_language() {
        let placeholders = |s: &str| {
            let mut v: Vec<String> =
                s.split("%{").skip(1).filter_map(|p| p.split('}').next()).map(String::from).collect();
            v.sort();
            v
        };
        let en = bundle(Lang::En);
        for lang in [Lang::Ar, Lang::Fr] {
            for (k, v) in bundle(lang).into_iter().filter(|(k, _)| !k.starts_with("count.")) {
                assert_eq!(placeholders(&v), placeholders(&en[&k]), "{lang:?}.{k}");
            }
        }
    }

    #[test]
    fn arabic_is_the_default_and_right_to_left() {
        assert_eq!(Lang::default(), Lang::Ar);
        assert!(Lang::Ar.is_rtl() && !Lang::Fr.is_rtl());
        assert_eq!(tr(Lang::Ar, "app.name"), "تعاون");
    }
}
