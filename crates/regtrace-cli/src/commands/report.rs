//! `report`: the audit and the impact of every recorded change, as one self-contained HTML file.

use regtrace_app::report::ReportRequest;

use super::Globals;
use crate::error::CliError;
use crate::output::OutputFile;
use regtrace_render::Renderer;

/// Options of `report`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub out: OutputFile,
    #[command(flatten)]
    pub title: super::audit::TitleArgs,
    /// Also the impact of a change to these nodes (repeatable; one section for them together).
    #[arg(long, value_name = "ID")]
    pub impact_of: Vec<String>,
    /// Only this recorded change event (default: every one).
    #[arg(long, value_name = "N")]
    pub event: Option<i64>,
    /// Layout engine for the diagrams.
    #[arg(long, value_parser = words!(Renderer), default_value = "auto")]
    pub renderer: Renderer,
    /// With -o naming a symbolic link: write to the file it points to instead of refusing.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// `regtrace report`.
pub fn run(globals: &Globals, args: &ReportArgs) -> Result<(), CliError> {
    let data = globals.open()?;
    let request = ReportRequest {
        audit: regtrace_app::audit::AuditRequest {
            generated_at: super::source_date_epoch(),
            document: args.title.block(),
            whole: args.title.whole,
            ..Default::default()
        },
        impact_of: args.impact_of.clone(),
        event: args.event,
    };
    let report = regtrace_app::report::report(&data, &request)?;
    let html = regtrace_render::report::html(&report, globals.lang, args.renderer);
    args.out.write(html.as_bytes(), false, args.force)
}
