//! taawun-core: everything of Taawun that is not the window.
//!
//! The model of decentralized international cooperation (partners, agreements, projects,
//! memberships), the SQLite store with its migrations and history, partial dates with the
//! Moroccan month names, money in minor units, ISO countries, the translated strings shared with
//! the UI, and the sample and synthetic records. The desktop shell (`src-tauri`) and the CLI
//! (`taawun-cli`) are both thin layers over this crate.

rust_i18n::i18n!("../locales", fallback = "en");

pub mod backup;
pub mod calendar;
pub mod country;
pub mod digest;
pub mod error;
pub mod export;
#[doc(hidden)]
pub mod fuzz_checks;
pub mod i18n;
pub mod import;
pub mod model;
pub mod money;
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
