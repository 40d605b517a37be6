//! The validated traceability graph.
//!
//! [`Graph::build`] is the one gate between source data and everything that queries it: it
//! checks ids, statuses, references, the catalog's kind rules and acyclic relations, reporting
//! every problem at once. A `Graph` that exists is valid.
//!
//! Inside, nodes are dense `u32` indices ([`NodeIx`]) and adjacency is held as two CSR arrays
//! (outgoing and incoming edge indices per node), so a graph of a million nodes and a few
//! million edges costs a few tens of megabytes beyond the node records themselves.

use std::collections::HashMap;
use std::hash::BuildHasher;

use petgraph::algo::kosaraju_scc;
use petgraph::graphmap::DiGraphMap;

use crate::catalog::{RelationCatalog, RelationId};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::edges::{EdgeAt, EdgeList, EdgePart};
use crate::model::{Edge, EdgeRef, Node, bad_id};
use crate::suggest::did_you_mean;

/// Dense index of a node in its graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeIx(pub u32);

impl NodeIx {
    /// The index as a `usize`, for slicing.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Dense index of an edge in its graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EdgeIx(pub u32);

/// A resolved edge: both ends as node indices and the relation as a catalog id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Where the relation starts.
    pub from: NodeIx,
    /// Where it points.
    pub to: NodeIx,
    /// Which relation.
    pub relation: RelationId,
    /// Provenance of the link.
    pub source: Option<String>,
}

/// Compressed sparse rows: for node `n`, `items[offsets[n]..offsets[n + 1]]`.
#[derive(Debug, Clone, Default)]
struct Csr {
    offsets: Vec<u32>,
    items: Vec<u32>,
}

impl Csr {
    fn build(node_count: usize, keys: impl Iterator<Item = u32> + Clone) -> Csr {
        let mut offsets = vec![0u32; node_count + 1];
        for key in keys.clone() {
            offsets[key as usize + 1] += 1;
        }
        for i in 0..node_count {
            offsets[i + 1] += offsets[i];
        }
        let mut cursor = offsets.clone();
        let mut items = vec![0u32; *offsets.last().unwrap_or(&0) as usize];
        for (edge, key) in keys.enumerate() {
            let slot = &mut cursor[key as usize];
            items[*slot as usize] = edge as u32;
            *slot += 1;
        }
        Csr { offsets, items }
    }

    fn row(&self, node: NodeIx) -> &[u32] {
        let start = self.offsets[node.index()] as usize;
        let end = self.offsets[node.index() + 1] as usize;
        &self.items[start..end]
    }
}

/// A validated traceability graph with its relation catalog.
#[derive(Debug, Clone)]
pub struct Graph {
    catalog: RelationCatalog,
    nodes: Vec<Node>,
    index: IdIndex,
    links: Vec<Link>,
    outgoing: Csr,
    incoming: Csr,
}

/// Node ids to their index, without a second copy of every id: the table holds node indices
/// and hashes and compares through the nodes themselves. The hash is foldhash (hashbrown's own,
/// seeded at random per process, so crafted ids cannot collide on purpose): SipHash and the id
/// copies cost a third of a million-node load.
#[derive(Debug, Clone, Default)]
struct IdIndex {
    table: hashbrown::HashTable<NodeIx>,
    hasher: foldhash::fast::RandomState,
}

impl IdIndex {
    fn with_capacity(capacity: usize) -> IdIndex {
        IdIndex {
            table: hashbrown::HashTable::with_capacity(capacity),
            hasher: foldhash::fast::RandomState::default(),
        }
    }

    /// The node with id `id`.
    fn get(&self, id: &str, nodes: &[Node]) -> Option<NodeIx> {
        self.table
            .find(self.hasher.hash_one(id), |ix| nodes[ix.index()].id == id)
            .copied()
    }

