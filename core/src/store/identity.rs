//! The council's identity on printed documents (letterhead lines, address, emblem), kept as a
//! setting; the emblem's image is kept in the vault and never collected.

use super::Store;
use crate::error::{Error, Result};
use crate::model::CouncilIdentity;
use rusqlite::Connection;
use std::fs::File;
use std::path::Path;

/// The identity as stored (the default when none was saved).
pub(crate) fn council_identity(c: &Connection) -> Result<CouncilIdentity> {
    match super::setting(c, "council_identity")? {
        Some(json) => Ok(serde_json::from_str(&json)?),
        None => Ok(CouncilIdentity::default()),
    }
}

impl Store {
    pub fn council_identity(&self) -> Result<CouncilIdentity> {
        council_identity(&self.conn)
    }

    /// Saves the letterhead lines and the address; the emblem stays as it is (it changes only
    /// through `set_council_emblem`, which checks the image and keeps it in the vault).
    pub fn set_council_identity(&mut self, identity: CouncilIdentity) -> Result<CouncilIdentity> {
        let emblem_sha256 = self.council_identity()?.emblem_sha256;
        self.save_council_identity(CouncilIdentity { emblem_sha256, ..identity })
    }

    fn save_council_identity(&mut self, identity: CouncilIdentity) -> Result<CouncilIdentity> {
        let identity = identity.validate()?;
        self.set_setting("council_identity", &serde_json::to_string(&identity)?)?;
        Ok(identity)
    }

    /// Keeps an image (JPEG or PNG, at most 5 MiB) in the vault as the council's emblem, or
    /// removes the emblem with `None`.
    pub fn set_council_emblem(&mut self, image: Option<&Path>) -> Result<CouncilIdentity> {
        let mut identity = self.council_identity()?;
        identity.emblem_sha256 = match image {
            None => String::new(),
            Some(path) => {
                // Checked before it enters the vault, so a refused file leaves nothing behind.
                let mut head = [0u8; 64];
                let n = std::io::Read::read(
                    &mut File::open(path).map_err(|_| Error::invalid("emblem", crate::error::Rule::Unreadable))?,
                    &mut head,
                )?;
                if !matches!(crate::vault::sniff(&head[..n]).as_str(), "image/jpeg" | "image/png") {
                    return Err(Error::invalid("emblem", crate::error::Rule::NotPreviewable));
                }
                self.vault()?.store_file(path, 5 * 1024 * 1024)?.sha256
            }
        };
        self.save_council_identity(identity)
    }
}
