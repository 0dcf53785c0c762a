//! The signed-documents vault: every file stored once, under its SHA-256, beside the database
//! (`<data dir>/vault/sha256/ab/abcdef…`).
//!
//! A file is streamed (never read whole into memory) into a temporary file while it is hashed,
//! flushed to disk, then renamed into place and the directory flushed: only then may a database
//! row refer to it. A crash at any moment therefore leaves at worst an unreferenced file, which
//! `verify` reports and `gc` removes when asked; never a row pointing to a missing file. A stored
//! file is never modified: `verify` re-hashes each one and reports any that changed, with the hash
//! it should have, and nothing is "repaired".

use crate::digest::hex;
use crate::error::{Error, Result, Rule};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// The default largest file accepted (2 GiB).
pub const DEFAULT_SIZE_LIMIT: u64 = 2 * 1024 * 1024 * 1024;
const CHUNK: usize = 1024 * 1024;
/// Bytes read for sniffing the type.
const SNIFF: usize = 8192;

/// A file now in the vault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
    /// The media type sniffed from the content (not the extension).
    pub media_type: String,
    /// Whether this content was new to the vault (false: the same bytes were already there).
    pub new: bool,
}

/// A file taken into the vault, with what was learnt about it, ready to be recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Incoming {
    pub stored: Stored,
    /// The name it had, neutralised for display (see `neutralise_name`).
    pub original_name: String,
    /// What the officer should know (`extension_mismatch`, `name_controls`, `pdf_encrypted`,
    /// `pdf_corrupt`, `pdf_not_inspected`).
    pub warnings: Vec<String>,
    /// For a readable PDF.
    pub page_count: Option<u32>,
}

/// What `verify` found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub checked: usize,
    pub bytes: u64,
    /// Referenced by the database but absent from the vault.
    pub missing: Vec<String>,
    /// Present, but its content no longer has the hash it is filed under: (expected, actual).
    pub altered: Vec<(String, String)>,
    /// In the vault, referenced by nothing (leftovers of an interrupted attach, detached files).
    pub unreferenced: Vec<String>,
    /// Part files of attaches that were interrupted (`tmp/NAME`), which `gc` removes.
    pub partial: Vec<String>,
}

impl VerifyReport {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.altered.is_empty()
    }
}

pub struct Vault {
    root: PathBuf,
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Reads a stored file to its end in chunks, handing each chunk to `sink`; returns its SHA-256.
fn hash_stream(file: File, mut sink: impl FnMut(&[u8]) -> std::io::Result<()>) -> Result<String> {
    let mut reader = BufReader::with_capacity(CHUNK, file);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        sink(&buf[..n])?;
    }
    Ok(hex(&hasher.finalize()))
}

/// The media type of content from its first bytes.
pub fn sniff(head: &[u8]) -> String {
    infer::get(head).map(|t| t.mime_type().to_string()).unwrap_or_else(|| "application/octet-stream".to_string())
}

/// `tmp/NAME` for a part file of the vault's `tmp` folder.
fn leftover_name(path: &Path) -> String {
    format!("tmp/{}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default())
}

/// What re-hashing a document's file found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    Intact,
    Altered,
    Missing,
}

impl Vault {
    /// The vault beside a database file.
    pub fn beside(db_path: &Path) -> Result<Vault> {
        let dir = db_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Vault::open(&dir.join("vault"))
    }

    pub fn open(root: &Path) -> Result<Vault> {
        fs::create_dir_all(root.join("sha256"))?;
        fs::create_dir_all(root.join("tmp"))?;
        Ok(Vault { root: root.to_path_buf() })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the content with this hash lives.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        self.root.join("sha256").join(&sha256[..2]).join(sha256)
    }