    /// Adds node `ix` under its id; if a node already has that id, leaves it and returns it.
    fn insert(&mut self, ix: NodeIx, nodes: &[Node]) -> Result<(), NodeIx> {
        let IdIndex { table, hasher } = self;
        let id = nodes[ix.index()].id.as_str();
        let entry = table.entry(
            hasher.hash_one(id),
            |other| nodes[other.index()].id == id,
            |other| hasher.hash_one(nodes[other.index()].id.as_str()),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(first) => Err(*first.get()),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(ix);
                Ok(())
            }
        }
    }
}

/// How many "did you mean" searches one build does over all ids (each costs a pass over every
/// id); further dangling references are still reported, without a suggestion.
const MAX_ID_SUGGESTIONS: usize = 50;

impl Graph {
    /// Validates nodes and edges against the catalog and builds the graph, or returns every
    /// problem found.
    pub fn build(
        catalog: RelationCatalog,
        nodes: Vec<Node>,
        edges: impl Into<EdgeList>,
    ) -> Result<Graph, Diagnostics> {
        let edges: EdgeList = edges.into();
        let mut diagnostics = Diagnostics::default();
        if nodes.len() >= u32::MAX as usize || edges.len() >= u32::MAX as usize {
            diagnostics.push(Diagnostic::new(None, "more than 4 billion nodes or edges"));
            return Err(diagnostics);
        }

        let index = check_nodes(&nodes, &mut diagnostics);
        let (links, origins) = resolve_edges(&catalog, &nodes, &index, &edges, &mut diagnostics);
        // Over the links that resolved, so cycles show alongside every other problem.
        check_acyclic(
            &catalog,
            &nodes,
            &links,
            |link| edges.get(origins[link] as usize).location(),
            &mut diagnostics,
        );
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        Ok(Graph::from_parts(catalog, nodes, index, links))
    }

    /// A graph from parts a built graph was written as (a snapshot): only the id index and the
    /// adjacency are built, not the full validation of [`Graph::build`]. The caller checks that
    /// links lie within `nodes` and the catalog; a repeated id (which `Graph::build` would have
    /// refused, so the parts are damaged) is refused here with the index of its second node.
    pub(crate) fn assemble(
        catalog: RelationCatalog,
        nodes: Vec<Node>,
        links: Vec<Link>,
    ) -> Result<Graph, NodeIx> {
        let mut index = IdIndex::with_capacity(nodes.len());
        for i in 0..nodes.len() {
            index
                .insert(NodeIx(i as u32), &nodes)
                .map_err(|_| NodeIx(i as u32))?;
        }
        Ok(Graph::from_parts(catalog, nodes, index, links))
    }

    /// The graph of checked parts: builds the adjacency in both directions.
    fn from_parts(catalog: RelationCatalog, nodes: Vec<Node>, index: IdIndex, links: Vec<Link>) -> Graph {
        let outgoing = Csr::build(nodes.len(), links.iter().map(|l| l.from.0));
        let incoming = Csr::build(nodes.len(), links.iter().map(|l| l.to.0));
        Graph {
            catalog,
            nodes,
            index,
            links,
            outgoing,
            incoming,
        }
    }

    /// The relation catalog in force.
    pub fn catalog(&self) -> &RelationCatalog {
        &self.catalog
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.links.len()
    }

    /// Every node, in source order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Every edge, in source order.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// The node at `ix`.
    pub fn node(&self, ix: NodeIx) -> &Node {
        &self.nodes[ix.index()]
    }

    /// The index of the node with this exact id.
    pub fn find(&self, id: &str) -> Option<NodeIx> {
        self.index.get(id, &self.nodes)
    }

    /// The index of the node with this exact id, or an error naming the id with the nearest
    /// existing id as a suggestion.
    pub fn resolve(&self, id: &str) -> Result<NodeIx, UnknownNode> {
        crate::view::GraphView::resolve(self, id)
    }

    /// The edge at `ix`.
    pub fn link(&self, ix: EdgeIx) -> &Link {
        &self.links[ix.0 as usize]
    }

