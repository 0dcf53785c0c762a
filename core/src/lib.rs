//! taawun-core: everything of Taawun that is not the window.
//!
//! The model of decentralized international cooperation (`model`: partners, agreements,
//! projects, memberships, council sessions and deliberations, signed documents, the council's
//! identity); the SQLite store with its migrations, history and trash (`store`, one file per
//! table family); the signed-documents vault and its previews (`vault`, `preview`); partial and
//! Hijri dates, holidays, working days and the legal delays (`calendar`); the session rules of
//! Organic Law 112-14 with their articles (`law`); Arabic-first
//! typesetting and the printed sheet, dossier and session papers (`typeset`, `print`); search (`search`, with
//! the folding in `text`); registries in and out (`import`, `export`); backups (`backup`);
//! money, amounts in words, ISO countries and the translated strings shared with the UI. The
//! desktop shell (`src-tauri`) and the CLI (`taawun-cli`) are both thin layers over this crate.

rust_i18n::i18n!("../locales", fallback = "en");

pub mod backup;
pub mod bundle;
pub mod calendar;
pub mod country;
pub mod digest;
pub mod error;
pub mod export;
#[doc(hidden)]
pub mod fuzz_checks;
pub mod i18n;
pub mod import;
pub mod inspect;
pub mod law;
pub mod model;
pub mod money;
#[cfg(feature = "national")]
pub mod national;
pub mod output;
pub mod parts;
pub mod platform;
pub mod plural;
pub mod preview;
pub mod print;
pub mod search;
pub mod store;
pub mod text;
pub mod typeset;
pub mod vault;
pub mod words;

pub use error::{Error, ErrorReport, Result};
pub use i18n::Lang;
