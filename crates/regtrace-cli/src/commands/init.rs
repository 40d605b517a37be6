//! `init`: a starter data set of one's own.

use std::path::PathBuf;

use regtrace_app::init::Template;

use super::Globals;
use crate::error::CliError;
use crate::output::print;

/// Options of `init`.
#[derive(Debug, Clone, clap::Args)]
pub struct InitArgs {
    /// The directory to write (created; an existing one must be empty).
    pub dir: PathBuf,
    /// What it starts with: blank (one device to rename), device (a device and the standards it
    /// conforms to) or pump (an infusion pump and its standards, with a JIS adopting an ISO).
    #[arg(long, value_parser = words!(Template), default_value = "blank")]
    pub template: Template,
}

/// `regtrace init`.
pub fn run(globals: &Globals, args: &InitArgs) -> Result<(), CliError> {
    let done = regtrace_app::init::init(&args.dir, args.template, |catalog, w| {
        let bytes = regtrace_render::workbook::template_workbook(catalog).map_err(std::io::Error::other)?;
        w.write_all(&bytes)
    })?;
    print(&regtrace_render::init::summary(&done, globals.lang));
    Ok(())
}
