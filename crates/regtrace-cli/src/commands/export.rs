//! `export`: the data set or a part of it, as a lossless JSON document or as a diagram.

use regtrace_app::parse;
use regtrace_app::select::Selection;
use regtrace_core::{Around, Direction, ReachOptions};
use regtrace_render::export::{ExportOptions, Target};
use regtrace_render::{ClusterBy, DiagramOptions, Flow, Renderer};

use super::Globals;
use crate::error::CliError;
use crate::output::OutputFile;

/// Formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// The regtrace JSON document: catalog, nodes and edges (node-link); `import` reads it back.
    Json,
    /// Graphviz DOT source.
    Dot,
    /// An SVG picture (Graphviz if installed, else the built-in layout engine).
    Svg,
    /// A PNG picture (needs Graphviz).
    Png,
    /// A Mermaid flowchart, for Markdown documents.
    Mermaid,
    /// GraphML, for yEd, Gephi and Cytoscape.
    Graphml,
    /// ReqIF 1.2 for DOORS, DOORS Next, Polarion, ProR, …; `import` reads it back unchanged.
    Reqif,
    /// ReqIF in a zip archive (`.reqifz`).
    Reqifz,
    /// An Excel workbook: sheets `nodes` and `edges` (the CSV columns), which `import` reads
    /// back, and a read-only `reviews` sheet when the database has history.
    Xlsx,
}

/// Options of `export`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    #[command(flatten)]
    pub out: OutputFile,
    /// Write the database's history of changes and reviews into this directory instead, one
    /// JSON file per change event (`event-0001.json`, …), to keep in git and review in pull
    /// requests; `import --history-dir DIR` restores it.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["output", "root", "impact_of", "kind"])]
    pub history_dir: Option<std::path::PathBuf>,

    /// Select the neighbourhood of these nodes (repeatable) instead of the whole graph.
    #[arg(
        long,
        value_name = "ID",
        conflicts_with = "impact_of",
        help_heading = "Selection"
    )]
    pub root: Vec<String>,
    /// With --root: how many hops around the root nodes.
    #[arg(
        long,
        default_value_t = 1,
        value_name = "N",
        requires = "root",
        help_heading = "Selection"
    )]
    pub depth: u32,
    /// With --root: which edges to follow.
    #[arg(long, value_parser = words!(Around), default_value = "both", requires = "root", help_heading = "Selection")]
    pub around: Around,
    /// With --root, in a picture (DOT, SVG, PNG, Mermaid): draw at most N nodes, the roots
    /// and the nearest first (those met through a node of few links before those met through
    /// a hub); a node with neighbours left out says "(+K more not drawn)". 0 draws them all.
    /// JSON, GraphML, ReqIF and XLSX always carry the whole selection.
    #[arg(long, default_value_t = 20, value_name = "N", help_heading = "Selection")]
    pub budget: usize,
    /// Select the impact subgraph of a change to these nodes (repeatable): the changed nodes,
    /// everything impacted, and the edges on the reason paths.
    #[arg(long, value_name = "ID", help_heading = "Selection")]
    pub impact_of: Vec<String>,
    /// With --impact-of: answer as of this date (YYYY-MM-DD), as `impact --as-of` does.
    #[arg(long, value_name = "DATE", requires = "impact_of", help_heading = "Selection")]
    pub as_of: Option<String>,
    /// With --impact-of: follow at most this many hops.
    #[arg(long, value_name = "N", requires = "impact_of", help_heading = "Selection")]
    pub max_depth: Option<u32>,
    /// Keep only nodes of this kind (repeatable). Root and changed nodes always stay; with
    /// --impact-of, so do the nodes on the reason paths of the hits kept.
    #[arg(short = 'k', long, value_name = "KIND", value_parser = super::word::<regtrace_core::NodeKind>, help_heading = "Selection")]
    pub kind: Vec<regtrace_core::NodeKind>,

    /// Group nodes into boxes: one per kind, or one per field (分野; nodes linked to a field go
    /// in its box).
    #[arg(long, value_parser = words!(ClusterBy), help_heading = "Diagrams")]
    pub cluster: Option<ClusterBy>,
    /// Leave out the legend.
    #[arg(long, help_heading = "Diagrams")]
    pub no_legend: bool,
    /// Layout engine for SVG and PNG: auto (Graphviz if installed, else the built-in one), graphviz
    /// (the `dot` program), or builtin (pure Rust, layout-rs: SVG only, no clusters).
    #[arg(long, value_parser = words!(Renderer), default_value = "auto", help_heading = "Diagrams")]
    pub renderer: Renderer,
    /// Refuse to draw SVG or PNG pictures of more nodes than this (a bigger picture is
    /// unreadable and slow to lay out); --force draws anyway. DOT, Mermaid, GraphML and JSON
    /// have no limit.
    #[arg(long, default_value_t = 300, value_name = "N", help_heading = "Diagrams")]
    pub max_nodes: usize,
    /// Do it anyway: draw SVG or PNG above --max-nodes, and write through a symbolic link at
    /// the -o path (to the file it points to).
    #[arg(long)]
    pub force: bool,
}

