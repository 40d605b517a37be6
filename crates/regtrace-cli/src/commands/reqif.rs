//! `reqif mapping`: a mapping to start an import of an unknown ReqIF export from.

use std::path::PathBuf;

use clap::Subcommand;
use regtrace_app::AppError;

use crate::error::CliError;
use crate::output::print;

/// `regtrace reqif …`.
#[derive(Debug, Subcommand)]
pub enum ReqifCommand {
    /// Print a mapping for these ReqIF files, as TOML to check and edit: every object type and
    /// relation type they use, with how many records use it, its attributes and a guessed node
    /// kind or relation. Import with `regtrace import FILE --mapping MAP.toml`.
    #[command(
        after_help = "Examples:\n  regtrace reqif mapping export.reqifz > map.toml\n  regtrace check export.reqifz --mapping map.toml\n  regtrace --db reg.db import export.reqifz --mapping map.toml\n  regtrace reqif mapping --built-in   (the mapping used without --mapping)"
    )]
    Mapping {
        /// ReqIF files (.reqif, .reqifz) to read.
        #[arg(value_name = "FILE", required_unless_present = "built_in")]
        files: Vec<PathBuf>,
        /// Print the built-in mapping instead (what an import without --mapping uses).
        #[arg(long, conflicts_with = "files")]
        built_in: bool,
    },
}

/// Runs a `reqif` subcommand.
pub fn run(command: &ReqifCommand) -> Result<(), CliError> {
    match command {
        ReqifCommand::Mapping { files, built_in } => {
            if *built_in {
                print(regtrace_app::reqif::DEFAULT_MAPPING);
                return Ok(());
            }
            let text = regtrace_app::reqif::starting_mapping(files).map_err(AppError::Invalid)?;
            print(&text);
            Ok(())
        }
    }
}
