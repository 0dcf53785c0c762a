//! The council's identity on every printed document: the letterhead lines in Arabic and French,
//! the address, and the emblem (by the SHA-256 of its image in the vault).

use crate::error::Result;
use serde::{Deserialize, Serialize};

/// The council's identity on every document: the header hierarchy in Arabic and French.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CouncilIdentity {
    pub arabic: Vec<String>,
    pub french: Vec<String>,
    #[serde(default)]
    pub address: String,
    /// The emblem printed at the top of the first page: a JPEG or PNG kept in the vault, by
    /// its SHA-256 (empty: none).
    #[serde(default)]
    pub emblem_sha256: String,
}

impl Default for CouncilIdentity {
    fn default() -> Self {
        CouncilIdentity {
            arabic: ["المملكة المغربية", "وزارة الداخلية", "عمالة الرباط", "مجلس عمالة الرباط"]
                .map(String::from)
                .to_vec(),
            french: [
                "Royaume du Maroc",
                "Ministère de l'Intérieur",
                "Préfecture de Rabat",
                "Conseil préfectoral de Rabat",
            ]
            .map(String::from)
            .to_vec(),
            address: String::new(),
            emblem_sha256: String::new(),
        }
    }
}

impl CouncilIdentity {
    pub fn validate(mut self) -> Result<Self> {
        for line in self.arabic.iter_mut().chain(self.french.iter_mut()) {
            *line = crate::text::line("council_identity", line, false)?;
        }
        self.address = crate::text::line("address", &self.address, false)?;
        Ok(self)
    }
}