    /// Takes a file in: stores it (see `store_file`), then learns what it is (PDF page count,
    /// encryption, damage) and how its name should be shown. `progress` gets the bytes read so far.
    pub fn take_in(&self, source: &Path, size_limit: u64, progress: &mut dyn FnMut(u64)) -> Result<Incoming> {
        let stored = self.store_file_with_progress(source, size_limit, progress)?;
        let raw_name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let original_name = neutralise_name(&raw_name);
        let mut warnings = Vec::new();
        if original_name != raw_name {
            warnings.push("name_controls".to_string());
        }
        if extension_disagrees(&raw_name, &stored.media_type) {
            warnings.push("extension_mismatch".to_string());
        }
        let mut page_count = None;
        if stored.media_type == "application/pdf" {
            let facts = crate::inspect::pdf::facts(&self.path_of(&stored.sha256), stored.size);
            page_count = facts.page_count;
            warnings.extend(facts.warning.map(str::to_string));
        }
        Ok(Incoming { stored, original_name, warnings, page_count })
    }

    /// Copies `source` into the vault (streamed, hashed on the way, durable before returning).
    pub fn store_file(&self, source: &Path, size_limit: u64) -> Result<Stored> {
        self.store_file_with_progress(source, size_limit, &mut |_| {})
    }

