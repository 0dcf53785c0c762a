//! A record's fields as the window sends them, read by Taawun's rules rather than by Tauri's: a
//! value of the wrong type or out of range (a negative count, a number past four billion, text
//! where a number goes) is the translated error naming its field, with its row in a repeated
//! group (a sitting, a budget line), never a deserialisation message in English.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::marker::PhantomData;
use taawun_core::error::{Error, Rule};

/// The fields of a `T`, kept as sent until `read`.
pub struct Form<T> {
    sent: serde_json::Value,
    kind: PhantomData<T>,
}

impl<'de, T> Deserialize<'de> for Form<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Form { sent: serde_json::Value::deserialize(deserializer)?, kind: PhantomData })
    }
}

impl<T: DeserializeOwned> Form<T> {
    /// The fields as a `T`, or the field that is wrong.
    pub fn read(self) -> taawun_core::Result<T> {
        serde_path_to_error::deserialize(self.sent).map_err(|e| field_error(e.path()))
    }

    /// `read`, its error as the window shows it, in `lang`.
    pub fn read_in(self, lang: taawun_core::Lang) -> Result<T, taawun_core::ErrorReport> {
        self.read().map_err(|e| e.report(lang))
    }
}

/// The error of the field at `path` (`members_in_office`, `sittings[1].present`): the last name
/// in it, in the row of the last index.
fn field_error(path: &serde_path_to_error::Path) -> Error {
    use serde_path_to_error::Segment;
    let mut field = "data".to_string();
    let mut row = None;
    for segment in path.iter() {
        match segment {
            Segment::Map { key } => field = key.clone(),
            Segment::Seq { index } => row = Some(*index),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    let e = Error::invalid(&field, Rule::OutOfRange);
    match row {
        Some(index) => e.in_row(index),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use taawun_core::model::SessionData;
    use taawun_core::Lang;

    fn read(sent: serde_json::Value) -> taawun_core::Result<SessionData> {
        serde_json::from_value::<Form<SessionData>>(sent).unwrap().read()
    }

    #[test]
    fn a_number_out_of_range_names_its_field_in_words() {
        let e = read(serde_json::json!({"kind": "ordinary", "year": 2026, "month": 6, "members_in_office": -5}))
            .unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid.out_of_range".to_string(), Some("members_in_office")));
        assert!(!e.message(Lang::Ar).contains("u32"), "{}", e.message(Lang::Ar));
        let e = read(serde_json::json!({
            "kind": "ordinary", "year": 2026, "month": 6,
            "sittings": [{"held_on": "2026-06-08"}, {"held_on": "2026-06-09", "present": 99999999999u64}]
        }))
        .unwrap_err();
        assert_eq!((e.field(), e.row()), (Some("present"), Some(1)));
        assert!(read(serde_json::json!({"kind": "ordinary", "year": 2026, "month": 6})).is_ok());
    }
}
