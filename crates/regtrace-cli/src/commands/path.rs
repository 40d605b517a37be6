//! `path`: how two nodes are connected.

use regtrace_app::nodes::PathRequest;
use regtrace_render::nodes;

use super::{Format, Globals};
use crate::error::CliError;
use crate::output::{pretty_json, print, print_document, terminal};

/// Options of `path`.
#[derive(Debug, Clone, clap::Args)]
pub struct PathArgs {
    /// Where the chain starts.
    pub from: String,
    /// Where it ends.
    pub to: String,
    /// List all simple chains (no node twice), shortest first and, among equals, the most direct
    /// (fewest links followed against their direction, then fewest detours through another node
    /// of either end's kind), instead of one.
    #[arg(long)]
    pub all: bool,
    /// With --all: at most this many chains.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub max: usize,
    /// With --all: chains of at most this many hops.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub max_hops: usize,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `regtrace path`.
pub fn run(globals: &Globals, args: &PathArgs) -> Result<(), CliError> {
    let data = globals.open()?;
    let request = PathRequest {
        from: args.from.clone(),
        to: args.to.clone(),
        all: args.all,
        max: args.max,
        max_hops: args.max_hops,
    };
    let paths = regtrace_app::nodes::path(&data, request)?;
    match args.format {
        Format::Json => print(&nodes::path_json(&paths, pretty_json())),
        Format::Csv => print(&globals.csv(nodes::path_csv(&paths))),
        Format::Table => print_document(&nodes::path_table(&paths, terminal(globals.lang))),
    }
    Ok(())
}
