//! `verify`: is the database sound, and (with --repair) a bad snapshot rebuilt.

use super::{Globals, Words};
use crate::error::CliError;
use crate::output::{pretty_json, print};

/// `regtrace verify`.
pub fn run(globals: &Globals, repair: bool, format: Words) -> Result<(), CliError> {
    let verified = regtrace_app::verify::verify(&globals.context, repair)?;
    print(&match format {
        Words::Json => regtrace_render::verify::json(&verified, pretty_json()),
        Words::Table => regtrace_render::verify::table(&verified, globals.lang),
    });
    if verified.sound() {
        Ok(())
    } else {
        Err(CliError::Failed(
            "verify failed: the database is not sound".into(),
        ))
    }
}
