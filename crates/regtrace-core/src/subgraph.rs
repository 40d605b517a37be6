//! Parts of the graph to draw or export: the whole graph, the neighbourhood of some nodes, or
//! the impact subgraph of a change. A [`Subgraph`] only names nodes and edges of its [`Graph`];
//! renderers turn it into pictures and files.

use crate::graph::{EdgeIx, Graph, NodeIx};
use crate::model::NodeKind;
use crate::query::Reach;

/// A selection of nodes and edges of a graph. Every edge's ends are among the nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subgraph {
    /// The nodes, in graph order (so output is stable).
    pub nodes: Vec<NodeIx>,
    /// The edges, in graph order.
    pub edges: Vec<EdgeIx>,
    /// Nodes to emphasise: the start nodes of a neighbourhood or the changed nodes of an impact
    /// subgraph. Sorted.
    pub highlighted: Vec<NodeIx>,
    /// After [`Subgraph::trim`]: each kept node with neighbours left out, and how many (in
    /// node order).
    pub more: Vec<(NodeIx, usize)>,
    /// After [`Subgraph::trim`]: how many nodes were left out.
    pub left_out: usize,
}

crate::vocabulary! {
    /// Which edges a neighbourhood follows, seen from its start nodes.
    #[derive(Default)]
    Around, "direction" {
        /// Edges the nodes state (`x --r--> y` from `x`): what they point to.
        Out => "out",
        /// Edges pointing at the nodes: what points to them.
        In => "in",
        /// Both.
        #[default]
        Both => "both",
    }
}

impl Subgraph {
    /// The whole graph.
    pub fn whole(graph: &Graph) -> Subgraph {
        Subgraph {
            nodes: (0..graph.node_count() as u32).map(NodeIx).collect(),
            edges: (0..graph.edge_count() as u32).map(EdgeIx).collect(),
            highlighted: Vec::new(),
            more: Vec::new(),
            left_out: 0,
        }
    }

    /// The nodes within `depth` hops of `roots`, following edges of any relation in the `around`
    /// direction, and every edge among them.
    pub fn neighbourhood(graph: &Graph, roots: &[NodeIx], depth: u32, around: Around) -> Subgraph {
        Subgraph::of_walk(graph, roots, &Subgraph::walk(graph, roots, depth, around))
    }

    /// The nodes a [`Subgraph::walk`] from `roots` met (`walked`), every edge among them, the
    /// roots highlighted.
    pub fn of_walk(graph: &Graph, roots: &[NodeIx], walked: &[NodeIx]) -> Subgraph {
        let mut keep = vec![false; graph.node_count()];
        for node in walked {
            keep[node.index()] = true;
        }
        let mut subgraph = Subgraph::induced(graph, &keep);
        subgraph.highlighted = roots.to_vec();
        subgraph.highlighted.sort();
        subgraph.highlighted.dedup();
        subgraph
    }

    /// The nodes within `depth` hops of `roots`, nearest first: the roots, then each hop's
    /// nodes, those reached through a less linked node first (a node met through a hub, one of
    /// many siblings, says less about the roots than one met through a node of few links),
    /// then in the order the walk met them.
    pub fn walk(graph: &Graph, roots: &[NodeIx], depth: u32, around: Around) -> Vec<NodeIx> {
        let neighbours = |node: NodeIx| {
            let out = matches!(around, Around::Out | Around::Both)
                .then(|| graph.outgoing(node).map(|(_, l)| l.to))
                .into_iter()
                .flatten();
            let inc = matches!(around, Around::In | Around::Both)
                .then(|| graph.incoming(node).map(|(_, l)| l.from))
                .into_iter()
                .flatten();
            out.chain(inc)
        };
        let mut seen = vec![false; graph.node_count()];
        let mut order: Vec<NodeIx> = Vec::new();
        for &root in roots {
            if !std::mem::replace(&mut seen[root.index()], true) {
                order.push(root);
            }
        }
        let mut level_start = 0;
        for _ in 0..depth {
            let level_end = order.len();
            // Each new node with the fewest links of a node it was met through.
            let mut next: Vec<(usize, NodeIx)> = Vec::new();
            let mut via: std::collections::HashMap<NodeIx, usize> = std::collections::HashMap::new();
            for &node in &order[level_start..level_end] {
                let links = neighbours(node).count();
                for neighbour in neighbours(node) {
                    if seen[neighbour.index()] {
                        if let Some(fewest) = via.get_mut(&neighbour) {
                            *fewest = (*fewest).min(links);
                        }
                        continue;
                    }
                    seen[neighbour.index()] = true;
                    via.insert(neighbour, links);
                    next.push((next.len(), neighbour));
                }
            }
            if next.is_empty() {
                break;
            }
            next.sort_by_key(|(met, node)| (via[node], *met));
            order.extend(next.into_iter().map(|(_, node)| node));
            level_start = level_end;
        }
        order
    }

