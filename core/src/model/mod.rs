//! The objects of decentralized cooperation, as the officer sees them.
//!
//! Each object has its editable fields (`PartnerData`, `AgreementData`, ...) with a `validate`
//! that normalises them or says which field is wrong, and is stored as a `Record<Data>` that adds
//! the integer id, the stable UUID (for exchange between desks), timestamps and the soft-delete
//! mark. One file per object.

pub mod agreement;
pub mod deliberation;
pub mod document;
pub mod identity;
pub mod legal;
pub mod member;
pub mod membership;
pub mod partner;
pub mod project;
pub mod session;
pub mod session_law;
pub mod to_complete;

pub use agreement::{AgreementData, AgreementKind, AgreementStatus, Direction, StatusChange};
pub use deliberation::{DeliberationData, Outcome, PresidentVote, VisaData, VisaStatus};
pub use document::{Document, DocumentData, DocumentKind};
pub use identity::CouncilIdentity;
pub use legal::LegalSettings;
pub use member::{mandate_of, MemberData, MemberRole};
pub use membership::MembershipData;
pub use partner::{Contact, PartnerData, PartnerKind};
pub use project::{Activity, ActivityKind, BudgetLine, ProjectData, ProjectStatus};
pub use session::{PointData, RequestedBy, SessionData, SessionKind, Sitting, Subject};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kinds of record, as named in URLs, the CLI and history rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Entity {
    Partner,
    Agreement,
    Project,
    Membership,
    Document,
    Session,
    Point,
    Deliberation,
    /// A member of the council for a mandate (`council_member`).
    Member,
}

impl Entity {
    /// The kinds with their own lists and forms (documents live inside a record's page).
    pub const ALL: [Entity; 4] = [Entity::Partner, Entity::Agreement, Entity::Project, Entity::Membership];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Partner => "partner",
            Entity::Agreement => "agreement",
            Entity::Project => "project",
            Entity::Membership => "membership",
            Entity::Document => "document",
            Entity::Session => "session",
            Entity::Point => "point",
            Entity::Deliberation => "deliberation",
            Entity::Member => "member",
        }
    }

    /// The SQL table holding this kind (a fixed identifier, never user input).
    pub fn table(self) -> &'static str {
        match self {
            Entity::Point => "agenda_point",
            Entity::Member => "council_member",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Entity {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s.trim().trim_end_matches('s').to_ascii_lowercase().as_str() {
            "partner" => Ok(Entity::Partner),
            "agreement" => Ok(Entity::Agreement),
            "project" => Ok(Entity::Project),
            "membership" => Ok(Entity::Membership),
            "document" => Ok(Entity::Document),
            "session" => Ok(Entity::Session),
            "point" => Ok(Entity::Point),
            "deliberation" => Ok(Entity::Deliberation),
            "member" => Ok(Entity::Member),
            _ => Err(crate::Error::invalid("kind", crate::error::Rule::UnknownValue)),
        }
    }
}

/// A stored record: identity, timestamps and the object's data.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Record<T> {
    pub id: i64,
    pub uuid: String,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
    pub is_sample: bool,
    /// Fields left to complete by an import "as it is" (model::to_complete); empty when complete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to_complete: Vec<String>,
    #[serde(flatten)]
    pub data: T,
}

/// A record's fields checked whole: a wrong field's error is kept and the check goes on, so that
/// a form hears of every wrong field at once (`Error::Fields`), each field once (its first error).
#[derive(Default)]
pub(crate) struct Checks {
    errors: Vec<crate::error::Error>,
}

impl Checks {
    /// The checked value, or its default with the error kept.
    pub(crate) fn take<T: Default>(&mut self, checked: crate::error::Result<T>) -> T {
        checked.unwrap_or_else(|e| {
            self.push(e);
            T::default()
        })
    }

    /// Keeps `e`, unless its field (in its row) already has an error.
    pub(crate) fn push(&mut self, e: crate::error::Error) {
        if !self.errors.iter().any(|x| x.field() == e.field() && x.row() == e.row()) {
            self.errors.push(e);
        }
    }

    /// No error so far (checks that compare fields run only on fields that read).
    pub(crate) fn clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// The record, or its errors: one alone, several as `Error::Fields`.
    pub(crate) fn done<T>(mut self, value: T) -> crate::error::Result<T> {
        match self.errors.len() {
            0 => Ok(value),
            1 => Err(self.errors.remove(0)),
            _ => Err(crate::error::Error::Fields(self.errors)),
        }
    }
}

/// Declares a string enum stored as text, with its list of values for forms; its default is the
/// first value of the list (the first choice a form offers).
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(field: &str, s: &str) -> crate::Result<Self> {
                match s.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::Error::invalid(field, crate::error::Rule::UnknownValue)),
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::ALL[0]
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                $name::parse("", s).map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }
    };
}
pub(crate) use text_enum;

/// Refuses an end before a start (comparing the widest meaning of partial dates).
pub(crate) fn check_order(
    end_field: &str,
    start: Option<&crate::calendar::PartialDate>,
    end: Option<&crate::calendar::PartialDate>,
) -> crate::Result<()> {
    if let (Some(s), Some(e)) = (start, end) {
        if e.last_day() < s.first_day() {
            return Err(crate::Error::invalid(end_field, crate::error::Rule::EndBeforeStart));
        }
    }
    Ok(())
}
