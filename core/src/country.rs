//! ISO 3166-1 countries with their names in Arabic, French and English (Unicode CLDR, shipped
//! in `assets/cldr`), and the South/North classification that gives an agreement its direction.

use crate::error::{Error, Result, Rule};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The council's own country.
pub const HOME: &str = "MA";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Country {
    pub code: String,
    pub ar: String,
    pub fr: String,
    pub en: String,
    pub continent: String,
    pub north: bool,
}

impl Country {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ar => &self.ar,
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

static COUNTRIES: LazyLock<Vec<Country>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../assets/cldr/countries.json")).expect("assets/cldr/countries.json is valid")
});

pub fn all() -> &'static [Country] {
    &COUNTRIES
}

pub fn get(code: &str) -> Option<&'static Country> {
    COUNTRIES.binary_search_by(|c| c.code.as_str().cmp(code)).ok().map(|i| &COUNTRIES[i])
}

/// The country's name in `lang`, or the code itself if unknown.
pub fn name(code: &str, lang: Lang) -> String {
    get(code).map(|c| c.name(lang).to_string()).unwrap_or_else(|| code.to_string())
}

/// Normalises and checks an ISO code typed by the user (`ma` -> `MA`).
pub fn check(field: &str, code: &str) -> Result<String> {
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(Error::invalid(field, Rule::Required));
    }
    get(&code).map(|c| c.code.clone()).ok_or_else(|| Error::invalid(field, Rule::UnknownValue))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_three_languages() {
        assert!(all().len() > 240);
        assert!(all().windows(2).all(|w| w[0].code < w[1].code), "sorted for binary search");
        assert_eq!(name("ML", Lang::Ar), "مالي");
        assert_eq!(name("SN", Lang::Fr), "Sénégal");
        assert_eq!(name("FR", Lang::En), "France");
        assert!(get("FR").unwrap().north && !get("SN").unwrap().north && !get(HOME).unwrap().north);
        assert_eq!(check("country", " fr ").unwrap(), "FR");
        assert_eq!(check("country", "XX").unwrap_err().code(), "invalid.unknown_value");
    }
}
