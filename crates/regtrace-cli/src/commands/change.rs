//! `change record|list`: the kept history of changes. Needs a database (`--db`).

use regtrace_app::history::{self, ChangeRequest};
use regtrace_app::parse;
use regtrace_render::history as render;

use super::{Format, Globals, Words};
use crate::error::CliError;
use crate::output::{pretty_json, print, print_document, terminal};

/// `change` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ChangeCommand {
    /// Record a change on a node and open a review for every node its impact reaches.
    ///
    /// The impact is computed for the change's date: nodes no longer in force then (withdrawn,
    /// superseded) are skipped and listed; nodes that come into force later are reviewed (one
    /// published after the change that still rests on what changed is a stale reference). Each
    /// review keeps the reason chain of that moment, one that carries the change. Naming a new
    /// edition that nothing rests on yet records the change on the editions it supersedes. A
    /// change that opens no review says why. Events are append-only.
    #[command(
        after_help = "Examples:\n  regtrace --db reg.db change record jp-pal-revision-2013 --what \"law revised\" --date 2013-11-20\n  regtrace --db pump.db import tests/fixtures/pump/v1     (an infusion pump, IEC 60601-1)\n  regtrace --db pump.db import tests/fixtures/pump/v2 --merge     (its edition 3.2)\n  regtrace --db pump.db change record iec-60601-1-ed3.2 --what \"ed. 3.2\" --date 2020-08-20"
    )]
    Record {
        /// The node that changed.
        id: String,
        /// What happened, in words (e.g. "new edition iso-10993-1-2018").
        #[arg(long, value_name = "TEXT")]
        what: String,
        /// When the change took effect (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        date: String,
        /// A free note.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Who records it.
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        /// Open reviews for nodes of these kinds (repeatable; default: the catalog's `[review]
        /// kinds`, see `regtrace catalog`: guidelines, evaluation indices and items, test
        /// methods and devices).
        #[arg(short = 'k', long, value_name = "KIND", value_parser = super::word::<regtrace_core::NodeKind>)]
        kind: Vec<regtrace_core::NodeKind>,
        /// Output format: a summary, or JSON (the events, their review counts and what was
        /// skipped).
        #[arg(short = 'f', long, value_enum, default_value_t = Words::Table)]
        format: Words,
    },
    /// List recorded change events, oldest first, with the changed node's title.
    List {
        /// Output format.
        #[arg(short = 'f', long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// `regtrace change …`.
pub fn run(globals: &Globals, command: &ChangeCommand) -> Result<(), CliError> {
    match command {
        ChangeCommand::Record {
            id,
            what,
            date,
            note,
            by,
            kind,
            format,
        } => {
            let request = ChangeRequest {
                kinds: kind.to_vec(),
                date: parse::date("--date", date)?,
                id: id.clone(),
                what: what.clone(),
                note: note.clone(),
                by: by.clone(),
            };
            let recorded = history::record_change(&globals.context, &request)?;
            print(&match format {
                Words::Table => render::recorded(&recorded, globals.lang),
                Words::Json => render::recorded_json(&recorded, pretty_json()),
            });
        }
        ChangeCommand::List { format } => {
            let data = globals.open_history()?;
            let events = history::events(&data)?;
            match format {
                Format::Json => print(&render::events_json(&events, pretty_json())),
                Format::Csv => print(&globals.csv(match data.compact() {
                    Some(view) => render::events_csv(&view, &events, globals.lang),
                    None => render::events_csv(data.graph()?, &events, globals.lang),
                })),
                Format::Table => print_document(&match data.compact() {
                    Some(view) => render::events_table(&view, &events, terminal(globals.lang)),
                    None => render::events_table(data.graph()?, &events, terminal(globals.lang)),
                }),
            }
        }
    }
    Ok(())
}
