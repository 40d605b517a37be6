//! `regtrace export`: the data set or a part of it, as a lossless JSON document or as a diagram.

use regtrace_core::{Around, Direction, Graph, NodeKind, ReachOptions, Subgraph};
use regtrace_render::{ClusterBy, Diagram, DiagramOptions, Flow, ImageFormat, Renderer};

use crate::commands::{DataSource, parse_as_of, parse_words, resolve_all};
use crate::error::CliError;
use crate::output::{self, LangArg};

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
}

/// Which edges `--root` follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AroundArg {
    /// Relations the root nodes state: what they point to (e.g. the standards a guideline cites).
    Out,
    /// Relations pointing at the root nodes (e.g. the guidelines citing a standard).
    In,
    /// Both.
    Both,
}

/// Grouping of nodes into boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClusterArg {
    /// One box per kind.
    Kind,
    /// One box per field (分野): nodes linked to a field go in its box.
    Field,
}

/// Layout engine for SVG and PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RendererArg {
    /// Graphviz if installed, else the built-in engine (SVG only).
    Auto,
    /// The Graphviz `dot` program.
    Graphviz,
    /// The built-in pure-Rust engine (layout-rs): SVG only, no clusters.
    Builtin,
}

/// Options of `export`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    #[command(flatten)]
    pub out: output::OutputFile,

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
    #[arg(long, value_enum, default_value_t = AroundArg::Both, requires = "root", help_heading = "Selection")]
    pub around: AroundArg,
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
    #[arg(long, value_name = "KIND", help_heading = "Selection")]
    pub kind: Vec<String>,

    /// Language of the titles in diagrams.
    #[arg(long, value_enum, env = "REGTRACE_LANG", help_heading = "Diagrams")]
    pub lang: Option<LangArg>,
    /// Group nodes into boxes by kind or by field.
    #[arg(long, value_enum, help_heading = "Diagrams")]
    pub cluster: Option<ClusterArg>,
    /// Leave out the legend.
    #[arg(long, help_heading = "Diagrams")]
    pub no_legend: bool,
    /// Layout engine for SVG and PNG.
    #[arg(long, value_enum, default_value_t = RendererArg::Auto, help_heading = "Diagrams")]
    pub renderer: RendererArg,
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

/// `regtrace export`.
pub fn export(source: &DataSource, args: &ExportArgs) -> Result<(), CliError> {
    let kinds: Vec<NodeKind> = parse_words(&args.kind)?;
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let graph = source.graph()?;
    let subgraph = select(&graph, args, &kinds, as_of)?;

    if args.format == ExportFormat::Json {
        let mut bytes = Vec::new();
        regtrace_source::json_format::write_part(&graph, &subgraph, &mut bytes).map_err(|e| {
            CliError::Io {
                path: "<memory>".into(),
                source: e,
            }
        })?;
        return args.out.write(&bytes, false, args.force);
    }

    let options = DiagramOptions {
        lang: LangArg::resolve(args.lang),
        cluster: args.cluster.map(|c| match c {
            ClusterArg::Kind => ClusterBy::Kind,
            ClusterArg::Field => ClusterBy::Field,
        }),
        legend: !args.no_legend,
        flow: if args.impact_of.is_empty() {
            Flow::LeftToRight
        } else {
            Flow::RightToLeft
        },
        ..DiagramOptions::default()
    };
    let diagram = Diagram::new(&graph, &subgraph, options);
    let image = match args.format {
        ExportFormat::Dot => {
            return args.out.write(diagram.to_dot().as_bytes(), false, args.force);
        }
        ExportFormat::Mermaid => {
            return args.out.write(diagram.to_mermaid().as_bytes(), false, args.force);
        }
        ExportFormat::Graphml => {
            return args.out.write(diagram.to_graphml().as_bytes(), false, args.force);
        }
        ExportFormat::Svg => ImageFormat::Svg,
        ExportFormat::Png => ImageFormat::Png,
        ExportFormat::Json => unreachable!("written above"),
    };
    if subgraph.nodes.len() > args.max_nodes && !args.force {
        return Err(CliError::request(
            format!(
                "the selection has {} nodes, more than --max-nodes {} for a picture",
                subgraph.nodes.len(),
                args.max_nodes
            ),
            Some(
                "narrow it (--root ID --depth 1, --impact-of ID, --kind KIND), raise --max-nodes, \
                 add --force, or export --format dot|graphml to draw it elsewhere"
                    .into(),
            ),
        ));
    }
    let renderer = match args.renderer {
        RendererArg::Auto => Renderer::Auto,
        RendererArg::Graphviz => Renderer::Graphviz,
        RendererArg::Builtin => Renderer::Builtin,
    };
    let (bytes, used) = regtrace_render::image::render(&diagram.to_dot(), image, renderer)
        .map_err(|e| CliError::request(e.to_string(), Some(e.hint().into())))?;
    args.out.write(&bytes, image == ImageFormat::Png, args.force)?;
    eprintln!(
        "regtrace: drew {} nodes and {} edges with {}",
        diagram.nodes.len(),
        diagram.edges.len(),
        used.describe()
    );
    Ok(())
}

/// The part of the graph the arguments ask for.
fn select(
    graph: &Graph,
    args: &ExportArgs,
    kinds: &[NodeKind],
    as_of: Option<chrono::NaiveDate>,
) -> Result<Subgraph, CliError> {
    if !args.impact_of.is_empty() {
        let changed = resolve_all(graph, &args.impact_of)?;
        let reach = graph.reach(
            &changed,
            Direction::Impact,
            &ReachOptions {
                max_depth: args.max_depth,
                as_of,
            },
        );
        let hits = reach
            .hits
            .iter()
            .map(|h| h.node)
            .filter(|n| kinds.is_empty() || kinds.contains(&graph.node(*n).kind));
        return Ok(Subgraph::of_reach(graph, &reach, hits));
    }
    let mut subgraph = if args.root.is_empty() {
        Subgraph::whole(graph)
    } else {
        let roots = resolve_all(graph, &args.root)?;
        let around = match args.around {
            AroundArg::Out => Around::Out,
            AroundArg::In => Around::In,
            AroundArg::Both => Around::Both,
        };
        Subgraph::neighbourhood(graph, &roots, args.depth, around)
    };
    subgraph.retain_kinds(graph, kinds);
    Ok(subgraph)
}
