//! `show`, `list`, `search` and `stats`: the data set's nodes.

use regtrace_core::NodeKind;
use regtrace_render::nodes;

use super::{Format, Globals};
use crate::error::CliError;
use crate::output::{OutputFile, pretty_json, print, print_document, terminal};

/// `regtrace show`.
pub fn show(globals: &Globals, id: &str, format: Format) -> Result<(), CliError> {
    let data = globals.open()?;
    let shown = regtrace_app::nodes::show(&data, id)?;
    match format {
        Format::Json => print(&nodes::show_json(&shown, pretty_json())),
        Format::Csv => print(&globals.csv(nodes::show_csv(&shown))),
        Format::Table => print_document(&nodes::show_table(&shown, terminal(globals.lang))),
    }
    Ok(())
}

/// `regtrace list`.
pub fn list(
    globals: &Globals,
    kinds: &[NodeKind],
    statuses: &[regtrace_core::Status],
    limit: Option<usize>,
    format: Format,
    out: &OutputFile,
    force: bool,
) -> Result<(), CliError> {
    let data = globals.open()?;
    let limit = match (limit, format) {
        (Some(0), _) => None,
        (Some(n), _) => Some(n),
        // A table of a million rows is read by no one (and takes gigabytes to lay out).
        (None, Format::Table) => Some(TABLE_ROWS),
        (None, _) => None,
    };
    let listed = regtrace_app::nodes::list(&data, kinds, statuses, limit)?;
    let text = match format {
        Format::Json => nodes::nodes_json(&listed.nodes, out.output.is_none() && pretty_json()),
        Format::Csv => globals.csv(nodes::nodes_csv(&listed.nodes)),
        Format::Table if out.output.is_none() => {
            print_document(&nodes::list_table(
                &listed.nodes,
                listed.total,
                terminal(globals.lang),
            ));
            return Ok(());
        }
        Format::Table => nodes::list_table(&listed.nodes, listed.total, globals.lang.into()),
    };
    match out.output {
        None => {
            print(&text);
            Ok(())
        }
        Some(_) => out.write(text.as_bytes(), false, force),
    }
}

/// The rows `list` shows in a table unless told (`--limit`).
const TABLE_ROWS: usize = 1000;

/// `regtrace search`.
pub fn search(
    globals: &Globals,
    words: &[String],
    kinds: &[NodeKind],
    limit: usize,
    format: Format,
) -> Result<(), CliError> {
    let data = globals.open()?;
    let found = regtrace_app::nodes::search(&data, words, kinds, limit)?;
    match format {
        Format::Json => print(&nodes::search_json(&found, pretty_json())),
        Format::Csv => print(&globals.csv(nodes::search_csv(&found))),
        Format::Table => print_document(&nodes::search_table(&found, terminal(globals.lang))),
    }
    Ok(())
}

/// `regtrace stats`.
pub fn stats(globals: &Globals, format: Format) -> Result<(), CliError> {
    let data = globals.open()?;
    let stats = regtrace_app::nodes::stats(&data)?;
    match format {
        Format::Json => print(&nodes::stats_json(&stats, pretty_json())),
        Format::Csv => print(&globals.csv(nodes::stats_csv(&stats))),
        Format::Table => print_document(&nodes::stats_table(&stats, terminal(globals.lang))),
    }
    Ok(())
}
