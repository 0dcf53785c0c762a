//! Bundles: the file one desk hands another to keep a council's registry together offline
//! (docs/exchange.md). A tar holding `records.jsonl` (one traveling record per line: its fields,
//! links by UUID, and each field's version clock; see `store::Traveling`), `files/<sha256>` (the
//! files of the documents it carries) and `manifest.json` (the format, the council, the sending
//! desk, and every other entry's size and SHA-256).
//!
//! A bundle is checked whole before anything is applied — its format, every entry against the
//! manifest, every record, the council — then merged in one transaction
//! (`Store::merge_traveling`). A bundle applied before is a no-op, said as such. Both ways the
//! records stream through a scratch file, one at a time, and the files straight from vault to
//! bundle to vault: a desk of 100,000 records is never held in memory.

use crate::error::{Error, Result};
use crate::store::{Merged, Store, Traveling};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The format this build writes and the newest it reads (2: the council's members, sessions,
/// points and deliberations travel too; a build that reads only 1 refuses them as too new).
pub const FORMAT: u32 = 2;
const MANIFEST: &str = "manifest.json";
const RECORDS: &str = "records.jsonl";
/// Where the documents' files are, by SHA-256.
const FILES: &str = "files/";
/// The largest manifest read.
const MAX_MANIFEST: u64 = 1 << 20;

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

fn damaged(detail: impl Into<String>) -> Error {
    Error::Bundle { problem: "damaged", detail: detail.into() }
}

/// The setting keeping where the last bundle made for a desk ended.
fn sent_key(desk: &str) -> String {
    format!("exchange.sent.{}", desk.trim())
}

fn entry_header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

/// A scratch file that counts and hashes what is written to it.
struct HashingFile {
    out: BufWriter<File>,
    hasher: Sha256,
    size: u64,
}

impl HashingFile {
    fn new_in(dir: &Path) -> Result<Self> {
        Ok(HashingFile { out: BufWriter::new(tempfile::tempfile_in(dir)?), hasher: Sha256::new(), size: 0 })
    }

    /// The size and SHA-256 of what was written, and the file, read from its start.
    fn finish(self) -> Result<(EntryDigest, File)> {
        let digest = EntryDigest { size: self.size, sha256: crate::digest::hex(&self.hasher.finalize()) };
        let mut file = self.out.into_inner().map_err(|e| Error::from(e.into_error()))?;
        file.seek(SeekFrom::Start(0))?;
        Ok((digest, file))
    }
}

impl Write for HashingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes a bundle of the records `since` says to `out`, replacing it only once whole.
pub fn export(store: &mut Store, out: &Path, since: Since) -> Result<Manifest> {
    let since_stamp = match since {
        Since::All => String::new(),
        Since::Stamp(stamp) => stamp.to_string(),
        Since::LastFor(desk) => store.setting(&sent_key(desk))?.unwrap_or_default(),
    };
    let identity = store.desk_identity()?;
    let names = store.council_identity()?;
    let vault = store.vault()?;
    let output = crate::output::Output::create(out)?;
    // The records, one line each, into a scratch file beside the bundle's part; the documents'
    // files they name, each once.
    let mut lines = HashingFile::new_in(output.part().parent().unwrap_or(Path::new(".")))?;
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    let outgoing = store.traveling_since(&since_stamp, &mut |r| {
        serde_json::to_writer(&mut lines, r)?;
        lines.write_all(b"\n")?;
        if r.entity == crate::model::Entity::Document {
            if let Some(sha256) = r.fields.get("sha256").and_then(|v| v.as_str()) {
                let path = vault.path_of(sha256);
                if !path.is_file() {
                    return Err(Error::invalid("vault", crate::error::Rule::Missing));
                }
                files.insert(sha256.to_string(), path);
            }
        }
        Ok(())
    })?;
    let (records_digest, records) = lines.finish()?;
    // For a desk bundles were made for before: the files it was sent then stay out.
    if let Since::LastFor(desk) = since {
        let hashes: Vec<String> = files.keys().cloned().collect();
        for sent in store.files_sent_to(desk, &hashes)? {
            files.remove(&sent);
        }
    }
    let mut manifest = Manifest {
        format: FORMAT,
        taawun: env!("CARGO_PKG_VERSION").to_string(),
        bundle: uuid::Uuid::now_v7().to_string(),
        council: Named {
            uuid: identity.council,
            name: names.french.last().or(names.arabic.last()).cloned().unwrap_or_default(),
        },
        desk: Named { uuid: identity.desk, name: identity.desk_name },
        since: since_stamp.clone(),
        until: outgoing.until.clone(),
        made_at: crate::calendar::now_stamp(),
        records: outgoing.records,
        entries: BTreeMap::from([(RECORDS.to_string(), records_digest.clone())]),
    };
    for (sha256, path) in &files {
        // A vault file's name is its SHA-256 (`verify` checks it); the importer hashes it again.
        let size = std::fs::metadata(path)?.len();
        manifest.entries.insert(format!("{FILES}{sha256}"), EntryDigest { size, sha256: sha256.clone() });
    }
    let mut part = File::create(output.part())?;
    {
        let mut tar = tar::Builder::new(BufWriter::new(&mut part));
        tar.append_data(&mut entry_header(records_digest.size), RECORDS, BufReader::new(records))?;
        for (sha256, path) in &files {
            let file = File::open(path)?;
            tar.append_data(
                &mut entry_header(file.metadata()?.len()),
                format!("{FILES}{sha256}"),
                BufReader::new(file),
            )?;
        }
        let manifest_bytes = serde_json::to_vec_pretty(&manifest)?;
        tar.append_data(&mut entry_header(manifest_bytes.len() as u64), MANIFEST, &manifest_bytes[..])?;
        tar.into_inner()?.flush()?;
    }
    drop(part);
    output.commit()?;
    // The bundle is whole on disk: the next one for this desk starts where it ended, and leaves
    // out the files this one carries.
    if let Since::LastFor(desk) = since {
        if outgoing.until != since_stamp {
            store.set_setting(&sent_key(desk), &outgoing.until)?;
        }
        store.note_files_sent(desk, &files.keys().cloned().collect::<Vec<_>>())?;
    }
    Ok(manifest)
}

/// A bundle read and checked whole: its manifest, and its records in a scratch file, parsed one
/// at a time as they are merged.
pub struct Checked {
    pub manifest: Manifest,
    records: File,
}

impl Checked {
    /// The records, in the bundle's order.
    pub fn records(&mut self) -> Result<impl Iterator<Item = Result<Traveling>> + '_> {
        self.records.seek(SeekFrom::Start(0))?;
        let lines = BufReader::new(&mut self.records).split(b'\n');
        Ok(lines.enumerate().filter(|(_, l)| l.as_ref().map_or(true, |l| !l.is_empty())).map(|(i, line)| {
            let line = line.map_err(|e| damaged(format!("{RECORDS}:{}: {e}", i + 1)))?;
            serde_json::from_slice(&line).map_err(|e| damaged(format!("{RECORDS}:{}: {e}", i + 1)))
        }))
    }
}

