//! `review list|close|correct`: the reviews changes open, and the decisions that close them.
//! Needs a database (`--db`).

use regtrace_app::Outcome;
use regtrace_app::history::{self, DecisionRequest, ReviewFilter};
use regtrace_render::history as render;

use super::{Format, Globals};
use crate::error::CliError;
use crate::output::{pretty_json, print};

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
        #[arg(long, value_name = "EVENT")]
        cause: Option<i64>,
        /// Only reviews with this verdict: `review` (a full review) or `probably-unaffected`
        /// (the node rests on the change only through a clause the newer edition carries over).
        #[arg(long, value_enum)]
        verdict: Option<VerdictArg>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Close the open reviews of a node with a decision. Decisions are append-only: a closed
    /// review cannot be closed again.
    #[command(
        after_help = "Example:\n  regtrace --db reg.db review close gl-custom-knee --outcome unchanged --by \"Knee WG\""
    )]
    Close {
        #[command(flatten)]
        decision: DecisionArgs,
        /// A free note.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Correct the decision of a closed review. The correction is a new decision that names the
    /// one it corrects; both stay on record, and the correction is the one in force.
    #[command(
        after_help = "Example:\n  regtrace --db reg.db review correct gl-custom-knee --outcome revised --replaced-by gl-custom-knee-2014 --by \"Knee WG\" --note \"closed as unchanged by mistake\""
    )]
    Correct {
        #[command(flatten)]
        decision: DecisionArgs,
        /// Why the decision is corrected (required: the record should say).
        #[arg(long, value_name = "TEXT")]
        note: String,
    },
}

/// A decision on the reviews of a node, as `review close` and `review correct` take it.
#[derive(Debug, Clone, clap::Args)]
pub struct DecisionArgs {
    /// The reviewed node.
    pub id: String,
    /// Only the review opened by this change event (close: default all open reviews of ID;
    /// correct: needed when ID has several closed reviews).
    #[arg(long, value_name = "EVENT")]
    pub event: Option<i64>,
    /// What the review found.
    #[arg(long, value_enum)]
    pub outcome: OutcomeArg,
    /// Who decides.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// With `revised`: the node that replaces the reviewed one.
    #[arg(long, value_name = "ID")]
    pub replaced_by: Option<String>,
}

impl DecisionArgs {
    fn request(&self, note: Option<String>) -> DecisionRequest {
        DecisionRequest {
            id: self.id.clone(),
            event: self.event,
            outcome: match self.outcome {
                OutcomeArg::Unchanged => Outcome::Unchanged,
                OutcomeArg::Revised => Outcome::Revised,
                OutcomeArg::Withdrawn => Outcome::Withdrawn,
            },
            by: self.by.clone(),
            replaced_by: self.replaced_by.clone(),
            note,
        }
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

/// Review outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutcomeArg {
    /// Checked; nothing to change.
    Unchanged,
    /// Revised (name the new node with --replaced-by).
    Revised,
    /// Withdrawn.
    Withdrawn,
}

/// `regtrace review …`.
pub fn run(globals: &Globals, command: &ReviewCommand) -> Result<(), CliError> {
    match command {
        ReviewCommand::List {
            open,
            closed,
            cause,
            verdict,
            format,
        } => {
            let filter = ReviewFilter {
                open: match (open, closed) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
                cause: *cause,
                probably_unaffected: verdict.map(|v| v == VerdictArg::ProbablyUnaffected),
            };
            let data = globals.open_history()?;
            let listing = history::reviews(&data, &filter)?;
            print(&match format {
                Format::Json => render::reviews_json(&listing, pretty_json()),
                Format::Csv => render::reviews_csv(&listing, globals.lang),
                Format::Table => render::reviews_table(&listing, globals.lang),
            });
        }
        ReviewCommand::Close { decision, note } => {
            let closed = history::close(&globals.context, &decision.request(note.clone()))?;
            print(&render::closed(&decision.id, &closed));
        }
        ReviewCommand::Correct { decision, note } => {
            let corrected = history::correct(&globals.context, &decision.request(Some(note.clone())))?;
            print(&render::corrected(&decision.id, &corrected));
        }
    }
    Ok(())
}
