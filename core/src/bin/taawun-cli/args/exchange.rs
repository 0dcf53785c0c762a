//! The flags of the data going in and out: backups and their restore, list exports, bundles
//! between desks, publication to the national registry, and spreadsheet imports.

use super::FilterArgs;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use taawun_core::model::Entity;

#[derive(Args)]
pub(crate) struct BackupArgs {
    #[command(subcommand)]
    pub action: Option<BackupAction>,
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Do not read the written file back to check it (it is checked by default)
    #[arg(long)]
    pub no_verify: bool,
}

#[derive(Args)]
pub(crate) struct ExportArgs {
    pub kind: Entity,
    #[arg(long, default_value = "xlsx")]
    pub format: String,
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    #[command(flatten)]
    pub filters: FilterArgs,
}

#[derive(Args)]
pub(crate) struct BundleArgs {
    #[command(subcommand)]
    pub action: BundleAction,
}

#[derive(Subcommand)]
pub(crate) enum BundleAction {
    /// Write a bundle for another desk: every record, those changed after --since STAMP, or
    /// those changed since the last bundle made --for that desk
    Export {
        #[arg(long, conflicts_with = "for_desk")]
        since: Option<String>,
        /// The desk it is for, as you name it: the next bundle for it carries only what changed since
        #[arg(long = "for")]
        for_desk: Option<String>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Check a bundle whole, then merge it field by field in one transaction
    Import { file: PathBuf },
    /// The fields two desks changed differently, with both values
    Conflicts,
    /// Decide a conflict: keep this desk's value or take the other desk's
    Resolve {
        id: i64,
        #[arg(long, value_parser = ["local", "remote"])]
        take: String,
    },
    /// This desk's identity (council, desk), and its name in the bundles it makes with --name
    Desk {
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Args)]
pub(crate) struct PublishArgs {
    /// The server: postgresql://USER@HOST[:PORT]/DATABASE, or "host=/socket/folder dbname=DATABASE"
    #[arg(long)]
    pub to: String,
}

#[derive(Args)]
pub(crate) struct ImportArgs {
    pub file: PathBuf,
    /// partner, agreement, project or membership (default: told from the column names)
    #[arg(long)]
    pub kind: Option<Entity>,
    /// Columns to fields: "Column=field,Other column=field" (a column by name or number from
    /// 1; an empty field ignores it), a JSON array, or a file holding either
    #[arg(long)]
    pub mapping: Option<String>,
    /// What values of the file mean, for those Taawun does not read: "سارية=in_force,Hollande=NL"
    /// (a value, then a code: a kind, a status or a country code); remembered for the layout
    #[arg(long)]
    pub values: Option<String>,
    /// The worksheet to read (default: the first visible one with data)
    #[arg(long)]
    pub sheet: Option<String>,
    /// The encoding of a CSV file (default: detected; e.g. utf-8, utf-16le, windows-1256)
    #[arg(long)]
    pub encoding: Option<String>,
    /// Show what would happen and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the correct rows and leave out the rows with errors
    #[arg(long)]
    pub skip_errors: bool,
}

#[derive(Subcommand)]
pub(crate) enum BackupAction {
    /// Read a backup through and check every file against its manifest
    Verify { file: PathBuf },
    /// Show the automatic backups (on exit and daily in the window), change them, or make one now
    Auto {
        #[arg(long)]
        enable: bool,
        #[arg(long, conflicts_with = "enable")]
        disable: bool,
        /// Their folder (absolute; "" for backups/ beside the database)
        #[arg(long)]
        folder: Option<String>,
        /// How many to keep
        #[arg(long)]
        keep: Option<usize>,
        /// Make one now into the folder (for a scheduled task)
        #[arg(long)]
        now: bool,
    },
}
