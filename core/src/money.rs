//! Money as integer minor units of an ISO 4217 currency: never floats.
//!
//! The number of minor digits comes from CLDR (MAD and EUR have 2, XOF has 0), so 1 250,50 MAD is
//! stored as 125050 and 1 000 000 XOF as 1000000.

use crate::error::{Error, Result, Rule};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// Larger than any budget a council will see (10^13 major units in a 2-digit currency).
pub const MAX_MINOR: i64 = 1_000_000_000_000_000;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Currency {
    pub code: String,
    pub digits: u32,
    pub ar: String,
    pub fr: String,
    pub en: String,
}

static CURRENCIES: LazyLock<Vec<Currency>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../assets/cldr/currencies.json"))
        .expect("assets/cldr/currencies.json is valid")
});

pub fn currencies() -> &'static [Currency] {
    &CURRENCIES
}

pub fn currency(code: &str) -> Option<&'static Currency> {
    CURRENCIES.iter().find(|c| c.code == code)
}

/// An amount in a currency's minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: String,
}

impl Money {
    /// Reads an amount typed by a person: `1250000`, `1 250 000,50`, `1,250,000.50`, `1.250.000,50`,
    /// Arabic-Indic digits. Refuses negative, absurd and over-precise amounts.
    pub fn parse(field: &str, amount: &str, currency_code: &str) -> Result<Money> {
        let code = currency_code.trim().to_ascii_uppercase();
        let cur = currency(&code).ok_or_else(|| Error::invalid(&format!("{field}_currency"), Rule::UnknownValue))?;
        let s: String = amount
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{202F}' && *c != '\u{066C}')
            .map(|c| match c {
                '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10).unwrap_or(c),
                '\u{066B}' => '.',
                _ => c,
            })
            .collect();
        if s.is_empty() {
            return Err(Error::invalid(field, Rule::Required));
        }
        if s.starts_with('-') {
            return Err(Error::invalid(field, Rule::NegativeAmount));
        }
        if !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
            return Err(Error::invalid(field, Rule::BadAmount));
        }
        // The last '.' or ',' is the decimal separator when it occurs once and has 1..=digits
        // digits after it, except that exactly three digits mean thousands; every other
        // separator groups thousands and must be the same character throughout.
        let (int_part, frac_part) = match s.rfind(['.', ',']) {
            Some(i) => {
                let sep = s.as_bytes()[i] as char;
                let after = &s[i + 1..];
                let decimal = s.matches(sep).count() == 1
                    && !after.is_empty()
                    && after.len() <= cur.digits as usize
                    && after.len() != 3;
                if decimal {
                    (s[..i].to_string(), after.to_string())
                } else if after.len() == 3 {
                    (s.clone(), String::new())
                } else {
                    return Err(Error::invalid(field, Rule::BadAmount));
                }
            }
            None => (s.clone(), String::new()),
        };
        if int_part.contains('.') && int_part.contains(',') {
            return Err(Error::invalid(field, Rule::BadAmount));
        }
        let groups: Vec<&str> = int_part.split(['.', ',']).collect();
        if groups.len() > 1 && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
        {
            return Err(Error::invalid(field, Rule::BadAmount));
        }
        let digits: String = groups.concat();
        if digits.is_empty() || digits.len() > 18 {
            return Err(Error::invalid(field, if digits.is_empty() { Rule::BadAmount } else { Rule::AmountTooLarge }));
        }
        let mut frac = frac_part;
        while frac.len() < cur.digits as usize {
            frac.push('0');
        }
        let whole: i64 = digits.parse().map_err(|_| Error::invalid(field, Rule::BadAmount))?;
        let scale = 10i64.pow(cur.digits);
        let minor = whole
            .checked_mul(scale)
            .and_then(|v| v.checked_add(if frac.is_empty() { 0 } else { frac.parse::<i64>().unwrap_or(0) }))
            .ok_or_else(|| Error::invalid(field, Rule::AmountTooLarge))?;
        Money::new(field, minor, &code)
    }

    /// Checks an amount already in minor units.
    pub fn new(field: &str, minor: i64, currency_code: &str) -> Result<Money> {
        if currency(currency_code).is_none() {
            return Err(Error::invalid(&format!("{field}_currency"), Rule::UnknownValue));
        }
        if minor < 0 {
            return Err(Error::invalid(field, Rule::NegativeAmount));
        }
        if minor > MAX_MINOR {
            return Err(Error::invalid(field, Rule::AmountTooLarge));
        }
        Ok(Money { minor, currency: currency_code.to_string() })
    }

    /// Plain machine form with the currency's digits: `1250000.50`.
    pub fn to_decimal(&self) -> String {
        let digits = currency(&self.currency).map(|c| c.digits).unwrap_or(2);
        if digits == 0 {
            return self.minor.to_string();
        }
        let scale = 10i64.pow(digits);
        format!("{}.{:0width$}", self.minor / scale, self.minor % scale, width = digits as usize)
    }

    /// As shown to the user: `1 250 000,50 MAD` (Western digits, as Morocco writes them).
    pub fn display(&self, lang: Lang) -> String {
        let dec = self.to_decimal();
        let (int, frac) =
            dec.split_once('.').map(|(a, b)| (a.to_string(), Some(b.to_string()))).unwrap_or((dec.clone(), None));
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(if lang == Lang::En { ',' } else { '\u{202F}' });
            }
            grouped.push(c);
        }
        let sep = if lang == Lang::En { '.' } else { ',' };
        match frac {
            Some(f) if f.chars().any(|c| c != '0') => format!("{grouped}{sep}{f} {}", self.currency),
            _ => format!("{grouped} {}", self.currency),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(a: &str, c: &str) -> String {
        Money::parse("amount", a, c).map(|m| m.minor.to_string()).unwrap_or_else(|e| e.code())
    }

    #[test]
    fn amounts_as_typed() {
        assert_eq!(m("1250000", "MAD"), "125000000");
        assert_eq!(m("1 250 000,50", "MAD"), "125000050");
        assert_eq!(m("1,250,000.50", "EUR"), "125000050");
        assert_eq!(m("1.250.000,5", "EUR"), "125000050");
        assert_eq!(m("1.250", "EUR"), "125000");
        assert_eq!(m("12,5", "EUR"), "1250");
        assert_eq!(m("1000000", "XOF"), "1000000");
        assert_eq!(m("1.000.000", "XOF"), "1000000");
        assert_eq!(m("١٠٠٠", "mad"), "100000");
    }

    #[test]
    fn bad_amounts() {
        assert_eq!(m("-5", "MAD"), "invalid.negative_amount");
        assert_eq!(m("", "MAD"), "invalid.required");
        assert_eq!(m("12abc", "MAD"), "invalid.bad_amount");
        assert_eq!(m("1e9", "MAD"), "invalid.bad_amount");
        assert_eq!(m("1,5", "XOF"), "invalid.bad_amount");
        assert_eq!(m("1.234", "MAD"), "123400",);
        assert_eq!(m("12.345,678", "MAD"), "invalid.bad_amount");
        assert_eq!(m("99999999999999999999", "MAD"), "invalid.amount_too_large");
        assert_eq!(m("100000000000000", "MAD"), "invalid.amount_too_large");
        assert_eq!(m("5", "ZZZ"), "invalid.unknown_value");
    }

    #[test]
    fn display() {
        let x = Money::new("a", 125000050, "MAD").unwrap();
        assert_eq!(x.to_decimal(), "1250000.50");
        assert_eq!(x.display(Lang::En), "1,250,000.50 MAD");
        assert_eq!(x.display(Lang::Fr), "1\u{202F}250\u{202F}000,50 MAD");
        assert_eq!(Money::new("a", 1000000, "XOF").unwrap().display(Lang::Ar), "1\u{202F}000\u{202F}000 XOF");
        assert_eq!(Money::new("a", 300000, "EUR").unwrap().display(Lang::En), "3,000 EUR");
    }
}