impl ExportFormat {
    fn target(self) -> Target {
        match self {
            ExportFormat::Json => Target::Json,
            ExportFormat::Dot => Target::Dot,
            ExportFormat::Svg => Target::Svg,
            ExportFormat::Png => Target::Png,
            ExportFormat::Mermaid => Target::Mermaid,
            ExportFormat::Graphml => Target::Graphml,
            ExportFormat::Reqif => Target::Reqif,
            ExportFormat::Reqifz => Target::Reqifz,
            ExportFormat::Xlsx => Target::Xlsx,
        }
    }
}

impl ExportArgs {
    fn selection(&self) -> Result<Selection, CliError> {
        Ok(if !self.impact_of.is_empty() {
            Selection::Reach {
                start: self.impact_of.clone(),
                direction: Direction::Impact,
                options: ReachOptions {
                    max_depth: self.max_depth,
                    as_of: parse::optional_date("--as-of", self.as_of.as_deref())?,
                    ..Default::default()
                },
                limit: None,
            }
        } else if self.root.is_empty() {
            Selection::Whole
        } else {
            Selection::Around {
                roots: self.root.clone(),
                depth: self.depth,
                around: self.around,
                budget: (self.format.target().picture() && self.budget > 0).then_some(self.budget),
            }
        })
    }
}

/// `regtrace export`.
pub fn run(globals: &Globals, args: &ExportArgs) -> Result<(), CliError> {
    if let Some(dir) = &args.history_dir {
        return history_dir(globals, dir);
    }
    let kinds = args.kind.clone();
    let selection = args.selection()?;
    let data = globals.open()?;
    let (graph, subgraph) = regtrace_app::select::select(&data, &selection, &kinds)?;
    let target = args.format.target();
    // The audit rules and the history go only into the documents that carry them; a diagram
    // reads no history.
    let carried = if target.carries_history() {
        regtrace_app::select::carried(&data, &selection, &kinds)?
    } else {
        regtrace_app::select::Carried::default()
    };
    let options = ExportOptions {
        diagram: DiagramOptions {
            lang: globals.lang,
            cluster: args.cluster,
            legend: !args.no_legend,
            roots_first: !args.root.is_empty(),
            flow: if args.impact_of.is_empty() {
                Flow::LeftToRight
            } else {
                Flow::RightToLeft
            },
            ..DiagramOptions::default()
        },
        renderer: args.renderer,
        max_nodes: (!args.force).then_some(args.max_nodes),
        when: super::source_date_epoch().unwrap_or_else(now),
    };
    if target.picture() && subgraph.left_out > 0 {
        eprintln!(
            "regtrace: {} more nodes within --depth {} not drawn (--budget {}; the nodes they link to say how many; --budget 0 draws all)",
            subgraph.left_out, args.depth, args.budget
        );
    }
    let exported = regtrace_render::export::export(graph, &subgraph, &carried, target, options)?;
    args.out.write(&exported.bytes, exported.binary, args.force)?;
    if let Some(drawn) = exported.drawn {
        eprintln!("regtrace: {drawn}");
    }
    Ok(())
}

/// Now, in seconds since 1970.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `export --history-dir DIR`: one file per change event, each written whole or not at all.
fn history_dir(globals: &Globals, dir: &std::path::Path) -> Result<(), CliError> {
    let data = globals.open_history()?;
    let files = regtrace_app::history::history_files(&data)?;
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
    for (name, text) in &files {
        let out = OutputFile {
            output: Some(dir.join(name)),
        };
        out.write(text.as_bytes(), false, false)?;
    }
    crate::output::print(&regtrace_render::history::wrote_event_files(
        files.len(),
        dir,
        globals.lang,
    ));
    Ok(())
}
