//! `rules` and `catalog`: the built-in defaults as text to copy and edit.

use super::Globals;
use crate::error::CliError;
use crate::output::print;

/// `regtrace rules`: the rules `audit` runs on the data set, as one TOML document.
pub fn rules(globals: &Globals) -> Result<(), CliError> {
    let data = globals.open()?;
    print(&regtrace_app::audit::rules_text(&data));
    Ok(())
}

/// `regtrace catalog`: the built-in relation catalog.
pub fn catalog() -> Result<(), CliError> {
    print(regtrace_app::audit::BUILT_IN_CATALOG);
    Ok(())
}