    fn store_file_with_progress(
        &self,
        source: &Path,
        size_limit: u64,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Stored> {
        let meta = fs::metadata(source).map_err(|_| Error::invalid("file", Rule::Unreadable))?;
        if !meta.is_file() {
            return Err(Error::invalid("file", Rule::Unreadable));
        }
        if meta.len() == 0 {
            return Err(Error::invalid("file", Rule::EmptyFile));
        }
        if meta.len() > size_limit {
            return Err(Error::invalid("file", Rule::FileTooLarge));
        }
        let input = File::open(source).map_err(|_| Error::invalid("file", Rule::Unreadable))?;
        self.store_reader_with_progress(BufReader::with_capacity(CHUNK, input), size_limit, progress)
    }

    /// Stores what `reader` yields (same guarantees as `store_file`).
    pub fn store_reader(&self, reader: impl Read, size_limit: u64) -> Result<Stored> {
        self.store_reader_with_progress(reader, size_limit, &mut |_| {})
    }

    fn store_reader_with_progress(
        &self,
        mut reader: impl Read,
        size_limit: u64,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Stored> {
        // Owned, so that a sweep (at start, before an attach, `vault gc`) never takes a file
        // another attach is writing, and takes this one if this process is killed.
        let owner = crate::parts::Owner::claim(&self.tmp_dir())?;
        let tmp_path = owner.part("taawun-vault-part");
        let result = (|| -> Result<Stored> {
            let mut tmp = File::create(&tmp_path)?;
            let mut hasher = Sha256::new();
            let mut head = Vec::with_capacity(SNIFF);
            let mut size: u64 = 0;
            let mut buf = vec![0u8; CHUNK];
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => return Err(Error::invalid("file", Rule::Unreadable)),
                };
                size += n as u64;
                if size > size_limit {
                    return Err(Error::invalid("file", Rule::FileTooLarge));
                }
                if head.len() < SNIFF {
                    head.extend_from_slice(&buf[..n.min(SNIFF - head.len())]);
                }
                hasher.update(&buf[..n]);
                tmp.write_all(&buf[..n])?;
                progress(size);
            }
            if size == 0 {
                return Err(Error::invalid("file", Rule::EmptyFile));
            }
            tmp.sync_all()?;
            drop(tmp);
            let sha256 = hex(&hasher.finalize());
            let target = self.path_of(&sha256);
            let media_type = sniff(&head);
            if target.exists() {
                fs::remove_file(&tmp_path)?;
                return Ok(Stored { sha256, size, media_type, new: false });
            }
            let dir = target.parent().expect("sharded path");
            fs::create_dir_all(dir)?;
            fs::rename(&tmp_path, &target)?;
            crate::platform::sync_dir(dir)?;
            Ok(Stored { sha256, size, media_type, new: true })
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp_path);
        }
        drop(owner);
        result
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// The part files of attaches that were interrupted (their process is gone), by name.
    pub fn leftovers(&self) -> Vec<String> {
        crate::parts::leftovers(&self.tmp_dir()).iter().map(|p| leftover_name(p)).collect()
    }

    /// Removes the part files of interrupted attaches (never those of an attach going on).
    pub fn sweep_tmp(&self) -> Vec<String> {
        crate::parts::sweep(&self.tmp_dir()).iter().map(|p| leftover_name(p)).collect()
    }

    /// Every content hash present in the vault.
    pub fn contents(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for shard in fs::read_dir(self.root.join("sha256"))? {
            let shard = shard?.path();
            if !shard.is_dir() {
                continue;
            }
            for f in fs::read_dir(&shard)? {
                let name = f?.file_name().to_string_lossy().into_owned();
                if is_sha256(&name) {
                    out.push(name);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Hashes the stored content again (streamed); `None` when the file is missing.
    pub fn rehash(&self, sha256: &str) -> Result<Option<String>> {
        self.rehash_file(&self.path_of(sha256))
    }

    /// Whether the stored file of `sha256` is there and still has that hash: the one answer to
    /// "intact, altered or missing" for the document views, the check and the dossier.
    pub fn state_of(&self, sha256: &str) -> Result<FileState> {
        Ok(match self.rehash(sha256)? {
            None => FileState::Missing,
            Some(actual) if actual == sha256 => FileState::Intact,
            Some(_) => FileState::Altered,
        })
    }

    /// Hashes any file (streamed); `None` when it is missing.
    pub fn rehash_file(&self, path: &Path) -> Result<Option<String>> {
        let Ok(file) = File::open(path) else { return Ok(None) };
        Ok(Some(hash_stream(file, |_| Ok(()))?))
    }

    /// Re-hashes every file and compares with what the database refers to.
    pub fn verify(&self, referenced: &HashSet<String>, mut progress: impl FnMut(usize, usize)) -> Result<VerifyReport> {
        let present = self.contents()?;
        let present_set: HashSet<&String> = present.iter().collect();
        let mut report = VerifyReport::default();
        for (i, sha) in present.iter().enumerate() {
            progress(i, present.len());
            report.bytes += fs::metadata(self.path_of(sha)).map(|m| m.len()).unwrap_or(0);
            match self.rehash(sha)? {
                Some(actual) if actual != *sha => report.altered.push((sha.clone(), actual)),
                _ => {}
            }
            report.checked += 1;
            if !referenced.contains(sha) {
                report.unreferenced.push(sha.clone());
            }
        }
        report.partial = self.leftovers();
        let mut missing: Vec<String> = referenced.iter().filter(|s| !present_set.contains(s)).cloned().collect();
        missing.sort();
        report.missing = missing;
        Ok(report)
    }

    /// Removes the files nothing refers to and the part files of interrupted attaches (or only
    /// lists them with `dry_run`: the same list either way). Part files are named `tmp/NAME`.
    pub fn gc(&self, referenced: &HashSet<String>, dry_run: bool) -> Result<Collected> {
        let unreferenced: Vec<String> = self.contents()?.into_iter().filter(|s| !referenced.contains(s)).collect();
        let mut collected = Collected::default();
        if dry_run {
            collected.removed = unreferenced;
            collected.removed.extend(self.leftovers());
            return Ok(collected);
        }
        for sha in unreferenced {
            // A file another program holds open (Windows) stays for the next time; the rest go.
            match fs::remove_file(self.path_of(&sha)) {
                Ok(()) => collected.removed.push(sha),
                Err(e) => collected.kept.push((sha, e.to_string())),
            }
        }
        collected.removed.extend(self.sweep_tmp());
        Ok(collected)
    }

    /// Copies stored content out to `dest` (refusing to overwrite a file; a device or `-` is written
    /// through, see `crate::output`), checking its hash on the way.
    pub fn export(&self, sha256: &str, dest: &Path) -> Result<()> {
        let source = File::open(self.path_of(sha256)).map_err(|_| Error::invalid("document", Rule::Missing))?;
        let output = crate::output::Output::create_new(dest)?;
        let mut out = File::create(output.part())?;
        let actual = hash_stream(source, |chunk| out.write_all(chunk))?;
        drop(out);
        if actual != sha256 {
            // Dropped uncommitted: nothing reaches `dest`.
            return Err(Error::invalid("document", Rule::Altered));
        }
        output.commit()
    }
}

/// What `gc` did: the files removed (or, in a dry run, that would be), and those it could not
/// remove now (another program holds them open), each with what the system said.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Collected {
    pub removed: Vec<String>,
    pub kept: Vec<(String, String)>,
}

/// Whether a file's extension claims a type its content is not (a `.pdf` that is a PNG).
pub fn extension_disagrees(name: &str, media_type: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let claimed = match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "tif" | "tiff" => "image/tiff",
        _ => return false,
    };
    claimed != media_type
}

/// A file name as shown: direction controls and other invisible controls made visible
/// (`invoice` U+202E `fdp.exe` shows as `invoice⟦U+202E⟧fdp.exe`), and cut to 255 characters.
pub fn neutralise_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if crate::text::is_direction_control(c) || c.is_control() || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}') {
            out.push_str(&format!("⟦U+{:04X}⟧", c as u32));
        } else {
            out.push(c);
        }
    }
    if out.chars().count() > 255 {
        let keep: String = out.chars().take(254).collect();
        out = format!("{keep}…");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::open(&dir.path().join("vault")).unwrap();
        (dir, v)
    }

    #[test]
    fn stored_once_under_its_hash() {
        let (dir, v) = vault();
        let f = dir.path().join("a.pdf");
        fs::write(&f, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n").unwrap();
        let a = v.store_file(&f, DEFAULT_SIZE_LIMIT).unwrap();
        let b = v.store_file(&f, DEFAULT_SIZE_LIMIT).unwrap();
        assert_eq!(a.media_type, "application/pdf");
        assert!(a.new && !b.new);
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(v.contents().unwrap(), vec![a.sha256.clone()]);
        assert_eq!(fs::read(v.path_of(&a.sha256)).unwrap(), fs::read(&f).unwrap());
        assert_eq!(fs::read_dir(v.root().join("tmp")).unwrap().count(), 0, "no temporary file left");
    }

    #[test]
    fn the_content_decides_the_type_not_the_extension() {
        let (dir, v) = vault();
        let fake = dir.path().join("scan.pdf");
        fs::write(&fake, [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'])
            .unwrap();
        assert_eq!(v.store_file(&fake, DEFAULT_SIZE_LIMIT).unwrap().media_type, "image/png");
        let text = dir.path().join("note.pdf");
        fs::write(&text, "just text").unwrap();
        assert_eq!(v.store_file(&text, DEFAULT_SIZE_LIMIT).unwrap().media_type, "application/octet-stream");
    }

    #[test]
    fn empty_huge_and_unreadable_files_are_refused_and_leave_nothing() {
        let (dir, v) = vault();
        let empty = dir.path().join("empty.pdf");
        fs::write(&empty, b"").unwrap();
        assert_eq!(v.store_file(&empty, DEFAULT_SIZE_LIMIT).unwrap_err().code(), "invalid.empty_file");
        let big = dir.path().join("big.bin");
        fs::write(&big, vec![7u8; 4096]).unwrap();
        assert_eq!(v.store_file(&big, 1000).unwrap_err().code(), "invalid.file_too_large");
        // A stream that grows past the limit (size not known in advance) is cut off too.
        assert_eq!(v.store_reader(std::io::repeat(1).take(5000), 1000).unwrap_err().code(), "invalid.file_too_large");
        assert_eq!(
            v.store_file(&dir.path().join("nope"), DEFAULT_SIZE_LIMIT).unwrap_err().code(),
            "invalid.unreadable"
        );
        assert_eq!(v.store_file(dir.path(), DEFAULT_SIZE_LIMIT).unwrap_err().code(), "invalid.unreadable");
        assert!(v.contents().unwrap().is_empty());
        assert_eq!(fs::read_dir(v.root().join("tmp")).unwrap().count(), 0);
    }

    #[test]
    fn verify_reports_missing_altered_and_unreferenced_and_repairs_nothing() {
        let (dir, v) = vault();
        let mut shas = Vec::new();
        for i in 0..3 {
            let f = dir.path().join(format!("{i}.bin"));
            fs::write(&f, format!("document {i}")).unwrap();
            shas.push(v.store_file(&f, DEFAULT_SIZE_LIMIT).unwrap().sha256);
        }
        let ghost = "0".repeat(64);
        let referenced: HashSet<String> = [shas[0].clone(), shas[1].clone(), ghost.clone()].into_iter().collect();
        fs::write(v.path_of(&shas[1]), "tampered").unwrap();
        let mut steps = 0;
        let r = v.verify(&referenced, |_, _| steps += 1).unwrap();
        assert_eq!(steps, 3);
        assert_eq!(r.missing, vec![ghost]);
        assert_eq!(r.altered.len(), 1);
        assert_eq!(r.altered[0].0, shas[1], "reported with its expected hash");
        assert_eq!(r.unreferenced, vec![shas[2].clone()]);
        assert!(!r.is_clean());
        assert_eq!(fs::read_to_string(v.path_of(&shas[1])).unwrap(), "tampered", "never repaired from a guess");
        // gc lists first, removes only when asked, and only unreferenced files.
        assert_eq!(v.gc(&referenced, true).unwrap().removed, vec![shas[2].clone()]);
        assert!(v.path_of(&shas[2]).exists());
        v.gc(&referenced, false).unwrap();
        assert!(!v.path_of(&shas[2]).exists() && v.path_of(&shas[0]).exists());
    }

    #[test]
    fn export_checks_the_hash_and_never_overwrites() {
        let (dir, v) = vault();
        let f = dir.path().join("a.bin");
        fs::write(&f, "original").unwrap();
        let s = v.store_file(&f, DEFAULT_SIZE_LIMIT).unwrap();
        let out = dir.path().join("copy.bin");
        v.export(&s.sha256, &out).unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "original");
        assert!(v.export(&s.sha256, &out).is_err(), "an existing file is not overwritten");
        fs::write(v.path_of(&s.sha256), "changed").unwrap();
        assert_eq!(v.export(&s.sha256, &dir.path().join("c2.bin")).unwrap_err().code(), "invalid.altered");
        assert!(!dir.path().join("c2.bin").exists());
    }

    #[test]
    fn gc_goes_on_past_a_file_it_cannot_remove_and_says_which() {
        let (dir, v) = vault();
        let mut shas = Vec::new();
        for i in 0..3 {
            let f = dir.path().join(format!("{i}.bin"));
            fs::write(&f, format!("unreferenced {i}")).unwrap();
            shas.push(v.store_file(&f, DEFAULT_SIZE_LIMIT).unwrap().sha256);
        }
        // The first one cannot be removed (on Windows: open in another program; here a folder
        // stands in its place, which remove_file refuses everywhere).
        fs::remove_file(v.path_of(&shas[0])).unwrap();
        fs::create_dir(v.path_of(&shas[0])).unwrap();
        fs::write(v.path_of(&shas[0]).join("inside"), "x").unwrap();
        let collected = v.gc(&HashSet::new(), false).unwrap();
        let mut removed = collected.removed.clone();
        removed.sort();
        let mut others = vec![shas[1].clone(), shas[2].clone()];
        others.sort();
        assert_eq!(removed, others, "the files after it are removed all the same");
        assert_eq!(collected.kept.len(), 1);
        assert_eq!(collected.kept[0].0, shas[0]);
    }

    #[test]
    fn hostile_names_are_shown_neutralised() {
        assert_eq!(neutralise_name("invoice\u{202E}fdp.exe"), "invoice⟦U+202E⟧fdp.exe");
        assert_eq!(neutralise_name("اتفاقية باماكو.pdf"), "اتفاقية باماكو.pdf");
        assert_eq!(neutralise_name(&"x".repeat(1000)).chars().count(), 255);
        assert_eq!(neutralise_name("a\0b"), "a⟦U+0000⟧b");
    }
}
