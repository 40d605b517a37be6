//! `impact` and `deps`: the questions regtrace exists to answer.

use regtrace_app::parse;
use regtrace_app::reach::{ReachAnswer, ReachRequest, Reached};
use regtrace_app::select::Selection;
use regtrace_core::{Direction, GraphView, ReachOptions};
use regtrace_render::{Diagram, DiagramOptions, Flow};

use super::Globals;
use crate::error::CliError;
use crate::output::{self, OutputFile, print, print_document, terminal};

/// Formats of `impact` and `deps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReachFormat {
    /// Grouped by kind, each hit with its reason chain.
    Table,
    /// `{"changed"|"roots": [...], "impacted": [{"id", "kind", "distance", "path", ...}]}`.
    Json,
    /// One row per hit, with its path.
    Csv,
    /// A Graphviz digraph of the start nodes, the hits and the edges on their reason paths.
    Dot,
    /// An Excel workbook with the rows of the CSV (binary: give -o FILE or redirect).
    Xlsx,
}

/// Options of `impact` and `deps`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReachArgs {
    /// Start node ids (case-sensitive).
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// List only nodes of this kind (repeatable); the traversal still passes through every kind.
    #[arg(short = 'k', long, value_name = "KIND", value_parser = super::word::<regtrace_core::NodeKind>)]
    pub kind: Vec<regtrace_core::NodeKind>,
    /// Follow at most this many hops.
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,
    /// Answer as of this date (YYYY-MM-DD): skip nodes not yet or no longer in force then,
    /// and superseded editions once their successor is in force. See docs/QUERIES.md.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = ReachFormat::Table)]
    pub format: ReachFormat,
    /// List at most this many hits (the counts still cover all).
    #[arg(short = 'n', long, value_name = "N")]
    pub limit: Option<usize>,
    /// Print only the counts per kind.
    #[arg(long)]
    pub summary: bool,
    /// Also list every distinct chain by which each hit rests on the start nodes, up to N per
    /// hit (default 8): the table adds an "also:" line per chain, JSON a "causes" array (the
    /// chain shown first). Costs a walk back per hit, so it is asked for, not the default.
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "8")]
    pub causes: Option<usize>,
    #[command(flatten)]
    pub out: OutputFile,
    /// With -o naming a symbolic link: write to the file it points to instead of refusing.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// `regtrace impact` and `regtrace deps`. With a database, the answer comes from its snapshot
/// when it is current (see `regtrace_app::dataset`); DOT draws through the whole graph.
pub fn run(globals: &Globals, args: &ReachArgs, direction: Direction) -> Result<(), CliError> {
    let options = ReachOptions {
        max_depth: args.max_depth,
        as_of: parse::optional_date("--as-of", args.as_of.as_deref())?,
        ..Default::default()
    };
    let kinds = args.kind.clone();
    let data = globals.open()?;
    if args.format == ReachFormat::Dot {
        let selection = Selection::Reach {
            start: args.ids.clone(),
            direction,
            options,
            limit: args.limit,
        };
        let (graph, subgraph) = regtrace_app::select::drawn(&data, &selection, &kinds)?;
        let options = DiagramOptions {
            lang: globals.lang,
            flow: Flow::RightToLeft,
            legend: false,
            ..DiagramOptions::default()
        };
        let dot = Diagram::new(&graph, &subgraph, options).to_dot();
        return match &args.out.output {
            None => {
                print(&dot);
                Ok(())
            }
            Some(_) => args.out.write(dot.as_bytes(), false, args.force),
        };
    }
    let request = ReachRequest {
        ids: args.ids.clone(),
        direction,
        kinds,
        options,
        limit: args.limit,
        offset: 0,
    };
    match regtrace_app::reach::reach(&data, &request)? {
        Reached::Snapshot(answer) => show(globals, args, answer.as_ref()),
        Reached::Loaded(answer) => show(globals, args, answer.as_ref()),
    }
}

fn show<G: GraphView>(globals: &Globals, args: &ReachArgs, answer: &ReachAnswer<G>) -> Result<(), CliError> {
    use regtrace_render::reach;
    let binary = args.format == ReachFormat::Xlsx;
    if binary || args.out.output.is_some() {
        // A file (or a workbook): written whole, with JSON compact as for any program.
        return args
            .out
            .write_with(binary, args.force, |mut out| match args.format {
                ReachFormat::Xlsx => reach::xlsx(answer, out),
                ReachFormat::Json => reach::write_json(&mut out, answer, args.summary, false, args.causes),
                ReachFormat::Csv => out.write_all(globals.csv(reach::csv(answer)).as_bytes()),
                ReachFormat::Table | ReachFormat::Dot => {
                    let text = reach::table(answer, globals.lang.into(), args.summary, args.causes);
                    out.write_all(text.as_bytes())
                }
            });
    }
    match args.format {
        ReachFormat::Json => {
            let pretty = output::pretty_json();
            output::stream(|out| reach::write_json(out, answer, args.summary, pretty, args.causes));
        }
        ReachFormat::Csv => print(&globals.csv(reach::csv(answer))),
        ReachFormat::Table | ReachFormat::Dot => {
            print_document(&reach::table(
                answer,
                terminal(globals.lang),
                args.summary,
                args.causes,
            ));
        }
        // Written above, through `write_with`, which refuses a terminal.
        ReachFormat::Xlsx => {}
    }
    Ok(())
}
