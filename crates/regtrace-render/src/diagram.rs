//! A diagram of a [`Subgraph`]: the nodes with their labels, looks and clusters, and the edges
//! with their relation names. Built once, then written as DOT, Mermaid or GraphML.

use std::collections::HashMap;

use regtrace_core::{EdgeIx, Graph, Lang, NodeIx, NodeKind, Subgraph};

use crate::style::StatusLook;

regtrace_core::vocabulary! {
    /// How to group nodes into boxes.
    ClusterBy, "grouping" {
        /// One box per node kind.
        Kind => "kind",
        /// One box per field: nodes linked to a field node (by any relation) go in its box, with it.
        Field => "field",
    }
}

/// Which way the diagram flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flow {
    /// Edges point left to right: what rests on something stands left of it.
    #[default]
    LeftToRight,
    /// Edges point right to left: for impact pictures, the change stands on the left.
    RightToLeft,
}

/// Options of a diagram.
#[derive(Debug, Clone)]
pub struct DiagramOptions {
    /// Language of the titles.
    pub lang: Lang,
    /// Grouping, if any.
    pub cluster: Option<ClusterBy>,
    /// Draw a legend of the kinds and looks used.
    pub legend: bool,
    /// Which way edges point.
    pub flow: Flow,
    /// Wrap titles at this many display columns (a CJK character counts two).
    pub wrap: usize,
    /// Make each node a link: this address with `{id}` replaced by the node's id
    /// (percent-encoded), e.g. `/nodes/{id}?lang=ja`. SVG only; it opens in the whole window.
    pub link: Option<String>,
    /// Put the highlighted (root) nodes first in rank order (a neighbourhood's roots). Not
    /// with clusters, which Graphviz lays out on their own.
    pub roots_first: bool,
}

impl Default for DiagramOptions {
    fn default() -> Self {
        DiagramOptions {
            lang: Lang::En,
            cluster: None,
            legend: true,
            flow: Flow::LeftToRight,
            wrap: 32,
            link: None,
            roots_first: false,
        }
    }
}

/// One node as drawn.
#[derive(Debug, Clone)]
pub struct DiagramNode {
    /// Which node.
    pub node: NodeIx,
    /// The node's id, then its title wrapped into lines.
    pub lines: Vec<String>,
    /// Emphasised (a changed node or a start node).
    pub highlighted: bool,
    /// Its look by status.
    pub look: StatusLook,
    /// Index into [`Diagram::clusters`].
    pub cluster: Option<usize>,
}

/// One edge as drawn: positions in [`Diagram::nodes`].
#[derive(Debug, Clone)]
pub struct DiagramEdge {
    /// Which edge.
    pub edge: EdgeIx,
    /// Position of the source node.
    pub from: usize,
    /// Position of the target node.
    pub to: usize,
    /// The relation's name.
    pub relation: String,
}

/// A subgraph ready to be written in a diagram format.
#[derive(Debug)]
pub struct Diagram<'g> {
    /// The graph drawn from.
    pub graph: &'g Graph,
    /// Nodes, in subgraph order.
    pub nodes: Vec<DiagramNode>,
    /// Edges, in subgraph order.
    pub edges: Vec<DiagramEdge>,
    /// Cluster titles.
    pub clusters: Vec<String>,
    /// The options it was built with.
    pub options: DiagramOptions,
}

impl<'g> Diagram<'g> {
    /// Lays out labels, looks and clusters of `subgraph`.
    pub fn new(graph: &'g Graph, subgraph: &Subgraph, options: DiagramOptions) -> Diagram<'g> {
        let position: HashMap<NodeIx, usize> =
            subgraph.nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let mut clusters: Vec<String> = Vec::new();
        let mut cluster_of_key: HashMap<String, usize> = HashMap::new();
        let mut cluster_for = |key: String, title: String| -> usize {
            *cluster_of_key.entry(key).or_insert_with(|| {
                clusters.push(title);
                clusters.len() - 1
            })
        };
        let nodes = subgraph
            .nodes
            .iter()
            .map(|&ix| {
                let node = graph.node(ix);
                let mut lines = vec![node.id.clone()];
                lines.extend(
                    textwrap::wrap(node.title_in(options.lang), options.wrap.max(8))
                        .into_iter()
                        .map(|l| l.into_owned()),
                );
                // Neighbours a node budget left out, said on the node that has them.
                if let Ok(at) = subgraph.more.binary_search_by_key(&ix, |(n, _)| *n) {
                    lines.push(match options.lang {
                        Lang::En => format!("(+{} more not drawn)", subgraph.more[at].1),
                        Lang::Ja => format!("（ほか{}件、未表示）", subgraph.more[at].1),
                    });
                }
                let cluster = match options.cluster {
                    None => None,
                    Some(ClusterBy::Kind) => Some(cluster_for(
                        node.kind.as_str().to_owned(),
                        crate::words::kind(node.kind, options.lang).to_owned(),
                    )),
                    Some(ClusterBy::Field) => field_of(graph, ix).map(|field| {
                        let f = graph.node(field);
                        cluster_for(f.id.clone(), f.title_in(options.lang).to_owned())
                    }),
                };
                DiagramNode {
                    node: ix,
                    lines,
                    highlighted: subgraph.highlighted.binary_search(&ix).is_ok(),
                    look: StatusLook::of(node.status),
                    cluster,
                }
            })
            .collect();
        let edges = subgraph
            .edges
            .iter()
            .filter_map(|&e| {
                let link = graph.link(e);
                Some(DiagramEdge {
                    edge: e,
                    from: *position.get(&link.from)?,
                    to: *position.get(&link.to)?,
                    relation: graph.catalog().get(link.relation).name.clone(),
                })
            })
            .collect();
        Diagram {
            graph,
            nodes,
            edges,
            clusters,
            options,
        }
    }

    /// The kind of a drawn node.
    pub fn kind(&self, node: &DiagramNode) -> NodeKind {
        self.graph.node(node.node).kind
    }

    /// The kinds drawn, in a stable order (for legends and class definitions).
    pub fn kinds(&self) -> Vec<NodeKind> {
        let mut kinds: Vec<NodeKind> = self.nodes.iter().map(|n| self.kind(n)).collect();
        kinds.sort_by_key(|k| k.as_str());
        kinds.dedup();
        kinds
    }

    /// The status looks drawn, normal first.
    pub fn looks(&self) -> Vec<StatusLook> {
        [StatusLook::Normal, StatusLook::Unfinished, StatusLook::Retired]
            .into_iter()
            .filter(|look| self.nodes.iter().any(|n| n.look == *look))
            .collect()
    }
}

/// The field a node is filed under: itself if it is a field, else the first field (by id) it
/// links to, either way.
fn field_of(graph: &Graph, node: NodeIx) -> Option<NodeIx> {
    if graph.node(node).kind == NodeKind::Field {
        return Some(node);
    }
    graph
        .outgoing(node)
        .map(|(_, l)| l.to)
        .chain(graph.incoming(node).map(|(_, l)| l.from))
        .filter(|n| graph.node(*n).kind == NodeKind::Field)
        .min_by(|a, b| graph.node(*a).id.cmp(&graph.node(*b).id))
}