    /// Edges that start at `node`, in source order.
    pub fn outgoing(&self, node: NodeIx) -> impl Iterator<Item = (EdgeIx, &Link)> + '_ {
        self.outgoing
            .row(node)
            .iter()
            .map(|&e| (EdgeIx(e), &self.links[e as usize]))
    }

    /// Edges that point to `node`, in source order.
    pub fn incoming(&self, node: NodeIx) -> impl Iterator<Item = (EdgeIx, &Link)> + '_ {
        self.incoming
            .row(node)
            .iter()
            .map(|&e| (EdgeIx(e), &self.links[e as usize]))
    }

    /// Takes the graph apart into its catalog, nodes and edges (as ids), e.g. to store or export it.
    pub fn to_edges(&self) -> Vec<Edge> {
        (0..self.links.len() as u32)
            .map(|e| self.to_edge(EdgeIx(e)))
            .collect()
    }

    /// One edge, with ids instead of indices, borrowed (see [`EdgeRef`]).
    pub fn edge_ref(&self, edge: EdgeIx) -> EdgeRef<'_> {
        let l = self.link(edge);
        EdgeRef {
            from: &self.node(l.from).id,
            to: &self.node(l.to).id,
            relation: &self.catalog.get(l.relation).name,
            source: l.source.as_deref(),
        }
    }

    /// One edge, with ids instead of indices.
    pub fn to_edge(&self, edge: EdgeIx) -> Edge {
        let l = self.link(edge);
        Edge {
            from: self.node(l.from).id.clone(),
            to: self.node(l.to).id.clone(),
            relation: self.catalog.get(l.relation).name.clone(),
            source: l.source.clone(),
            location: None,
        }
    }
}

/// An id that names no node of the graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no node has the id {id:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
pub struct UnknownNode {
    /// The id as given.
    pub id: String,
    /// The nearest existing id, if one is close.
    pub suggestion: Option<String>,
}

fn check_nodes(nodes: &[Node], diagnostics: &mut Diagnostics) -> IdIndex {
    use rayon::prelude::*;
    // Each node's own fields, in parallel; then ids into the index, in order (the first
    // definition of an id wins and later ones are named as duplicates).
    let problems: Vec<Vec<Diagnostic>> = nodes
        .par_iter()
        .with_min_len(4096)
        .map(|node| {
            let mut found = Vec::new();
            let at = || node.location.clone();
            if let Some(problem) = bad_id(&node.id, at()) {
                found.push(problem);
            }
            if node.title.trim().is_empty() {
                found.push(
                    Diagnostic::new(at(), format!("node {:?} has an empty title", node.id))
                        .with_hint("give every node an English `title` (and a Japanese `title_ja`)"),
                );
            }
            if let Some(status) = node.status
                && !node.kind.allowed_statuses().contains(&status)
            {
                let allowed: Vec<&str> = node.kind.allowed_statuses().iter().map(|s| s.as_str()).collect();
                found.push(
                    Diagnostic::new(
                        at(),
                        format!("status {:?} is not allowed for a {}", status.as_str(), node.kind),
                    )
                    .with_hint(format!("a {} may be: {}", node.kind, allowed.join(", "))),
                );
            }
            found
        })
        .collect();
    let mut index = IdIndex::with_capacity(nodes.len());
    for (i, (node, found)) in nodes.iter().zip(problems).enumerate() {
        for problem in found {
            diagnostics.push(problem);
        }
        if let Err(first) = index.insert(NodeIx(i as u32), nodes) {
            let first_at = nodes[first.index()]
                .location
                .as_ref()
                .map(|l| format!(" (first defined at {l})"))
                .unwrap_or_default();
            diagnostics.push(
                Diagnostic::new(
                    node.location.clone(),
                    format!("duplicate id {:?}{first_at}", node.id),
                )
                .with_hint("ids must be unique across all input files; rename or remove one"),
            );
        }
    }
    index
}

