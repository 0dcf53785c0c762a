//! Bundles: the file one desk hands another to keep a council's registry together offline
//! (docs/exchange.md). A tar holding `records.jsonl` (one traveling record per line: its fields,
//! links by UUID, and each field's version clock; see `store::Traveling`), `files/<sha256>` (the
//! files of the documents it carries) and `manifest.json` (the format, the council, the sending
//! desk, and every other entry's size and SHA-256).
//!
//! A bundle is checked whole before anything is applied — its format, every entry against the
//! manifest, the council — then merged in one transaction (`Store::merge_traveling`). A bundle
//! applied before is a no-op, said as such.

use crate::digest::sha256_hex;
use crate::error::{Error, Result};
use crate::store::{Merged, Store, Traveling};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

/// The format this build writes and the newest it reads.
pub const FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";
const RECORDS: &str = "records.jsonl";
/// Where the documents' files are, by SHA-256.
const FILES: &str = "files/";
/// The largest entry read from a bundle.
const MAX_ENTRY: u64 = 1 << 30;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Named {
    pub uuid: String,
    pub name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct EntryDigest {
    pub size: u64,
    pub sha256: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The Taawun version that made it.
    pub taawun: String,
    /// This bundle's own UUID (applied twice: a no-op).
    pub bundle: String,
    pub council: Named,
    pub desk: Named,
    /// The records changed after this stamp (empty: all of them), up to this one.
    pub since: String,
    #[serde(default)]
    pub until: String,
    pub made_at: String,
    pub records: usize,
    pub entries: BTreeMap<String, EntryDigest>,
}

/// What importing a bundle did.
#[derive(Clone, Debug, Serialize)]
pub struct Applied {
    pub manifest: Manifest,
    /// The bundle had been applied already: nothing was done.
    pub already: bool,
    pub merged: Merged,
}

fn damaged(detail: impl Into<String>) -> Error {
    Error::Bundle { problem: "damaged", detail: detail.into() }
}

fn append(tar: &mut tar::Builder<impl Write>, name: &str, bytes: &[u8]) -> Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, name, bytes)?;
    Ok(())
}