    /// Keeps at most `budget` of the nodes, first in `order` first (nodes not in `order` go
    /// last), never dropping a highlighted node, and records in [`Subgraph::more`] how many
    /// neighbours each kept node lost and in [`Subgraph::left_out`] how many nodes were left out.
    pub fn trim(&mut self, graph: &Graph, order: &[NodeIx], budget: usize) {
        if self.nodes.len() <= budget {
            return;
        }
        let mut rank = vec![usize::MAX; graph.node_count()];
        for (i, node) in order.iter().enumerate() {
            rank[node.index()] = rank[node.index()].min(i);
        }
        let mut by_rank = self.nodes.clone();
        by_rank.sort_by_key(|n| (self.highlighted.binary_search(n).is_err(), rank[n.index()], *n));
        let mut keep = vec![false; graph.node_count()];
        for node in by_rank.iter().take(budget.max(self.highlighted.len())) {
            keep[node.index()] = true;
        }
        let before = self.nodes.len();
        self.nodes.retain(|n| keep[n.index()]);
        // Each kept node's neighbours left out, counted once each.
        let mut lost: std::collections::BTreeSet<(NodeIx, NodeIx)> = std::collections::BTreeSet::new();
        self.edges.retain(|e| {
            let link = graph.link(*e);
            match (keep[link.from.index()], keep[link.to.index()]) {
                (true, true) => true,
                (true, false) => {
                    lost.insert((link.from, link.to));
                    false
                }
                (false, true) => {
                    lost.insert((link.to, link.from));
                    false
                }
                (false, false) => false,
            }
        });
        self.more.clear();
        for (node, _) in &lost {
            match self.more.last_mut() {
                Some((last, count)) if last == node => *count += 1,
                _ => self.more.push((*node, 1)),
            }
        }
        self.left_out += before - self.nodes.len();
    }

    /// The impact (or dependency) subgraph of a reach query: its start nodes, the given hits and
    /// every node and edge on their reason paths. On any view: a snapshot's numbering is the
    /// graph's.
    pub fn of_reach<G: crate::GraphView>(
        graph: &G,
        reach: &Reach,
        hits: impl IntoIterator<Item = NodeIx>,
    ) -> Subgraph {
        let mut keep = vec![false; graph.node_count()];
        let mut edges = Vec::new();
        for &root in &reach.roots {
            keep[root.index()] = true;
        }
        for hit in hits {
            let (path, path_edges) = reach.path(graph, hit);
            for node in path {
                keep[node.index()] = true;
            }
            edges.extend(path_edges);
        }
        edges.sort();
        edges.dedup();
        let mut highlighted = reach.roots.clone();
        highlighted.sort();
        Subgraph {
            nodes: nodes_of(&keep),
            edges,
            highlighted,
            more: Vec::new(),
            left_out: 0,
        }
    }

    /// Keeps only nodes of the given kinds (and the highlighted nodes, whatever their kind),
    /// and the edges between kept nodes. An empty `kinds` keeps everything.
    pub fn retain_kinds(&mut self, graph: &Graph, kinds: &[NodeKind]) {
        if kinds.is_empty() {
            return;
        }
        let mut keep = vec![false; graph.node_count()];
        self.nodes.retain(|n| {
            let kept = kinds.contains(&graph.node(*n).kind) || self.highlighted.binary_search(n).is_ok();
            keep[n.index()] = kept;
            kept
        });
        self.edges.retain(|e| {
            let link = graph.link(*e);
            keep[link.from.index()] && keep[link.to.index()]
        });
    }

