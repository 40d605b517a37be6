//! `review list|close|correct`: the reviews changes open, and the decisions that close them.
//! Needs a database (`--db`).

use regtrace_app::history::{self, DecisionRequest, ReviewFilter};
use regtrace_app::{Outcome, parse};
use regtrace_render::history as render;

use super::{Format, Globals};
use crate::error::CliError;
use crate::output::{pretty_json, print, print_document, terminal};

/// `review` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ReviewCommand {
    /// List reviews (the suspects), each with its title and reason chain; direct ones are one
    /// hop from the change. A review whose node has left the data is shown as orphaned, never
    /// dropped.
    List {
        /// Only open reviews.
        #[arg(long, conflicts_with = "closed")]
        open: bool,
        /// Only closed reviews.
        #[arg(long)]
        closed: bool,
        /// Only reviews opened by this change event (its number).
        #[arg(long, visible_alias = "cause", value_name = "EVENT")]
        event: Option<i64>,
        /// Only the reviews of this node.
        #[arg(long, value_name = "ID")]
        node: Option<String>,
        /// Only reviews of nodes of this kind (repeatable).
        #[arg(short = 'k', long, value_name = "KIND", value_parser = super::word::<regtrace_core::NodeKind>)]
        kind: Vec<regtrace_core::NodeKind>,
        /// Only reviews with this verdict: `review` (a full review) or `probably-unaffected`
        /// (the node rests on the change only through a clause the newer edition carries over).
        #[arg(long, value_enum)]
        verdict: Option<VerdictArg>,
        /// Output format.
        #[arg(short = 'f', long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Close open reviews with a decision: those of a node, or, without ID, every open review of
    /// a change event (--event), narrowed by --verdict and --kind. Prints how many were closed.
    /// Decisions are append-only: a closed review cannot be closed again.
    #[command(
        after_help = "Examples:\n  regtrace --db reg.db review close gl-custom-knee --outcome unchanged --by \"Knee WG\"\n  regtrace --db ed.db import tests/fixtures/editions      (ISO 10993-1, 2009 and 2018)\n  regtrace --db ed.db change record iso-10993-1-2009 --what superseded --date 2018-08-01\n  regtrace --db ed.db review close --event 1 --verdict probably-unaffected \\\n      --outcome unchanged --by \"Standards WG\" --note \"clause carried over unchanged\""
    )]
    Close {
        #[command(flatten)]
        decision: DecisionArgs,
        /// Only reviews with this verdict.
        #[arg(long, value_enum)]
        verdict: Option<VerdictArg>,
        /// Only reviews of nodes of this kind (repeatable).
        #[arg(short = 'k', long, value_name = "KIND", value_parser = super::word::<regtrace_core::NodeKind>)]
        kind: Vec<regtrace_core::NodeKind>,
        /// A free note.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Close every open review of ID even when they come from several changes (one
        /// decision and note for all; without it, that is refused).
        #[arg(long, requires = "id")]
        all: bool,
    },
    /// Correct the decision of a closed review. The correction is a new decision that names the
    /// one it corrects; both stay on record, and the correction is the one in force.
    #[command(
        after_help = "Examples:\n  regtrace --db reg.db review close gl-custom-knee --outcome unchanged --by \"Knee WG\"\n  regtrace --db reg.db review correct gl-custom-knee --outcome revised \\\n      --by \"Knee WG\" --note \"closed as unchanged by mistake\""
    )]
    Correct {
        #[command(flatten)]
        decision: DecisionArgs,
        /// Why the decision is corrected (required: the record should say).
        #[arg(long, value_name = "TEXT")]
        note: String,
    },
}

/// A decision on reviews, as `review close` and `review correct` take it.
#[derive(Debug, Clone, clap::Args)]
pub struct DecisionArgs {
    /// The reviewed node (close: optional with --event or --review; correct: or --review).
    pub id: Option<String>,
    /// The review numbered N, as `review list` shows it (#N).
    #[arg(long, value_name = "N")]
    pub review: Option<i64>,
    /// Only the reviews opened by this change event (close: without ID, all its open reviews;
    /// correct: needed when ID has several closed reviews).
    #[arg(long, value_name = "EVENT")]
    pub event: Option<i64>,
    /// What the review found: unchanged (checked, nothing to change), revised (name the new
    /// node with --replaced-by) or withdrawn.
    #[arg(long, value_parser = words!(Outcome))]
    pub outcome: Outcome,
    /// The day the decision was taken, e.g. the working group's meeting (YYYY-MM-DD; default:
    /// today, the day it is recorded).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Who decides.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// With `revised`: the node that replaces the reviewed one.
    #[arg(long, value_name = "ID")]
    pub replaced_by: Option<String>,
    /// Accept the reference on purpose: the (older) node the reviewed one keeps resting on; the
    /// audit then reports it as accepted, until either end changes again.
    #[arg(long, value_name = "ID", requires = "because")]
    pub keeps: Option<String>,
    /// Why the reference is accepted (with --keeps).
    #[arg(long, value_name = "TEXT", requires = "keeps")]
    pub because: Option<String>,
}

impl DecisionArgs {
    fn request(
        &self,
        note: Option<String>,
        verdict: Option<VerdictArg>,
        kind: &[regtrace_core::NodeKind],
        all: bool,
    ) -> Result<DecisionRequest, CliError> {
        Ok(DecisionRequest {
            id: self.id.clone(),
            review: self.review,
            all,
            event: self.event,
            probably_unaffected: verdict.map(|v| v == VerdictArg::ProbablyUnaffected),
            kinds: kind.to_vec(),
            on: parse::optional_date("--date", self.date.as_deref())?,
            outcome: self.outcome,
            by: self.by.clone(),
            replaced_by: self.replaced_by.clone(),
            note,
            keeps: self.keeps.clone(),
            because: self.because.clone(),
        })
    }
}

/// Review verdicts, for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VerdictArg {
    /// A full review.
    Review,
    /// Probably unaffected: confirm.
    ProbablyUnaffected,
}

/// `regtrace review …`.
pub fn run(globals: &Globals, command: &ReviewCommand) -> Result<(), CliError> {
    match command {
        ReviewCommand::List {
            open,
            closed,
            event,
            node,
            kind,
            verdict,
            format,
        } => {
            let filter = ReviewFilter {
                open: match (open, closed) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
                cause: *event,
                probably_unaffected: verdict.map(|v| v == VerdictArg::ProbablyUnaffected),
                node: node.clone(),
                kinds: kind.to_vec(),
            };
            let data = globals.open_history()?;
            let listing = history::reviews(&data, &filter)?;
            match format {
                Format::Json => print(&render::reviews_json(&listing, pretty_json())),
                Format::Csv => print(&globals.csv(render::reviews_csv(&listing, globals.lang))),
                Format::Table => print_document(&render::reviews_table(&listing, terminal(globals.lang))),
            }
        }
        ReviewCommand::Close {
            decision,
            verdict,
            kind,
            note,
            all,
        } => {
            let request = decision.request(note.clone(), *verdict, kind, *all)?;
            let closed = history::close(&globals.context, &request)?;
            print(&render::closed(&request.subject(), &closed, globals.lang));
        }
        ReviewCommand::Correct { decision, note } => {
            let request = decision.request(Some(note.clone()), None, &[], false)?;
            let corrected = history::correct(&globals.context, &request)?;
            print(&render::corrected(&request.subject(), &corrected, globals.lang));
        }
    }
    Ok(())
}
