//! Document (وثيقة): a file kept in the vault and attached to a record (a signed original, a
//! council extract, the authority's visa letter, a transmission slip, correspondence, a photo).
//! The file itself never changes; its description (kind, title, signing date, signatories,
//! notes) is editable, with history.

use super::text_enum;
use crate::calendar::PartialDate;
use crate::error::Result;
use crate::text;
use serde::{Deserialize, Serialize};

text_enum!(
    DocumentKind {
        SignedOriginal = "signed_original",
        Draft = "draft",
        CouncilExtract = "council_extract",
        ApprovalLetter = "approval_letter",
        TransmissionSlip = "transmission_slip",
        Correspondence = "correspondence",
        Photo = "photo",
        Other = "other",
    }
);

/// What the officer may edit about a document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentData {
    pub kind: DocumentKind,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub signatories: String,
    #[serde(default)]
    pub notes: String,
}

impl DocumentData {
    pub fn validate(mut self) -> Result<Self> {
        self.title = text::line("title", &self.title, false)?;
        self.signed_on = PartialDate::normalise_field("signed_on", &self.signed_on)?;
        self.signatories = text::line("signatories", &self.signatories, false)?;
        self.notes = text::block("notes", &self.notes)?;
        Ok(self)
    }
}

/// A stored document: its description, and the facts about its file that never change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Document {
    #[serde(flatten)]
    pub record: super::Record<DocumentData>,
    /// The record it is attached to.
    pub entity: super::Entity,
    pub entity_id: i64,
    pub sha256: String,
    pub size: i64,
    /// Sniffed from the content, not from the name.
    pub media_type: String,
    /// The name the file had, with invisible and direction-control characters made visible.
    pub original_name: String,
    /// For a PDF that could be read.
    pub page_count: Option<u32>,
    /// Things the officer should know (`extension_mismatch`, `name_controls`, `pdf_encrypted`,
    /// `pdf_corrupt`, `pdf_not_inspected`).
    pub warnings: Vec<String>,
}
