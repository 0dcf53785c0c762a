//! Where Taawun writes what it is asked to write: the `-o` of every command of the CLI, the file
//! the window's save dialog chose. Nothing written may harm what it is pointed at:
//!
//! - a regular file, or a path where nothing is yet, is written whole beside it and renamed over
//!   it, so that it is complete or untouched, never half written;
//! - a symbolic link is followed first (a link to a link too): the file it points at is replaced
//!   and the link is kept, still pointing at it;
//! - a device (`/dev/null`, a printer's device, `/dev/full`), a FIFO, or `-` (standard output) is
//!   written through, never renamed over (that would replace the device node itself with a
//!   regular file). What goes to it is made first in a part file of the system's temporary
//!   folder, so a failed paper writes nothing to the stream, then copied into it: an error
//!   writing there (`/dev/full`) is an error, not a success;
//! - a folder, a folder that does not exist, a place that cannot be written are errors that name
//!   the path and say why, translated (`Error::Output`); a write that fails leaves nothing
//!   behind, neither part file nor owner file, and the target as it was.
//!
//! Parts are owned (`crate::parts`), so a write killed midway is swept by the next one.

use crate::error::{Error, OutputProblem, Result};
use crate::parts::Owner;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The file name that means standard output.
pub const STDOUT: &str = "-";

/// How many links are followed before a path is taken for a loop (as the system does).
const MAX_LINKS: usize = 40;

/// Set once something was written to standard output: the CLI then says what it did on standard
/// error, so that its report does not run into the PDF a pipe is reading.
static STDOUT_WRITTEN: AtomicBool = AtomicBool::new(false);

/// Whether an output of this process went to standard output.
pub fn stdout_written() -> bool {
    STDOUT_WRITTEN.load(Ordering::Relaxed)
}

/// What a destination is, once its links are followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// A regular file, or nothing yet: replaced by renaming (the real path, links followed).
    Replace(PathBuf),
    /// A device or a FIFO: written through.
    Stream(PathBuf),
    /// `-`.
    Stdout,
}

/// Where `dest` leads: standard output, a stream, or a file to replace (its real path).
pub fn destination(dest: &Path) -> Result<Destination> {
    if dest.as_os_str() == STDOUT {
        return Ok(Destination::Stdout);
    }
    let problem = |problem| Error::Output { path: dest.to_path_buf(), problem };
    let mut path = dest.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return new_file(dest, path),
            Err(e) => return Err(problem(OutputProblem::of(&e))),
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            let target = fs::read_link(&path).map_err(|e| problem(OutputProblem::of(&e)))?;
            path = match path.parent() {
                Some(dir) => dir.join(target),
                None => target,
            };
            continue;
        }
        if kind.is_dir() {
            return Err(problem(OutputProblem::Folder));
        }
        if kind.is_file() {
            return Ok(Destination::Replace(path));
        }
        return Ok(Destination::Stream(path));
    }
    Err(problem(OutputProblem::Loop))
}

/// A path where nothing is yet: a file to create, in a folder that must exist.
fn new_file(dest: &Path, path: PathBuf) -> Result<Destination> {
    let dir = folder_of(&path);
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(Destination::Replace(path)),
        Ok(_) => Err(Error::Output { path: dest.to_path_buf(), problem: OutputProblem::NoFolder }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Err(Error::Output { path: dest.to_path_buf(), problem: OutputProblem::NoFolder })
        }
        Err(e) => Err(Error::Output { path: dest.to_path_buf(), problem: OutputProblem::of(&e) }),
    }
}

/// The folder a file path is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// An output being written: a part file that becomes the destination on `commit`, or is removed
/// (with its owner file) if dropped before.
pub struct Output {
    dest: PathBuf,
    to: Destination,
    /// An existing file at the destination is refused, not replaced (`create_new`).
    keep_existing: bool,
    owner: Option<Owner>,
    part: PathBuf,
}

impl Output {
    /// Starts an output to `dest`: its part is beside the real file for a file, in the system's
    /// temporary folder for a stream.
    pub fn create(dest: &Path) -> Result<Output> {
        Output::start(dest, false)
    }

    /// As `create`, but an existing file at `dest` (links followed) is refused: a signed
    /// original exported never replaces another file.
    pub fn create_new(dest: &Path) -> Result<Output> {
        Output::start(dest, true)
    }

