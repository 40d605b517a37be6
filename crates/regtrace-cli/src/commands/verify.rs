//! `verify`: is the database sound, and (with --repair) a bad snapshot rebuilt.

use super::Globals;
use crate::error::CliError;
use crate::output::{pretty_json, print};

/// Formats of `verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VerifyFormat {
    /// A line per check, for people.
    Table,
    /// One JSON document, for scripts.
    Json,
}

/// `regtrace verify`.
pub fn run(globals: &Globals, repair: bool, format: VerifyFormat) -> Result<(), CliError> {
    let verified = regtrace_app::verify::verify(&globals.context, repair)?;
    print(&match format {
        VerifyFormat::Json => regtrace_render::verify::json(&verified, pretty_json()),
        VerifyFormat::Table => regtrace_render::verify::table(&verified, globals.lang),
    });
    if verified.sound() {
        Ok(())
    } else {
        Err(CliError::Failed(
            "verify failed: the database is not sound".into(),
        ))
    }
}
