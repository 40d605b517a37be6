//! `verify`: is the database sound, and (with --repair) a bad snapshot rebuilt.

use super::{Format, Globals};
use crate::error::CliError;
use crate::output::{pretty_json, print};

/// `regtrace verify`.
pub fn run(globals: &Globals, repair: bool, format: Format) -> Result<(), CliError> {
    let verified = regtrace_app::verify::verify(&globals.context, repair)?;
    print(&match format {
        Format::Json => regtrace_render::verify::json(&verified, pretty_json()),
        Format::Table | Format::Csv => regtrace_render::verify::table(&verified),
    });
    if verified.sound() {
        Ok(())
    } else {
        Err(CliError::Failed(
            "verify failed: the database is not sound".into(),
        ))
    }
}