    /// Keeps only the nodes `keep` accepts, and the edges between kept nodes.
    pub fn retain_nodes(&mut self, graph: &Graph, keep: impl Fn(NodeIx) -> bool) {
        let mut kept = vec![false; graph.node_count()];
        self.nodes.retain(|n| {
            kept[n.index()] = keep(*n);
            kept[n.index()]
        });
        self.highlighted.retain(|n| kept[n.index()]);
        self.more.retain(|(n, _)| kept[n.index()]);
        self.edges.retain(|e| {
            let link = graph.link(*e);
            kept[link.from.index()] && kept[link.to.index()]
        });
    }

    /// The nodes flagged in `keep` and every edge between two of them.
    fn induced(graph: &Graph, keep: &[bool]) -> Subgraph {
        let nodes = nodes_of(keep);
        let mut edges: Vec<EdgeIx> = nodes
            .iter()
            .flat_map(|n| graph.outgoing(*n))
            .filter(|(_, l)| keep[l.to.index()])
            .map(|(e, _)| e)
            .collect();
        edges.sort();
        Subgraph {
            nodes,
            edges,
            highlighted: Vec::new(),
            more: Vec::new(),
            left_out: 0,
        }
    }
}

fn nodes_of(keep: &[bool]) -> Vec<NodeIx> {
    keep.iter()
        .enumerate()
        .filter(|(_, k)| **k)
        .map(|(i, _)| NodeIx(i as u32))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Node};
    use crate::query::{Direction, ReachOptions};
    use crate::testing::catalog;

    /// g1 and g2 cite s1; g2 cites s2; g1 belongs to f.
    fn graph() -> Graph {
        let nodes = vec![
            Node::new("f", NodeKind::Field, "F"),
            Node::new("g1", NodeKind::Guideline, "G1"),
            Node::new("g2", NodeKind::Guideline, "G2"),
            Node::new("s1", NodeKind::Standard, "S1"),
            Node::new("s2", NodeKind::Standard, "S2"),
        ];
        let edges = vec![
            Edge::new("g1", "cites", "s1"),
            Edge::new("g2", "cites", "s1"),
            Edge::new("g2", "cites", "s2"),
            Edge::new("g1", "belongs_to", "f"),
        ];
        Graph::build(catalog(), nodes, edges).unwrap()
    }

    fn ids(graph: &Graph, nodes: &[NodeIx]) -> Vec<String> {
        let mut ids: Vec<String> = nodes.iter().map(|n| graph.node(*n).id.clone()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn neighbourhood_follows_the_requested_direction() {
        let g = graph();
        let s1 = g.find("s1").unwrap();
        let inward = Subgraph::neighbourhood(&g, &[s1], 1, Around::In);
        assert_eq!(ids(&g, &inward.nodes), ["g1", "g2", "s1"]);
        assert_eq!(inward.edges.len(), 2);
        let outward = Subgraph::neighbourhood(&g, &[s1], 3, Around::Out);
        assert_eq!(ids(&g, &outward.nodes), ["s1"]);
        let both = Subgraph::neighbourhood(&g, &[s1], 2, Around::Both);
        assert_eq!(ids(&g, &both.nodes), ["f", "g1", "g2", "s1", "s2"]);
        assert_eq!(
            both.edges.len(),
            4,
            "the induced subgraph has every edge among its nodes"
        );
        assert_eq!(both.highlighted, vec![s1]);
    }

    #[test]
    fn reach_subgraph_has_the_reason_paths_only() {
        let g = graph();
        let s2 = g.find("s2").unwrap();
        let reach = g.reach(&[s2], Direction::Impact, &ReachOptions::default());
        let sub = Subgraph::of_reach(&g, &reach, reach.hits.iter().map(|h| h.node));
        assert_eq!(ids(&g, &sub.nodes), ["g2", "s2"]);
        assert_eq!(sub.edges.len(), 1);
        assert_eq!(sub.highlighted, vec![s2]);
    }

    #[test]
    fn kind_filter_keeps_highlighted_nodes_and_drops_dangling_edges() {
        let g = graph();
        let g1 = g.find("g1").unwrap();
        let mut sub = Subgraph::neighbourhood(&g, &[g1], 2, Around::Both);
        sub.retain_kinds(&g, &[NodeKind::Standard]);
        assert_eq!(ids(&g, &sub.nodes), ["g1", "s1"]);
        assert_eq!(sub.edges.len(), 1);
        for e in &sub.edges {
            let link = g.link(*e);
            assert!(sub.nodes.contains(&link.from) && sub.nodes.contains(&link.to));
        }
    }

    #[test]
    fn a_walk_meets_nodes_through_few_links_first_and_a_trim_says_what_it_left_out() {
        use crate::model::{Edge, Node, NodeKind};
        let catalog = crate::testing::any_kind();
        let mut nodes = vec![
            Node::new("r", NodeKind::Guideline, "root"),
            Node::new("hub", NodeKind::Programme, "hub"),
            Node::new("a", NodeKind::Field, "a"),
        ];
        let mut edges = vec![Edge::new("r", "cites", "hub"), Edge::new("r", "cites", "a")];
        for i in 0..5 {
            nodes.push(Node::new(format!("leaf{i}"), NodeKind::Guideline, "leaf"));
            edges.push(Edge::new(format!("leaf{i}"), "cites", "hub"));
        }
        nodes.push(Node::new("b", NodeKind::Guideline, "b"));
        edges.push(Edge::new("b", "cites", "a"));
        let g = Graph::build(catalog, nodes, edges).unwrap();
        let r = g.find("r").unwrap();
        let ids = |order: &[NodeIx]| order.iter().map(|n| g.node(*n).id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(&Subgraph::walk(&g, &[r], 2, Around::Both)),
            ["r", "hub", "a", "b", "leaf0", "leaf1", "leaf2", "leaf3", "leaf4"],
            "b (met through a, 2 links) before the hub's leaves (met through 6)"
        );
        let mut sub = Subgraph::neighbourhood(&g, &[r], 2, Around::Both);
        assert_eq!(sub.nodes.len(), 9);
        sub.trim(&g, &Subgraph::walk(&g, &[r], 2, Around::Both), 4);
        assert_eq!(ids(&sub.nodes).len(), 4);
        let mut kept = ids(&sub.nodes);
        kept.sort();
        assert_eq!(kept, ["a", "b", "hub", "r"]);
        assert_eq!(sub.left_out, 5);
        assert_eq!(sub.more, vec![(g.find("hub").unwrap(), 5)]);
        assert!(sub.edges.iter().all(|e| {
            let l = g.link(*e);
            sub.nodes.contains(&l.from) && sub.nodes.contains(&l.to)
        }));
        // A budget below the roots keeps the roots.
        let mut tiny = Subgraph::neighbourhood(&g, &[r], 2, Around::Both);
        tiny.trim(&g, &[], 0);
        assert_eq!(ids(&tiny.nodes), ["r"]);
    }

    #[test]
    fn retain_nodes_keeps_the_accepted_nodes_and_the_edges_between_them() {
        let g = graph();
        let mut whole = Subgraph::whole(&g);
        whole.highlighted = vec![g.find("g1").unwrap(), g.find("g2").unwrap()];
        // Keep g2 and what it cites: g1 and f go, with the edges that touch them.
        whole.retain_nodes(&g, |n| ["g2", "s1", "s2"].contains(&g.node(n).id.as_str()));
        assert_eq!(ids(&g, &whole.nodes), ["g2", "s1", "s2"]);
        assert_eq!(ids(&g, &whole.highlighted), ["g2"]);
        let edges: Vec<(String, String)> = whole
            .edges
            .iter()
            .map(|e| {
                (
                    g.node(g.link(*e).from).id.clone(),
                    g.node(g.link(*e).to).id.clone(),
                )
            })
            .collect();
        assert_eq!(edges, [("g2".into(), "s1".into()), ("g2".into(), "s2".into())]);
    }
}