    fn start(dest: &Path, keep_existing: bool) -> Result<Output> {
        let to = destination(dest)?;
        if keep_existing {
            refuse_existing(dest, &to)?;
        }
        let dir = match &to {
            Destination::Replace(path) => folder_of(path).to_path_buf(),
            Destination::Stream(_) | Destination::Stdout => std::env::temp_dir(),
        };
        // What writers killed here before left goes first (never a live writer's parts).
        crate::parts::sweep(&dir);
        let owner = Owner::claim(&dir).map_err(|e| named(dest, e))?;
        let part = owner.part("taawun-part");
        Ok(Output { dest: dest.to_path_buf(), to, keep_existing, owner: Some(owner), part })
    }

    /// The part file to write (and, for a backup, read back) before `commit`.
    pub fn part(&self) -> &Path {
        &self.part
    }

    /// Another part file of this output's writer, in the same folder (a backup's snapshot).
    pub fn other_part(&self, what: &str) -> PathBuf {
        self.owner.as_ref().expect("an output not yet committed").part(what)
    }

    /// Where the output goes, links followed.
    pub fn destination(&self) -> &Destination {
        &self.to
    }

    /// Makes the written part the destination: renamed over the file (flushed first, the folder
    /// flushed after), or copied into the stream and removed.
    pub fn commit(mut self) -> Result<()> {
        let result = match &self.to {
            Destination::Replace(path) => (|| -> Result<()> {
                if self.keep_existing {
                    // Again at the last moment: a file may have come there meanwhile.
                    refuse_existing(&self.dest, &self.to)?;
                }
                keep_permissions(path, &self.part);
                // Opened for writing: Windows flushes only a handle that may write.
                File::options().write(true).open(&self.part)?.sync_all()?;
                fs::rename(&self.part, path).map_err(|e| crate::platform::replace_error(e, path))?;
                Ok(crate::platform::sync_dir(folder_of(path))?)
            })(),
            Destination::Stream(path) => {
                (|| -> Result<()> { stream_into(&mut File::options().write(true).open(path)?, &self.part) })()
            }
            Destination::Stdout => {
                STDOUT_WRITTEN.store(true, Ordering::Relaxed);
                stream_into(&mut io::stdout().lock(), &self.part)
            }
        };
        self.finish();
        result.map_err(|e| self.named(e))
    }

    /// An error about this output, naming its path.
    fn named(&self, e: Error) -> Error {
        named(&self.dest, e)
    }

    /// Removes the part (if still there) and gives the claim up.
    fn finish(&mut self) {
        let _ = fs::remove_file(&self.part);
        drop(self.owner.take());
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A system error while writing `dest`, said of it (a full disk included).
fn named(dest: &Path, e: Error) -> Error {
    match e {
        // The reader of standard output went away (`| head`): the CLI ends quietly on that.
        Error::Io(io) if io.kind() == io::ErrorKind::BrokenPipe => Error::Io(io),
        Error::Io(io) => Error::Output { path: dest.to_path_buf(), problem: OutputProblem::of(&io) },
        Error::DiskFull => Error::Output { path: dest.to_path_buf(), problem: OutputProblem::DiskFull },
        other => other,
    }
}

/// `OutputProblem::Exists` when a file is at the destination.
fn refuse_existing(dest: &Path, to: &Destination) -> Result<()> {
    match to {
        Destination::Replace(path) if fs::symlink_metadata(path).is_ok() => {
            Err(Error::Output { path: dest.to_path_buf(), problem: OutputProblem::Exists })
        }
        _ => Ok(()),
    }
}

/// A file replaced keeps its permissions (a paper kept read-only for the group stays so).
fn keep_permissions(target: &Path, part: &Path) {
    if let Ok(meta) = fs::metadata(target) {
        let _ = fs::set_permissions(part, meta.permissions());
    }
}

/// Copies the part into a stream and flushes it: an error writing there is the output's error.
fn stream_into(out: &mut impl Write, part: &Path) -> Result<()> {
    let mut from = File::open(part)?;
    io::copy(&mut from, out)?;
    out.flush()?;
    Ok(())
}

/// Writes what `render` writes to `dest` (see the module): the one way Taawun writes an output.
pub fn write_output(dest: &Path, render: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>) -> Result<()> {
    let output = Output::create(dest)?;
    let written = (|| -> Result<()> {
        let mut out = BufWriter::new(File::create(output.part())?);
        render(&mut out)?;
        out.flush()?;
        Ok(())
    })();
    match written {
        Ok(()) => output.commit(),
        Err(e) => Err(output.named(e)),
    }
}