/// One edge checked on its own (in parallel): its resolved ends, or what is wrong with it.
enum Checked<'e> {
    Link(NodeIx, RelationId, NodeIx),
    Problems(Vec<Problem<'e>>),
}

/// A problem of one edge; a dangling reference gets its "did you mean" afterwards, in edge
/// order, within the suggestion budget.
enum Problem<'e> {
    Ready(Diagnostic),
    /// An end naming no node: `part` is `From` or `To`.
    Dangling {
        id: &'e str,
        part: EdgePart,
    },
}

/// The relation an edge names, or the problem of a name the catalog does not hold (with the
/// nearest name, or the list). Also asked of a link whose node was rejected for its own
/// problem, so that one run reports every problem of every kind.
pub fn unknown_relation(catalog: &RelationCatalog, edge: EdgeAt<'_>) -> Result<RelationId, Diagnostic> {
    catalog.lookup(edge.relation()).map_err(|unknown| {
        let hint = match unknown.suggestion {
            Some(s) => format!("did you mean {s:?}? (the relations are defined in the catalog)"),
            None => {
                let names: Vec<&str> = catalog.relations().iter().map(|r| r.name.as_str()).collect();
                format!("known relations: {}", names.join(", "))
            }
        };
        Diagnostic::new(
            edge.location_of(EdgePart::Relation),
            format!("unknown relation {:?}", edge.relation()),
        )
        .with_hint(hint)
    })
}
fn check_edge<'e>(
    catalog: &RelationCatalog,
    nodes: &[Node],
    index: &IdIndex,
    edge: EdgeAt<'e>,
) -> Checked<'e> {
    // What is wrong with a link of known ends is its relation: its cell, where a sheet has one.
    let at = || edge.location_of(EdgePart::Relation);
    let mut problems = Vec::new();
    let relation = match unknown_relation(catalog, edge) {
        Ok(r) => Some(r),
        Err(problem) => {
            problems.push(Problem::Ready(problem));
            None
        }
    };
    let from = index.get(edge.from(), nodes);
    let to = index.get(edge.to(), nodes);
    if from.is_none() {
        problems.push(Problem::Dangling {
            id: edge.from(),
            part: EdgePart::From,
        });
    }
    if to.is_none() {
        problems.push(Problem::Dangling {
            id: edge.to(),
            part: EdgePart::To,
        });
    }
    let (Some(relation), Some(from), Some(to)) = (relation, from, to) else {
        return Checked::Problems(problems);
    };
    if from == to {
        return Checked::Problems(vec![Problem::Ready(
            Diagnostic::new(
                at(),
                format!("node {:?} relates to itself ({})", edge.from(), edge.relation()),
            )
            .with_hint("a relation must join two different nodes"),
        )]);
    }
    let rule = catalog.get(relation);
    let (from_kind, to_kind) = (nodes[from.index()].kind, nodes[to.index()].kind);
    if !rule.from.contains(from_kind) || !rule.to.contains(to_kind) {
        return Checked::Problems(vec![Problem::Ready(
            Diagnostic::new(
                at(),
                format!(
                    "relation {:?} is not allowed from a {from_kind} ({:?}) to a {to_kind} ({:?})",
                    rule.name,
                    edge.from(),
                    edge.to()
                ),
            )
            .with_hint(format!("{} goes from {} to {}", rule.name, rule.from, rule.to)),
        )]);
    }
    if rule.same_kind && from_kind != to_kind {
        return Checked::Problems(vec![Problem::Ready(
            Diagnostic::new(
                at(),
                format!("relation {:?} must join two nodes of the same kind, not a {from_kind} ({:?}) and a {to_kind} ({:?})", rule.name, edge.from(), edge.to()),
            )
            .with_hint(format!("{} links a newer {from_kind} to an older one", rule.name)),
        )]);
    }
    Checked::Link(from, relation, to)
}

