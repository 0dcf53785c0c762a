//! The one error type of taawun-core, and its translated report for users.
//!
//! Every error has a stable `code` (what the UI and scripts match on) and a translated message
//! that says what the user can do. Validation errors name the field they concern so forms can
//! show the message next to it.

use crate::i18n::{tr, tr_args, Lang};
use serde::Serialize;
use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a field's value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Required,
    TooLong,
    ControlCharacters,
    /// U+FFFD: bytes lost in a conversion.
    Undecodable,
    /// A CSV quote that opens a cell and is never closed.
    UnclosedQuote,
    /// An Excel 4 workbook (BIFF4W): several sheets Taawun does not read apart.
    OldExcelWorkbook,
    DirectionControls,
    BadDate,
    /// A day the calendar does not have (31 June, 29 February 2023).
    NoSuchDay,
    EndBeforeStart,
    NegativeAmount,
    AmountTooLarge,
    BadAmount,
    UnknownValue,
    BadEmail,
    TooFewParties,
    DuplicateParty,
    OutOfRange,
    EmptyFile,
    FileTooLarge,
    Unreadable,
    Missing,
    Altered,
    NotPreviewable,
    PreviewTooLarge,
    OrdinaryMonth,
    NeedsDay,
    AfterSession,
    BadTime,
    MoreThanInOffice,
    VotesExceedPresent,
    OutcomeContradictsVote,
    AlreadyDecided,
    NotDecided,
    ReceiptBeforeSending,
    SessionNotHeld,
    DuplicateNumber,
    NoVisaNeeded,
    NotOnAgenda,
    NotSpreadsheet,
    EmptySheet,
    TooManyRows,
    UnknownPartner,
    UnknownPartnerNoCountry,
    UnknownAgreement,
    DuplicateRow,
    AmbiguousMatch,
    FileChanged,
    RowsWithErrors,
    FolderMissing,
    WrongEncoding,
    PasswordProtected,
    DamagedFile,
    OverInflated,
    NulBytes,
    TieNeedsPresident,
    BadAddress,
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::TooLong => "too_long",
            Rule::ControlCharacters => "control_characters",
            Rule::Undecodable => "undecodable",
            Rule::UnclosedQuote => "unclosed_quote",
            Rule::OldExcelWorkbook => "old_excel_workbook",
            Rule::DirectionControls => "direction_controls",
            Rule::BadDate => "bad_date",
            Rule::NoSuchDay => "no_such_day",
            Rule::EndBeforeStart => "end_before_start",
            Rule::NegativeAmount => "negative_amount",
            Rule::AmountTooLarge => "amount_too_large",
            Rule::BadAmount => "bad_amount",
            Rule::UnknownValue => "unknown_value",
            Rule::BadEmail => "bad_email",
            Rule::TooFewParties => "too_few_parties",
            Rule::DuplicateParty => "duplicate_party",
            Rule::OutOfRange => "out_of_range",
            Rule::EmptyFile => "empty_file",
            Rule::FileTooLarge => "file_too_large",
            Rule::Unreadable => "unreadable",
            Rule::Missing => "missing",
            Rule::Altered => "altered",
            Rule::NotPreviewable => "not_previewable",
            Rule::PreviewTooLarge => "preview_too_large",
            Rule::OrdinaryMonth => "ordinary_month",
            Rule::NeedsDay => "needs_day",
            Rule::AfterSession => "after_session",
            Rule::BadTime => "bad_time",
            Rule::MoreThanInOffice => "more_than_in_office",
            Rule::VotesExceedPresent => "votes_exceed_present",
            Rule::OutcomeContradictsVote => "outcome_contradicts_vote",
            Rule::AlreadyDecided => "already_decided",
            Rule::NotDecided => "not_decided",
            Rule::ReceiptBeforeSending => "receipt_before_sending",
            Rule::SessionNotHeld => "session_not_held",
            Rule::DuplicateNumber => "duplicate_number",
            Rule::NoVisaNeeded => "no_visa_needed",
            Rule::NotOnAgenda => "not_on_agenda",
            Rule::NotSpreadsheet => "not_spreadsheet",
            Rule::EmptySheet => "empty_sheet",
            Rule::TooManyRows => "too_many_rows",
            Rule::UnknownPartner => "unknown_partner",
            Rule::UnknownPartnerNoCountry => "unknown_partner_no_country",
            Rule::UnknownAgreement => "unknown_agreement",
            Rule::DuplicateRow => "duplicate_row",
            Rule::AmbiguousMatch => "ambiguous_match",
            Rule::FileChanged => "file_changed",
            Rule::RowsWithErrors => "rows_with_errors",
            Rule::FolderMissing => "folder_missing",
            Rule::WrongEncoding => "wrong_encoding",
            Rule::PasswordProtected => "password_protected",
            Rule::DamagedFile => "damaged_file",
            Rule::BadAddress => "bad_address",
            Rule::OverInflated => "over_inflated",
            Rule::NulBytes => "nul_bytes",
            Rule::TieNeedsPresident => "tie_needs_president",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid {field}: {}", rule.code())]
    Invalid { field: String, rule: Rule, row: Option<usize> },
    /// Several fields of one record wrong at once (a form checked whole, `model::Checks`): each
    /// field's error, in the form's order; the first stands for all where one error is told.
    #[error("{} invalid fields", .0.len())]
    Fields(Vec<Error>),
    #[error("{kind} {id} not found")]
    NotFound { kind: &'static str, id: i64 },
    #[error("{kind} {id} is still referenced by {count} record(s)")]
    Referenced { kind: &'static str, id: i64, count: usize, by: String },
    #[error("{kind} {id} depends on a deleted {needs}")]
    NeedsRestore { kind: &'static str, id: i64, needs: String },
    #[error("database schema {found} is newer than this Taawun ({supported})")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("{0} is not a Taawun database")]
    NotTaawun(PathBuf),
    #[error("{0} is open in another Taawun window")]
    Locked(PathBuf),
    #[error("the record was changed elsewhere; reload it")]
    Conflict,
    /// A spreadsheet whose columns do not tell the kind of records it holds, with those columns.
    #[error("choose the kind of records (columns not recognised: {columns:?})")]
    KindNotTold { columns: Vec<String> },
    #[error("disk full")]
    DiskFull,
    /// A file given as a backup that is not a whole one: cut short, altered, or no backup at all.
    /// `to`: the damage is somewhere from `offset` to it (an entry whose content does not match
    /// its hash: the hash cannot say where).
    #[error("damaged backup {path} at byte {offset} ({entry})")]
    BackupDamaged { path: PathBuf, entry: String, offset: u64, to: Option<u64> },
    /// The national registry's server could not be reached, or refused what was sent.
    #[error("the server {target} answered: {detail}")]
    Server { target: String, detail: String },
    #[error("the national schema {found} is newer than this Taawun ({supported})")]
    ServerSchemaTooNew { found: i32, supported: i32 },
    /// A record whose UUID another council has published: the desk holds another council's records.
    #[error("record {uuid} was published by {council}")]
    OtherCouncil { uuid: String, council: String },
    /// A bundle from another desk that cannot be applied: `problem` is `damaged`, `too_new`,
    /// `other_council` or `incomplete`; `detail` says what.
    #[error("bundle {problem}: {detail}")]
    Bundle { problem: &'static str, detail: String },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// An output that could not be written (see `crate::output`): nothing was written there.
    #[error("cannot write {path}: {problem:?}")]
    Output { path: PathBuf, problem: OutputProblem },
    #[error("file error: {0}")]
    Io(std::io::Error),
    #[error("data error: {0}")]
    Json(#[from] serde_json::Error),
}

/// Why an output could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputProblem {
    /// The path is a folder.
    Folder,
    /// The folder it would go in does not exist.
    NoFolder,
    Denied,
    ReadOnly,
    /// Symbolic links that lead back to themselves.
    Loop,
    /// A file is there, and this output does not replace one (an exported original).
    Exists,
    /// Another program holds the file open (Windows: a PDF in a viewer, an export in Excel).
    InUse,
    DiskFull,
    /// Anything else, as the system said it.
    Failed(String),
}

impl OutputProblem {
    /// What a system error says of an output.
    pub fn of(e: &std::io::Error) -> OutputProblem {
        use std::io::ErrorKind;
        match e.raw_os_error() {
            Some(n) if crate::platform::is_no_room(n) => return OutputProblem::DiskFull,
            Some(n) if crate::platform::is_in_use(n) => return OutputProblem::InUse,
            _ => {}
        }
        match e.kind() {
            ErrorKind::PermissionDenied => OutputProblem::Denied,
            ErrorKind::NotFound | ErrorKind::NotADirectory => OutputProblem::NoFolder,
            ErrorKind::IsADirectory => OutputProblem::Folder,
            ErrorKind::ReadOnlyFilesystem => OutputProblem::ReadOnly,
            ErrorKind::StorageFull | ErrorKind::FileTooLarge | ErrorKind::QuotaExceeded => OutputProblem::DiskFull,
            _ => OutputProblem::Failed(e.to_string()),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            OutputProblem::Folder => "folder",
            OutputProblem::NoFolder => "no_folder",
            OutputProblem::Denied => "denied",
            OutputProblem::ReadOnly => "read_only",
            OutputProblem::Loop => "loop",
            OutputProblem::Exists => "exists",
            OutputProblem::InUse => "in_use",
            OutputProblem::DiskFull => "disk_full",
            OutputProblem::Failed(_) => "failed",
        }
    }
}

impl From<crate::i18n::UnknownLang> for Error {
    fn from(_: crate::i18n::UnknownLang) -> Self {
        Error::invalid("lang", Rule::UnknownValue)
    }
}

impl From<std::io::Error> for Error {
    /// A full disk (or quota, or the file-size limit of the system) is one thing to the user:
    /// there is no room; say so instead of a raw system message.
    fn from(e: std::io::Error) -> Self {
        match e.raw_os_error() {
            Some(n) if crate::platform::is_no_room(n) => Error::DiskFull,
            _ => Error::Io(e),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::NotADatabase) => Error::NotTaawun(PathBuf::new()),
            _ => Error::Sqlite(e),
        }
    }
}

impl Error {
    pub fn invalid(field: &str, rule: Rule) -> Self {
        Error::Invalid { field: field.to_string(), rule, row: None }
    }

    /// Says which row of a repeated group (contacts, budget lines, activities) is wrong.
    pub fn in_row(self, index: usize) -> Self {
        match self {
            Error::Invalid { field, rule, .. } => Error::Invalid { field, rule, row: Some(index) },
            Error::Fields(all) => Error::Fields(all.into_iter().map(|e| e.in_row(index)).collect()),
            other => other,
        }
    }

    /// The row of a repeated group the error concerns, counted from 0.
    pub fn row(&self) -> Option<usize> {
        match self {
            Error::Invalid { row, .. } => *row,
            Error::Fields(all) => all[0].row(),
            _ => None,
        }
    }

    /// Each field's error of a record checked whole; any other error alone.
    pub fn into_each(self) -> Vec<Error> {
        match self {
            Error::Fields(all) => all,
            one => vec![one],
        }
    }

    /// Stable code for scripts and the UI.
    pub fn code(&self) -> String {
        match self {
            Error::Fields(all) => all[0].code(),
            Error::Invalid { rule, .. } => format!("invalid.{}", rule.code()),
            Error::NotFound { .. } => "not_found".into(),
            Error::Referenced { .. } => "referenced".into(),
            Error::NeedsRestore { .. } => "needs_restore".into(),
            Error::SchemaTooNew { .. } => "schema_too_new".into(),
            Error::NotTaawun(_) => "not_taawun".into(),
            Error::Locked(_) => "locked".into(),
            Error::Conflict => "conflict".into(),
            Error::KindNotTold { .. } => "kind_not_told".into(),
            Error::DiskFull => "disk_full".into(),
            Error::BackupDamaged { .. } => "backup_damaged".into(),
            Error::Server { .. } => "server".into(),
            Error::ServerSchemaTooNew { .. } => "server_schema_too_new".into(),
            Error::OtherCouncil { .. } => "other_council".into(),
            Error::Bundle { problem, .. } => format!("bundle.{problem}"),
            Error::Sqlite(e) if is_busy(e) => "busy".into(),
            Error::Sqlite(_) => "database".into(),
            Error::Output { problem, .. } => format!("output.{}", problem.code()),
            Error::Io(_) => "io".into(),
            Error::Json(_) => "data".into(),
        }
    }

    /// The message for the user, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let code = self.code();
        match self {
            // Every field's message, a line each (the window places each beside its field).
            Error::Fields(all) => all.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join("\n"),
            Error::Invalid { field, .. } => {
                let field_name = tr(lang, &format!("field.{field}"));
                tr_args(lang, &format!("error.{code}"), &[("field", &field_name)])
            }
            Error::NotFound { kind, id }
            | Error::Referenced { kind, id, .. }
            | Error::NeedsRestore { kind, id, .. } => {
                let what = tr(lang, &format!("entity.{kind}"));
                // `by` lists "kind:count" (or "kind") pairs; name the kinds in the user's language.
                let raw = match self {
                    Error::Referenced { by, .. } => by.as_str(),
                    Error::NeedsRestore { needs, .. } => needs.as_str(),
                    _ => "",
                };
                let by = raw
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|part| match part.split_once(':') {
                        Some((k, n)) => format!("{}: {n}", tr(lang, &format!("entity.{k}"))),
                        None => tr(lang, &format!("entity.{part}")),
                    })
                    .collect::<Vec<_>>()
                    .join(lang.list_separator());
                let count = match self {
                    Error::Referenced { count, .. } => count.to_string(),
                    _ => String::new(),
                };
                tr_args(
                    lang,
                    &format!("error.{code}"),
                    &[("what", &what), ("id", &id.to_string()), ("by", &by), ("count", &count)],
                )
            }
            Error::SchemaTooNew { found, supported } => tr_args(
                lang,
                "error.schema_too_new",
                &[("found", &found.to_string()), ("supported", &supported.to_string())],
            ),
            Error::NotTaawun(p) | Error::Locked(p) => {
                tr_args(lang, &format!("error.{code}"), &[("path", &p.display().to_string())])
            }
            Error::Sqlite(e) => tr_args(lang, &format!("error.{code}"), &[("detail", &e.to_string())]),
            Error::Output { path, problem } => {
                let detail = match problem {
                    OutputProblem::Failed(detail) => detail.as_str(),
                    _ => "",
                };
                let why = tr_args(lang, &format!("error.output_why.{}", problem.code()), &[("detail", detail)]);
                tr_args(lang, "error.output", &[("path", &path.display().to_string()), ("why", &why)])
            }
            Error::Io(e) => tr_args(lang, &format!("error.{code}"), &[("detail", &e.to_string())]),
            Error::Json(e) => tr_args(lang, "error.data", &[("detail", &e.to_string())]),
            Error::Conflict | Error::DiskFull => tr(lang, &format!("error.{code}")),
            Error::Server { target, detail } => {
                tr_args(lang, "error.server", &[("target", target), ("detail", detail)])
            }
            Error::ServerSchemaTooNew { found, supported } => tr_args(
                lang,
                "error.server_schema_too_new",
                &[("found", &found.to_string()), ("supported", &supported.to_string())],
            ),
            Error::Bundle { detail, .. } => tr_args(lang, &format!("error.{code}"), &[("detail", detail)]),
            Error::OtherCouncil { uuid, council } => {
                tr_args(lang, "error.other_council", &[("uuid", uuid), ("council", council)])
            }
            Error::KindNotTold { columns } if columns.is_empty() => tr(lang, "error.kind_ambiguous"),
            Error::KindNotTold { columns } => {
                let list = columns.iter().map(|c| format!("«{c}»")).collect::<Vec<_>>();
                tr_args(lang, "error.kind_not_told", &[("columns", &list.join(lang.list_separator()))])
            }
            Error::BackupDamaged { path, entry, offset, to } => {
                let entry = if entry.is_empty() {
                    String::new()
                } else {
                    tr_args(lang, "error.backup_damaged_in", &[("entry", entry)])
                };
                let (path, offset) = (path.display().to_string(), offset.to_string());
                match to {
                    Some(to) => tr_args(
                        lang,
                        "error.backup_damaged_between",
                        &[("path", &path), ("offset", &offset), ("to", &to.to_string()), ("entry", &entry)],
                    ),
                    None => tr_args(
                        lang,
                        "error.backup_damaged",
                        &[("path", &path), ("offset", &offset), ("entry", &entry)],
                    ),
                }
            }
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::Fields(all) => all[0].field(),
            Error::KindNotTold { .. } => Some("kind"),
            _ => None,
        }
    }

    pub fn report(&self, lang: Lang) -> ErrorReport {
        match self {
            // The first field's error, and the others beside it.
            Error::Fields(all) => {
                ErrorReport { others: all[1..].iter().map(|e| e.report(lang)).collect(), ..all[0].report(lang) }
            }
            _ => ErrorReport {
                code: self.code(),
                message: self.message(lang),
                field: self.field().map(str::to_string),
                row: self.row(),
                others: Vec::new(),
            },
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

/// What crosses to the UI and to `--json` output: `{code, message, field, row}`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ErrorReport {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a field of a repeated group: which row (from 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The other fields wrong in the same record, each as its own report (a form checked whole).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<ErrorReport>,
}

impl From<Error> for ErrorReport {
    fn from(e: Error) -> Self {
        e.report(Lang::default())
    }
}
