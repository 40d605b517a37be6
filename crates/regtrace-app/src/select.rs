//! The part of a graph to export or draw: the whole, a neighbourhood, or an impact subgraph.

use std::borrow::Cow;

use regtrace_core::{Around, Direction, Graph, GraphView, NodeIx, NodeKind, ReachOptions, Subgraph};

use crate::dataset::DataSet;
use crate::error::Result;
use crate::parse::resolve_all;

/// Which part of the graph.
#[derive(Debug, Clone)]
pub enum Selection {
    /// All of it.
    Whole,
    /// The nodes within `depth` hops of `roots`, along `around`.
    Around {
        /// The root ids.
        roots: Vec<String>,
        /// Hops.
        depth: u32,
        /// Which edges to follow.
        around: Around,
        /// Draw at most this many nodes, the roots and the nearest first (see
        /// [`Subgraph::trim`]).
        budget: Option<usize>,
    },
    /// What a change to `start` impacts (or what it rests on), with the edges on the reason
    /// paths.
    Reach {
        /// The changed (or start) ids.
        start: Vec<String>,
        /// Impact or dependencies.
        direction: Direction,
        /// Depth limit and as-of date.
        options: ReachOptions,
        /// At most this many hits (in reach order).
        limit: Option<usize>,
    },
}

/// The selection, narrowed to nodes of `kinds` (when not empty; root and changed nodes stay,
/// and with an impact selection the nodes on the kept hits' reason paths).
pub fn select<'g>(
    data: &'g DataSet,
    selection: &Selection,
    kinds: &[NodeKind],
) -> Result<(&'g Graph, Subgraph)> {
    let graph = data.graph()?;
    let subgraph = match selection {
        Selection::Reach {
            start,
            direction,
            options,
            limit,
        } => reach_subgraph(graph, start, *direction, options, *limit, kinds)?,
        Selection::Whole => {
            let mut subgraph = Subgraph::whole(graph);
            subgraph.retain_kinds(graph, kinds);
            subgraph
        }
        Selection::Around {
            roots,
            depth,
            around,
            budget,
        } => {
            let roots = resolve_all(graph, roots)?;
            let walked = Subgraph::walk(graph, &roots, *depth, *around);
            let mut subgraph = Subgraph::of_walk(graph, &roots, &walked);
            subgraph.retain_kinds(graph, kinds);
            if let Some(budget) = budget {
                subgraph.trim(graph, &walked, *budget);
            }
            subgraph
        }
    };
    Ok((graph, subgraph))
}

/// A graph to draw `selection` from, and the part of it to draw. A reach selection is cut out
/// of the snapshot when there is one: only its nodes (the start nodes, the hits kept and the
/// nodes on their reason paths) and the edges on those paths are built, in the snapshot's
/// order, so drawing a few hundred nodes does not load a million, and draws what [`select`]
/// would. Any other selection, and a database without a snapshot, is [`select`]'s. Not for a
/// drawing clustered by field, which looks at every link of a node.
pub fn drawn<'g>(
    data: &'g DataSet,
    selection: &Selection,
    kinds: &[NodeKind],
) -> Result<(Cow<'g, Graph>, Subgraph)> {
    if let (
        Selection::Reach {
            start,
            direction,
            options,
            limit,
        },
        Some(compact),
    ) = (selection, data.compact())
    {
        let cut = reach_subgraph(&compact, start, *direction, options, *limit, kinds)?;
        // A snapshot that passed its checks yet cannot give the part: the whole graph draws it.
        if let Ok(graph) = compact.part(&cut.nodes, &cut.edges) {
            // Renumbered in order, so the start nodes stay sorted.
            let mut subgraph = Subgraph::whole(&graph);
            subgraph.highlighted = cut
                .highlighted
                .iter()
                .filter_map(|root| cut.nodes.binary_search(root).ok())
                .map(|i| NodeIx(i as u32))
                .collect();
            return Ok((Cow::Owned(graph), subgraph));
        }
    }
    let (graph, subgraph) = select(data, selection, kinds)?;
    Ok((Cow::Borrowed(graph), subgraph))
}

/// The subgraph of a reach selection on any view: the start nodes, the first `limit` hits of
/// `kinds` (any, when empty) and the nodes and edges of their reason paths.
fn reach_subgraph<G: GraphView>(
    graph: &G,
    start: &[String],
    direction: Direction,
    options: &ReachOptions,
    limit: Option<usize>,
    kinds: &[NodeKind],
) -> Result<Subgraph> {
    let start = resolve_all(graph, start)?;
    let reach = regtrace_core::query::reach(graph, &start, direction, options);
    let hits = reach
        .hits
        .iter()
        .map(|h| h.node)
        .filter(|n| kinds.is_empty() || kinds.contains(&graph.kind(*n)))
        .take(limit.unwrap_or(usize::MAX));
    Ok(Subgraph::of_reach(graph, &reach, hits))
}

/// What a whole export carries besides the nodes and edges: the data set's own audit rules and,
/// from a database, its kept history. Both only for the whole data set (`Selection::Whole`
/// with no kind filter): a part of it would carry reviews of nodes it leaves out. The default
/// carries nothing.
#[derive(Default)]
pub struct Carried<'d> {
    /// The data set's own audit rules, as (file, text).
    pub audit_rules: &'d [(String, String)],
    /// The kept history (a database's), if any.
    pub history: Option<regtrace_core::record::History>,
}

/// What an export of `selection` carries (see [`Carried`]).
pub fn carried<'d>(data: &'d DataSet, selection: &Selection, kinds: &[NodeKind]) -> Result<Carried<'d>> {
    if !matches!(selection, Selection::Whole) || !kinds.is_empty() {
        return Ok(Carried::default());
    }
    let history = match data.store() {
        Ok(store) => Some(store.history()?).filter(|h| !h.is_empty()),
        Err(_) => None,
    };
    Ok(Carried {
        audit_rules: data.audit_rules(),
        history,
    })
}