fn resolve_edges(
    catalog: &RelationCatalog,
    nodes: &[Node],
    index: &IdIndex,
    edges: &EdgeList,
    diagnostics: &mut Diagnostics,
) -> (Vec<Link>, Vec<u32>) {
    use rayon::prelude::*;
    // Each edge on its own, in parallel (ids looked up, kinds checked), kept as its resolved
    // ends (12 bytes an edge, millions of them) or `FAILED`; then, in edge order, duplicates
    // and the diagnostics, a failed edge checked again for what is wrong with it.
    const FAILED: (u32, u16, u32) = (u32::MAX, u16::MAX, u32::MAX);
    let resolved: Vec<(u32, u16, u32)> = (0..edges.len())
        .into_par_iter()
        .with_min_len(4096)
        .map(|i| match check_edge(catalog, nodes, index, edges.get(i)) {
            Checked::Link(from, relation, to) => (from.0, relation.0, to.0),
            Checked::Problems(_) => FAILED,
        })
        .collect();

    // Duplicates: the resolved (from, relation, to) of every edge, sorted (in parallel) with
    // the edge's position, so each repeat sits right after its first occurrence. Repeats are
    // rare: the first of each is kept by the repeat's position.
    let mut keys: Vec<(u32, u16, u32, u32)> = resolved
        .iter()
        .enumerate()
        .filter(|(_, r)| **r != FAILED)
        .map(|(i, &(from, relation, to))| (from, relation, to, i as u32))
        .collect();
    keys.par_sort_unstable();
    let mut first_of: HashMap<u32, u32> = HashMap::new();
    for pair in keys.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if (a.0, a.1, a.2) == (b.0, b.1, b.2) {
            let first = first_of.get(&a.3).copied().unwrap_or(a.3);
            first_of.insert(b.3, first);
        }
    }
    drop(keys);

    let mut suggestions_left = MAX_ID_SUGGESTIONS;
    let mut links = Vec::with_capacity(edges.len());
    let mut origins = Vec::with_capacity(edges.len());
    for (i, (edge, resolved)) in edges.iter().zip(resolved).enumerate() {
        let (from, relation, to) = match resolved {
            (from, relation, to) if resolved != FAILED => (NodeIx(from), RelationId(relation), NodeIx(to)),
            _ => match check_edge(catalog, nodes, index, edge) {
                Checked::Link(from, relation, to) => (from, relation, to),
                Checked::Problems(problems) => {
                    for problem in problems {
                        diagnostics.push(match problem {
                            Problem::Ready(diagnostic) => diagnostic,
                            Problem::Dangling { id, part } => {
                                let side = if part == EdgePart::From { "from" } else { "to" };
                                let diagnostic = Diagnostic::new(
                                    edge.location_of(part),
                                    format!("{} {side} unknown node {id:?}", edge.relation()),
                                );
                                let suggestion = if suggestions_left > 0 {
                                    suggestions_left -= 1;
                                    did_you_mean(id, nodes.iter().map(|n| n.id.as_str()))
                                } else {
                                    None
                                };
                                match suggestion {
                                    Some(s) => diagnostic.with_hint(format!("did you mean {s:?}?")),
                                    None => diagnostic
                                        .with_hint("define a node with this id, or correct the reference"),
                                }
                            }
                        });
                    }
                    continue;
                }
            },
        };
        if let Some(&first) = first_of.get(&(i as u32)) {
            let first_at = edges
                .get(first as usize)
                .location()
                .map(|l| format!(" (first at {l})"))
                .unwrap_or_default();
            diagnostics.push(
                Diagnostic::new(
                    edge.location(),
                    format!(
                        "duplicate relation {:?} {} {:?}{first_at}",
                        edge.from(),
                        catalog.get(relation).name,
                        edge.to()
                    ),
                )
                .with_hint("list each relation once"),
            );
            continue;
        }
        links.push(Link {
            from,
            to,
            relation,
            source: edge.source().map(str::to_owned),
        });
        origins.push(i as u32);
    }
    (links, origins)
}

