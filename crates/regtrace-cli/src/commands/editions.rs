//! `editions`: a standard's editions, oldest first.

use regtrace_app::parse;
use regtrace_render::editions;

use super::{Format, Globals};
use crate::error::CliError;
use crate::output::{pretty_json, print, print_document, terminal};

/// `regtrace editions ID`.
pub fn run(globals: &Globals, id: &str, as_of: Option<&str>, format: Format) -> Result<(), CliError> {
    let date = parse::optional_date("--as-of", as_of)?.unwrap_or_else(parse::today);
    let data = globals.open()?;
    let answer = regtrace_app::editions::editions(&data, id, date)?;
    match format {
        Format::Json => print(&editions::json(&answer, pretty_json())),
        Format::Csv => print(&globals.csv(editions::csv(&answer))),
        Format::Table => print_document(&editions::table(&answer, terminal(globals.lang))),
    }
    Ok(())
}
