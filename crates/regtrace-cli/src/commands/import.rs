//! `import` and `check`: source files validated, and stored.

use std::path::PathBuf;

use regtrace_app::history::{self, ImportMode, ImportOptions, Recording};
use regtrace_app::parse;

use super::Globals;
use crate::error::CliError;
use crate::output::print;

/// Options of `import` that turn content changes into change events.
#[derive(Debug, Clone, clap::Args)]
pub struct RecordArgs {
    /// Record a change event for every node whose content changed since the data in the
    /// database, opening reviews of what each change impacts (as `change record` does).
    #[arg(long)]
    pub record_changes: bool,
    /// With --record-changes: when the changes took effect (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE", requires = "record_changes")]
    pub date: Option<String>,
    /// With --record-changes: who records them.
    #[arg(long, value_name = "NAME", requires = "record_changes")]
    pub by: Option<String>,
    /// With --record-changes: open reviews for nodes of these kinds (repeatable; default: the
    /// catalog's `[review] kinds`, see `regtrace catalog`).
    #[arg(short = 'k', long, value_name = "KIND", value_parser = super::word::<regtrace_core::NodeKind>, requires = "record_changes")]
    pub kind: Vec<regtrace_core::NodeKind>,
    /// Import even if the files hold no node at all, emptying the database (refused without it,
    /// since a nodes.csv with only its header would otherwise wipe the data set).
    #[arg(long)]
    pub allow_empty: bool,
    /// Add and update instead of replacing: every node the files define is added or replaces
    /// the stored node with its id, every link they give is added; only rows the files mark
    /// deleted (`deleted = true`, a `deleted` column or field) are removed, a node with its
    /// links. The files may link to nodes only the database holds.
    #[arg(long)]
    pub merge: bool,
    /// With --merge: also remove every stored node and link the files do not give, so the
    /// files become the whole data set (what a plain import does; nodes under open review only
    /// with --replace).
    #[arg(long, requires = "merge")]
    pub prune: bool,
    /// Remove nodes under open review when the import says so (refused without it; their
    /// reviews stay, listed as orphaned): a replacing import that leaves them out, or a merge
    /// that marks them deleted.
    #[arg(long)]
    pub replace: bool,
    /// Restore the history kept in this directory (written by `export --history-dir`) with
    /// the data, into a database that has no history yet.
    #[arg(long, value_name = "DIR")]
    pub history_dir: Option<PathBuf>,
}

/// The input paths with the `--mapping` file among them (the readers tell a mapping by its
/// `[reqif]` table).
pub fn with_mapping(mut paths: Vec<PathBuf>, mapping: Option<PathBuf>) -> Result<Vec<PathBuf>, CliError> {
    if let Some(mapping) = mapping {
        let is_toml = mapping
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        if !is_toml {
            return Err(CliError::request(
                format!("--mapping {}: a mapping is a .toml file", mapping.display()),
                "start from `regtrace reqif mapping FILE.reqif > map.toml`".to_owned(),
            ));
        }
        paths.push(mapping);
    }
    Ok(paths)
}

/// `regtrace check`.
pub fn check(globals: &Globals, paths: &[PathBuf]) -> Result<(), CliError> {
    let graph = globals.context.check(paths)?;
    print(&regtrace_render::history::checked(
        graph.node_count(),
        graph.edge_count(),
        graph.catalog().relations().len(),
        globals.lang,
    ));
    Ok(())
}

/// `regtrace import`.
pub fn import(globals: &Globals, paths: &[PathBuf], record: &RecordArgs) -> Result<(), CliError> {
    let recording = if record.record_changes {
        Some(Recording {
            kinds: record.kind.clone(),
            date: parse::optional_date("--date", record.date.as_deref())?.unwrap_or_else(parse::today),
            by: record.by.clone(),
        })
    } else {
        None
    };
    let options = ImportOptions {
        mode: if record.merge && !record.prune {
            ImportMode::Merge
        } else {
            ImportMode::Replace
        },
        allow_empty: record.allow_empty,
        allow_orphans: record.replace,
        history_dir: record.history_dir.clone(),
    };
    let imported = history::import(&globals.context, paths, recording.as_ref(), options)?;
    print(&regtrace_render::history::imported(
        &imported,
        record.record_changes,
        globals.lang,
    ));
    Ok(())
}