/// Reports every cycle formed by the edges of each relation the catalog marks `acyclic`.
fn check_acyclic(
    catalog: &RelationCatalog,
    nodes: &[Node],
    links: &[Link],
    location_of: impl Fn(usize) -> Option<Location>,
    diagnostics: &mut Diagnostics,
) {
    for (relation_id, relation) in catalog.iter().filter(|(_, r)| r.acyclic) {
        let mut graph: DiGraphMap<u32, usize> = DiGraphMap::new();
        for (i, link) in links
            .iter()
            .enumerate()
            .filter(|(_, l)| l.relation == relation_id)
        {
            graph.add_edge(link.from.0, link.to.0, i);
        }
        for mut component in kosaraju_scc(&graph).into_iter().filter(|c| c.len() > 1) {
            component.sort_unstable();
            // A long cycle is named by its first nodes and counted, not listed whole.
            const NAMED: usize = 20;
            let mut names: Vec<&str> = component
                .iter()
                .take(NAMED)
                .map(|&n| nodes[n as usize].id.as_str())
                .collect();
            let more = component.len().saturating_sub(NAMED);
            let more = format!("… and {more} more ({} nodes in all)", component.len());
            if component.len() > NAMED {
                names.push(&more);
            }
            // Point at the edge leaving the first node of the cycle that stays inside it.
            let at = graph
                .edges(component[0])
                .find(|(_, to, _)| component.binary_search(to).is_ok())
                .and_then(|(_, _, &link)| location_of(link));
            diagnostics.push(
                Diagnostic::new(
                    at,
                    format!("cycle in {:?} chain: {}", relation.name, names.join(", ")),
                )
                .with_hint(format!(
                    "{} must not loop back; remove one of these links",
                    relation.name
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Impact;
    use crate::model::{NodeKind, Status};
    use std::sync::Arc;

    use crate::testing::cited_standards as catalog;

    fn at(line: u32) -> Option<Location> {
        Some(Location::new(Arc::from("d.toml"), Some(line), None))
    }

    fn node(id: &str, kind: NodeKind, line: u32) -> Node {
        let mut n = Node::new(id, kind, format!("title of {id}"));
        n.location = at(line);
        n
    }

    fn edge(from: &str, relation: &str, to: &str, line: u32) -> Edge {
        let mut e = Edge::new(from, relation, to);
        e.location = at(line);
        e
    }

    #[test]
    fn a_borrowed_edge_writes_the_same_json_as_the_edge() {
        let mut sourced = edge("GL-1", "cites", "STD-1", 4);
        sourced.source = Some("slide 9, \"quoted\"".into());
        let graph = Graph::build(
            catalog(),
            vec![
                node("GL-1", NodeKind::Guideline, 1),
                node("STD-1", NodeKind::Standard, 2),
                node("STD-2", NodeKind::Standard, 3),
            ],
            vec![sourced, edge("STD-1", "cites", "STD-2", 5)],
        )
        .unwrap();
        for e in 0..graph.links().len() as u32 {
            let (owned, borrowed) = (graph.to_edge(EdgeIx(e)), graph.edge_ref(EdgeIx(e)));
            assert_eq!(
                serde_json::to_string(&owned).unwrap(),
                serde_json::to_string(&borrowed).unwrap()
            );
        }
    }

    #[test]
    fn builds_both_adjacencies() {
        let nodes = vec![
            node("GL-1", NodeKind::Guideline, 1),
            node("STD-1", NodeKind::Standard, 2),
            node("STD-2", NodeKind::Standard, 3),
        ];
        let edges = vec![
            edge("GL-1", "cites", "STD-1", 4),
            edge("STD-1", "cites", "STD-2", 5),
            edge("GL-1", "cites", "STD-2", 6),
        ];
        let graph = Graph::build(catalog(), nodes, edges).unwrap();
        let gl = graph.find("GL-1").unwrap();
        let std2 = graph.find("STD-2").unwrap();
        assert_eq!(graph.outgoing(gl).count(), 2);
        let cited_by: Vec<&str> = graph
            .incoming(std2)
            .map(|(_, l)| graph.node(l.from).id.as_str())
            .collect();
        // Rows list edges in source order.
        assert_eq!(cited_by, ["STD-1", "GL-1"]);
        assert!(graph.find("gl-1").is_none(), "ids are case-sensitive");
        assert_eq!(
            graph.resolve("STD-3").unwrap_err().suggestion.as_deref(),
            Some("STD-1")
        );
        assert_eq!(
            graph.catalog().get(graph.links()[0].relation).impact,
            Impact::ToSource
        );
    }

    #[test]
    fn reports_every_problem_at_once() {
        let mut withdrawn_guideline = node("GL-2", NodeKind::Guideline, 3);
        withdrawn_guideline.status = Some(Status::Enacted);
        let nodes = vec![
            node("GL-1", NodeKind::Guideline, 1),
            node("GL-1", NodeKind::Guideline, 2),
            withdrawn_guideline,
            node("bad id", NodeKind::Standard, 4),
            node("STD-1", NodeKind::Standard, 5),
        ];
        let edges = vec![
            edge("GL-1", "cite", "STD-1", 10),
            edge("GL-1", "cites", "STD-9", 11),
            edge("STD-1", "cites", "GL-1", 12),
            edge("STD-1", "cites", "STD-1", 13),
            edge("GL-1", "cites", "STD-1", 14),
            edge("GL-1", "cites", "STD-1", 15),
        ];
        let problems = Graph::build(catalog(), nodes, edges).unwrap_err();
        let text: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        let expect = [
            "d.toml:2: error: duplicate id \"GL-1\" (first defined at d.toml:1)",
            "d.toml:3: error: status \"enacted\" is not allowed for a guideline",
            "d.toml:4: error: bad id \"bad id\": the id contains ' '",
            "d.toml:10: error: unknown relation \"cite\"\n  hint: did you mean \"cites\"?",
            "d.toml:11: error: cites to unknown node \"STD-9\"\n  hint: did you mean \"STD-1\"?",
            "d.toml:12: error: relation \"cites\" is not allowed from a standard (\"STD-1\") to a guideline (\"GL-1\")\n  hint: cites goes from guideline, standard to standard",
            "d.toml:13: error: node \"STD-1\" relates to itself (cites)",
            "d.toml:15: error: duplicate relation \"GL-1\" cites \"STD-1\" (first at d.toml:14)",
        ];
        assert_eq!(text.len(), expect.len(), "{text:#?}");
        for (got, want) in text.iter().zip(expect) {
            assert!(got.starts_with(want), "got {got:?}\nwant prefix {want:?}");
        }
    }

    #[test]
    fn finds_cycles_in_acyclic_relations_only() {
        let nodes = vec![
            node("A", NodeKind::Standard, 1),
            node("B", NodeKind::Standard, 2),
            node("C", NodeKind::Standard, 3),
        ];
        // A cites-cycle is fine (standards cite each other); a supersedes-cycle is not.
        let edges = vec![
            edge("A", "cites", "B", 10),
            edge("B", "cites", "A", 11),
            edge("A", "supersedes", "B", 12),
            edge("B", "supersedes", "C", 13),
            edge("C", "supersedes", "A", 14),
        ];
        let problems = Graph::build(catalog(), nodes, edges).unwrap_err();
        let text: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert_eq!(text.len(), 1, "{text:#?}");
        assert!(
            text[0].starts_with("d.toml:12: error: cycle in \"supersedes\" chain: A, B, C"),
            "{}",
            text[0]
        );
    }
}