/// Reads and checks a bundle whole: its entries, its manifest, every entry's size and SHA-256,
/// every line of records. The documents' files go into `vault` as they are read
/// (content-addressed: a file already there is not written again; one stored for a bundle
/// refused stays unreferenced, for `vault gc`); the records go to a scratch file in its `tmp`.
pub fn read(path: &Path, vault: &crate::vault::Vault) -> Result<Checked> {
    let scratch = vault.root().join("tmp");
    let mut manifest_bytes: Option<Vec<u8>> = None;
    let mut records: Option<(EntryDigest, File)> = None;
    let mut stored_files: BTreeMap<String, u64> = BTreeMap::new();
    let mut archive = tar::Archive::new(BufReader::new(File::open(path)?));
    for entry in archive.entries().map_err(|e| damaged(e.to_string()))? {
        let mut entry = entry.map_err(|e| damaged(e.to_string()))?;
        let name = entry.path().map_err(|e| damaged(e.to_string()))?.to_string_lossy().into_owned();
        let size = entry.header().size().map_err(|e| damaged(e.to_string()))?;
        let cut = || damaged(format!("{name}: cut short"));
        if let Some(sha256) = name.strip_prefix(FILES).map(str::to_string) {
            let tmp = tempfile::NamedTempFile::new_in(&scratch)?;
            if std::io::copy(&mut entry, &mut tmp.as_file()).map_err(|_| cut())? != size {
                return Err(cut());
            }
            if vault.store_file(tmp.path(), u64::MAX)?.sha256 != sha256 {
                return Err(damaged(format!("{name}: altered")));
            }
            stored_files.insert(sha256, size);
        } else if name == RECORDS && records.is_none() {
            let mut out = HashingFile::new_in(&scratch)?;
            if std::io::copy(&mut entry, &mut out).map_err(|_| cut())? != size {
                return Err(cut());
            }
            records = Some(out.finish()?);
        } else if name == MANIFEST && manifest_bytes.is_none() && size <= MAX_MANIFEST {
            let mut bytes = Vec::with_capacity(size as usize);
            entry.read_to_end(&mut bytes).map_err(|_| cut())?;
            if bytes.len() as u64 != size {
                return Err(cut());
            }
            manifest_bytes = Some(bytes);
        } else {
            return Err(damaged(name));
        }
    }
    let manifest = manifest_bytes.ok_or_else(|| damaged(format!("{MANIFEST}: missing")))?;
    // The format first: a newer bundle may have a manifest this build cannot read.
    let format = serde_json::from_slice::<serde_json::Value>(&manifest)
        .ok()
        .and_then(|m| m.get("format").and_then(|f| f.as_u64()))
        .ok_or_else(|| damaged(MANIFEST))?;
    if format > FORMAT as u64 {
        return Err(Error::Bundle { problem: "too_new", detail: format!("{format} > {FORMAT}") });
    }
    let manifest: Manifest = serde_json::from_slice(&manifest).map_err(|e| damaged(format!("{MANIFEST}: {e}")))?;
    let (records_digest, records) = records.ok_or_else(|| damaged(format!("{RECORDS}: missing")))?;
    if manifest.entries.get(RECORDS) != Some(&records_digest) {
        return Err(damaged(format!("{RECORDS}: altered")));
    }
    for (name, digest) in &manifest.entries {
        // Each file was hashed on the way into the vault against its name.
        let found = match name.strip_prefix(FILES) {
            Some(sha256) => sha256 == digest.sha256 && stored_files.get(sha256) == Some(&digest.size),
            None => name == RECORDS,
        };
        if !found {
            return Err(damaged(format!("{name}: missing or altered")));
        }
    }
    let mut checked = Checked { manifest, records };
    let mut count = 0;
    for record in checked.records()? {
        record?;
        count += 1;
    }
    if count != checked.manifest.records {
        return Err(damaged(format!("{RECORDS}: {count} records, the manifest says {}", checked.manifest.records)));
    }
    Ok(checked)
}

