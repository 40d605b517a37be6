//! `show`, `list`, `search` and `stats`: the data set's nodes.

use regtrace_app::parse;
use regtrace_render::nodes;

use super::{Format, Globals};
use crate::error::CliError;
use crate::output::{OutputFile, pretty_json, print};

/// `regtrace show`.
pub fn show(globals: &Globals, id: &str, format: Format) -> Result<(), CliError> {
    let data = globals.open()?;
    let shown = regtrace_app::nodes::show(&data, id)?;
    print(&match format {
        Format::Json => nodes::show_json(&shown, pretty_json()),
        Format::Csv => globals.csv(nodes::show_csv(&shown)),
        Format::Table => nodes::show_table(&shown, globals.lang),
    });
    Ok(())
}

/// `regtrace list`.
pub fn list(
    globals: &Globals,
    kinds: &[String],
    statuses: &[String],
    format: Format,
    out: &OutputFile,
    force: bool,
) -> Result<(), CliError> {
    let (kinds, statuses) = (parse::words(kinds)?, parse::words(statuses)?);
    let data = globals.open()?;
    let listed = regtrace_app::nodes::list(&data, &kinds, &statuses)?;
    let text = match format {
        Format::Json => nodes::nodes_json(&listed, out.output.is_none() && pretty_json()),
        Format::Csv => globals.csv(nodes::nodes_csv(&listed)),
        Format::Table => nodes::list_table(&listed, globals.lang),
    };
    match out.output {
        None => {
            print(&text);
            Ok(())
        }
        Some(_) => out.write(text.as_bytes(), false, force),
    }
}

/// `regtrace search`.
pub fn search(
    globals: &Globals,
    words: &[String],
    kinds: &[String],
    limit: usize,
    format: Format,
) -> Result<(), CliError> {
    let kinds = parse::words(kinds)?;
    let data = globals.open()?;
    let found = regtrace_app::nodes::search(&data, words, &kinds, limit)?;
    print(&match format {
        Format::Json => nodes::search_json(&found, pretty_json()),
        Format::Csv => globals.csv(nodes::search_csv(&found)),
        Format::Table => nodes::search_table(&found, globals.lang),
    });
    Ok(())
}

/// `regtrace stats`.
pub fn stats(globals: &Globals, format: Format) -> Result<(), CliError> {
    let data = globals.open()?;
    let stats = regtrace_app::nodes::stats(&data)?;
    print(&match format {
        Format::Json => nodes::stats_json(&stats, pretty_json()),
        Format::Csv => globals.csv(nodes::stats_csv(&stats)),
        Format::Table => nodes::stats_table(&stats),
    });
    Ok(())
}
