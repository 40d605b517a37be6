//! `diff OLD NEW`: what changed between two versions of a data set, and with `--impact`, what
//! those changes impact together.

use regtrace_app::compare::DiffRequest;
use regtrace_app::parse;
use regtrace_core::ReachOptions;

use super::{Globals, Words};
use crate::error::CliError;
use crate::output::{pretty_json, print};

/// Options of `diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// The old side: a data directory or file, a database, or `git:REV:PATH`.
    pub old: String,
    /// The new side: a data directory or file, a database, or `git:REV:PATH`.
    pub new: String,
    /// Read source files as this format where their extension does not say (as `import
    /// --from`): two editions of a regulator's list compared without importing them.
    #[arg(long, value_name = "NAME", value_parser = crate::parse_format)]
    pub from: Option<regtrace_app::Format>,
    /// Also list what the changes impact together: from every node whose content changed
    /// (its kind's fingerprint fields, whitespace-insensitive), every added node, the dependent
    /// end of every added or removed link, and every removed node (traced in the old data).
    #[arg(long)]
    pub impact: bool,
    /// With --impact: answer as of this date (YYYY-MM-DD), as `impact --as-of` does.
    #[arg(long, value_name = "DATE", requires = "impact")]
    pub as_of: Option<String>,
    /// With --impact: list only impacted nodes of this kind (repeatable).
    #[arg(short = 'k', long, value_name = "KIND", value_parser = super::word::<regtrace_core::NodeKind>, requires = "impact")]
    pub kind: Vec<regtrace_core::NodeKind>,
    /// Output format (csv is not offered: the answer has several parts).
    #[arg(short = 'f', long, value_enum, default_value_t = Words::Table)]
    pub format: Words,
}

/// `regtrace diff`.
pub fn run(globals: &Globals, args: &DiffArgs) -> Result<(), CliError> {
    let kinds = args.kind.clone();
    let as_of = parse::optional_date("--as-of", args.as_of.as_deref())?;
    let old = globals.open_named(&args.old)?;
    let new = globals.open_named(&args.new)?;
    let request = DiffRequest {
        impact: args.impact.then_some(ReachOptions {
            max_depth: None,
            as_of,
            ..Default::default()
        }),
        kinds,
    };
    let compared = regtrace_app::compare::diff(&old, &new, &request)?;
    let names = (args.old.as_str(), args.new.as_str());
    print(&match args.format {
        Words::Json => regtrace_render::compare::json(&compared, names, pretty_json()),
        Words::Table => regtrace_render::compare::table(&compared, names, globals.lang),
    });
    Ok(())
}
