//! The flags of the council sessions' subcommands: sessions and their legal steps, agenda
//! points, votes, the notification, opposition and visa, what is due, the legal settings, the
//! session's papers and the calendar file.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Args)]
pub(crate) struct SessionArgs {
    #[command(subcommand)]
    pub action: SessionAction,
}

#[derive(Args)]
pub(crate) struct PointArgs {
    #[command(subcommand)]
    pub action: PointAction,
}

#[derive(Args)]
pub(crate) struct DeliberateArgs {
    pub point: i64,
    #[arg(long = "for")]
    pub votes_for: u32,
    #[arg(long, default_value_t = 0)]
    pub against: u32,
    #[arg(long, default_value_t = 0)]
    pub abstain: u32,
    /// Members present (default: the votes cast)
    #[arg(long)]
    pub present: Option<u32>,
    /// approved, rejected, postponed or withdrawn
    #[arg(long)]
    pub outcome: String,
    /// The day of the vote (default: the session's last sitting)
    #[arg(long)]
    pub on: Option<String>,
    /// The deliberation number (default: from the pattern, e.g. 2019/7)
    #[arg(long, default_value = "")]
    pub number: String,
    #[arg(long, default_value = "")]
    pub text: String,
    /// How the president voted (for, against, abstained): it decides a tie (art. 44)
    #[arg(long, default_value = "not_recorded")]
    pub president: String,
}

#[derive(Args)]
pub(crate) struct NotifyArgs {
    pub session: i64,
    #[arg(long)]
    pub sent: String,
    #[arg(long, default_value = "")]
    pub receipt: String,
}

#[derive(Args)]
pub(crate) struct OpposeArgs {
    pub deliberation: i64,
    #[arg(long)]
    pub on: String,
    #[arg(long, default_value = "")]
    pub reason: String,
}

#[derive(Args)]
pub(crate) struct VisaArgs {
    pub deliberation: i64,
    #[arg(long)]
    pub status: String,
    #[arg(long, default_value = "")]
    pub on: String,
    #[arg(long, default_value = "")]
    pub reference: String,
}

#[derive(Args)]
pub(crate) struct PrintArgs {
    pub kind: String,
    #[arg(long)]
    pub session: i64,
    #[arg(long)]
    pub point: Option<i64>,
    #[arg(long, default_value = "ar")]
    pub lang: String,
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Args)]
pub(crate) struct CalendarArgs {
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// The day the deadlines are open at (today if none)
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Args)]
pub(crate) struct DueArgs {
    /// The day to look from (default: today)
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Args)]
pub(crate) struct LegalArgs {
    #[arg(long)]
    pub notify_days: Option<u32>,
    #[arg(long)]
    pub opposition_days: Option<u32>,
    #[arg(long)]
    pub visa_days: Option<u32>,
    #[arg(long)]
    pub convocation_days: Option<u32>,
    #[arg(long)]
    pub quorum: Option<f64>,
    #[arg(long)]
    pub number_pattern: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum SessionAction {
    /// A session from flags (or a JSON object with --from-json)
    Add {
        /// ordinary or extraordinary
        #[arg(long, default_value = "ordinary")]
        kind: String,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        month: Option<u32>,
        #[arg(long)]
        number: Option<u32>,
        /// A sitting: DATE, DATE@TIME or DATE@TIME@PLACE (repeatable); an ordinary session
        /// without one gets its proposed date, the second Monday of the month
        #[arg(long = "sitting")]
        sittings: Vec<String>,
        #[arg(long, default_value = "")]
        convocation: String,
        #[arg(long)]
        members: Option<u32>,
        /// Who asked for an extraordinary session: members_third, members_majority or governor
        /// (arts. 37, 38 of Organic Law 112-14)
        #[arg(long, default_value = "president")]
        requested_by: String,
        /// When it was asked (the delays of arts. 37 and 38 run from it)
        #[arg(long, default_value = "")]
        requested_on: String,
        #[arg(long)]
        from_json: Option<PathBuf>,
    },
    /// Record the session's legal steps (dates; "" clears one): agenda to the governor (art. 39)
    /// and its receipt (arts. 40, 42), convocations (art. 36), the president's extension in days
    /// (art. 35; 0 removes it), attendance copy (art. 68), minutes to members and posting (art. 217)
    Steps {
        id: i64,
        #[arg(long)]
        agenda_sent: Option<String>,
        #[arg(long)]
        agenda_received: Option<String>,
        #[arg(long)]
        convocation: Option<String>,
        #[arg(long)]
        extension: Option<u32>,
        #[arg(long)]
        attendance_sent: Option<String>,
        #[arg(long)]
        minutes_to_members: Option<String>,
        #[arg(long)]
        decisions_posted: Option<String>,
    },
    List {
        #[arg(long)]
        year: Option<i32>,
    },
    Show {
        id: i64,
    },
}

#[derive(Subcommand)]
pub(crate) enum PointAction {
    /// Add a point at the end of a session's agenda
    Add {
        #[arg(long)]
        session: i64,
        #[arg(long, conflicts_with_all = ["project", "membership"])]
        agreement: Option<i64>,
        #[arg(long, conflicts_with = "membership")]
        project: Option<i64>,
        #[arg(long)]
        membership: Option<i64>,
        #[arg(long, default_value = "")]
        title: String,
        #[arg(long, default_value = "")]
        rapporteur: String,
        #[arg(long, default_value = "")]
        note_ar: String,
        #[arg(long, default_value = "")]
        note_fr: String,
        /// The earlier point this one examines again (after an opposition)
        #[arg(long)]
        reexamines: Option<i64>,
    },
    /// Move a point to place N (from 1) of its agenda
    Move {
        id: i64,
        #[arg(long)]
        to: usize,
    },
    List {
        #[arg(long)]
        session: i64,
    },
}