/// Checks a bundle whole, then merges it into the desk in one transaction.
pub fn import(store: &mut Store, path: &Path) -> Result<Applied> {
    let vault = store.vault()?;
    let mut checked = read(path, &vault)?;
    let manifest = checked.manifest.clone();
    if let Some(ours) = store.desk_identity_if_any()?.council {
        if ours != manifest.council.uuid {
            return Err(Error::Bundle {
                problem: "other_council",
                detail: format!("{} ({})", manifest.council.name, manifest.council.uuid),
            });
        }
    }
    if store.bundle_applied(&manifest.bundle)? {
        return Ok(Applied { manifest, already: true, merged: Merged::default() });
    }
    // A document whose file the bundle leaves out (sent before, to a desk bundles are made for)
    // must find it in this vault.
    for record in checked.records()? {
        let record = record?;
        if record.entity != crate::model::Entity::Document {
            continue;
        }
        let sha256 = record.fields.get("sha256").and_then(|v| v.as_str()).unwrap_or_default();
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(damaged(format!("{RECORDS}: document {}", record.uuid)));
        }
        if !vault.path_of(sha256).is_file() {
            return Err(Error::Bundle { problem: "incomplete", detail: format!("{FILES}{sha256}") });
        }
    }
    let from = format!("{} {}", manifest.desk.uuid, manifest.desk.name).trim().to_string();
    let merged = store.merge_traveling(&mut checked.records()?, &from, &manifest.bundle, &manifest.council.uuid)?;
    Ok(Applied { manifest, already: false, merged })
}