/// Which records a bundle carries.
#[derive(Clone, Copy, Debug)]
pub enum Since<'a> {
    /// Every record.
    All,
    /// Those changed after a stamp.
    Stamp(&'a str),
    /// Those changed since the last bundle made for this desk (named as the user names it);
    /// every record the first time.
    LastFor(&'a str),
}

/// The setting keeping where the last bundle made for a desk ended.
fn sent_key(desk: &str) -> String {
    format!("exchange.sent.{}", desk.trim())
}

/// Writes a bundle of the records `since` says to `out`, replacing it only once whole.
pub fn export(store: &mut Store, out: &Path, since: Since) -> Result<Manifest> {
    let since_stamp = match since {
        Since::All => String::new(),
        Since::Stamp(stamp) => stamp.to_string(),
        Since::LastFor(desk) => store.setting(&sent_key(desk))?.unwrap_or_default(),
    };
    let identity = store.desk_identity()?;
    let crate::store::Outgoing { records, until } = store.traveling_since(&since_stamp)?;
    let mut lines = Vec::new();
    for r in &records {
        serde_json::to_writer(&mut lines, r)?;
        lines.push(b'\n');
    }
    // The documents' files, each once, streamed from the vault.
    let vault = store.vault()?;
    let mut files: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    for r in records.iter().filter(|r| r.entity == crate::model::Entity::Document) {
        if let Some(sha256) = r.fields.get("sha256").and_then(|v| v.as_str()) {
            let path = vault.path_of(sha256);
            if !path.is_file() {
                return Err(Error::invalid("vault", crate::error::Rule::Missing));
            }
            files.insert(sha256.to_string(), path);
        }
    }
    let names = store.council_identity()?;
    let manifest = Manifest {
        format: FORMAT,
        taawun: env!("CARGO_PKG_VERSION").to_string(),
        bundle: uuid::Uuid::now_v7().to_string(),
        council: Named {
            uuid: identity.council,
            name: names.french.last().or(names.arabic.last()).cloned().unwrap_or_default(),
        },
        desk: Named { uuid: identity.desk, name: identity.desk_name },
        since: since_stamp.clone(),
        until: until.clone(),
        made_at: crate::calendar::now_stamp(),
        records: records.len(),
        entries: BTreeMap::from([(
            RECORDS.to_string(),
            EntryDigest { size: lines.len() as u64, sha256: sha256_hex(&lines) },
        )]),
    };
    let mut manifest = manifest;
    for (sha256, path) in &files {
        // A vault file's name is its SHA-256 (`verify` checks it); the importer hashes it again.
        let size = std::fs::metadata(path)?.len();
        manifest.entries.insert(format!("{FILES}{sha256}"), EntryDigest { size, sha256: sha256.clone() });
    }
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut tar = tar::Builder::new(std::io::BufWriter::new(tmp.as_file_mut()));
        append(&mut tar, RECORDS, &lines)?;
        for (sha256, path) in &files {
            let mut header = tar::Header::new_gnu();
            let file = std::fs::File::open(path)?;
            header.set_size(file.metadata()?.len());
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_entry_type(tar::EntryType::Regular);
            tar.append_data(&mut header, format!("{FILES}{sha256}"), std::io::BufReader::new(file))?;
        }
        append(&mut tar, MANIFEST, &serde_json::to_vec_pretty(&manifest)?)?;
        tar.into_inner()?.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(out).map_err(|e| Error::from(e.error))?;
    // The bundle is whole on disk: the next one for this desk starts where it ended.
    if let Since::LastFor(desk) = since {
        if until != since_stamp {
            store.set_setting(&sent_key(desk), &until)?;
        }
    }
    Ok(manifest)
}

/// Reads and checks a bundle whole: its entries, its manifest, every entry's size and SHA-256.
/// The documents' files go into `vault` as they are read (content-addressed: a file already
/// there is not written again; one stored for a bundle refused stays unreferenced, for
/// `vault gc`), the rest is held in memory.
pub fn read(path: &Path, vault: &crate::vault::Vault) -> Result<(Manifest, Vec<Traveling>)> {
    let file = std::fs::File::open(path)?;
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut stored_files: BTreeMap<String, u64> = BTreeMap::new();
    let mut archive = tar::Archive::new(std::io::BufReader::new(file));
    for entry in archive.entries().map_err(|e| damaged(e.to_string()))? {
        let mut entry = entry.map_err(|e| damaged(e.to_string()))?;
        let name = entry.path().map_err(|e| damaged(e.to_string()))?.to_string_lossy().into_owned();
        let size = entry.header().size().map_err(|e| damaged(e.to_string()))?;
        if let Some(sha256) = name.strip_prefix(FILES).map(str::to_string) {
            let tmp = tempfile::NamedTempFile::new_in(vault.root().join("tmp"))?;
            let copied =
                std::io::copy(&mut entry, &mut tmp.as_file()).map_err(|_| damaged(format!("{name}: cut short")))?;
            if copied != size {
                return Err(damaged(format!("{name}: cut short")));
            }
            let stored = vault.store_file(tmp.path(), u64::MAX)?;
            if stored.sha256 != sha256 {
                return Err(damaged(format!("{name}: altered")));
            }
            stored_files.insert(sha256, size);
            continue;
        }
        if size > MAX_ENTRY || entries.contains_key(&name) {
            return Err(damaged(name));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        entry.read_to_end(&mut bytes).map_err(|_| damaged(format!("{name}: cut short")))?;
        if bytes.len() as u64 != size {
            return Err(damaged(format!("{name}: cut short")));
        }
        entries.insert(name, bytes);
    }
    let manifest = entries.get(MANIFEST).ok_or_else(|| damaged(format!("{MANIFEST}: missing")))?;
    // The format first: a newer bundle may have a manifest this build cannot read.
    let format = serde_json::from_slice::<serde_json::Value>(manifest)
        .ok()
        .and_then(|m| m.get("format").and_then(|f| f.as_u64()))
        .ok_or_else(|| damaged(MANIFEST))?;
    if format > FORMAT as u64 {
        return Err(Error::Bundle { problem: "too_new", detail: format!("{format} > {FORMAT}") });
    }
    let manifest: Manifest = serde_json::from_slice(manifest).map_err(|e| damaged(format!("{MANIFEST}: {e}")))?;
    for (name, digest) in &manifest.entries {
        if let Some(sha256) = name.strip_prefix(FILES) {
            // Hashed on the way into the vault against its name.
            if sha256 != digest.sha256 || stored_files.get(sha256) != Some(&digest.size) {
                return Err(damaged(format!("{name}: missing or altered")));
            }
            continue;
        }
        let bytes = entries.get(name).ok_or_else(|| damaged(format!("{name}: missing")))?;
        if bytes.len() as u64 != digest.size || sha256_hex(bytes) != digest.sha256 {
            return Err(damaged(format!("{name}: altered")));
        }
    }
    let lines = entries.get(RECORDS).ok_or_else(|| damaged(format!("{RECORDS}: missing")))?;
    let mut records = Vec::with_capacity(manifest.records);
    for (i, line) in lines.split(|b| *b == b'\n').filter(|l| !l.is_empty()).enumerate() {
        records.push(serde_json::from_slice(line).map_err(|e| damaged(format!("{RECORDS}:{}: {e}", i + 1)))?);
    }
    if records.len() != manifest.records {
        return Err(damaged(format!("{RECORDS}: {} records, the manifest says {}", records.len(), manifest.records)));
    }
    Ok((manifest, records))
}

/// Checks a bundle whole, then merges it into the desk in one transaction.
pub fn import(store: &mut Store, path: &Path) -> Result<Applied> {
    let vault = store.vault()?;
    let (manifest, records) = read(path, &vault)?;
    let ours = store.desk_identity_if_any()?;
    if let Some(ours) = &ours.council {
        if *ours != manifest.council.uuid {
            return Err(Error::Bundle {
                problem: "other_council",
                detail: format!("{} ({})", manifest.council.name, manifest.council.uuid),
            });
        }
    }
    if store.bundle_applied(&manifest.bundle)? {
        return Ok(Applied { manifest, already: true, merged: Merged::default() });
    }
    let from = format!("{} {}", manifest.desk.uuid, manifest.desk.name).trim().to_string();
    let merged = store.merge_traveling(&records, &from, &manifest.bundle, &manifest.council.uuid)?;
    Ok(Applied { manifest, already: false, merged })
}
