//! The data set's nodes: `show` one, `list` them, `search` them, count them (`stats`), and
//! `path` between two.

use std::collections::BTreeMap;

use regtrace_core::search::SearchText;
use regtrace_core::{Chain, EdgeIx, Graph, GraphView, Node, NodeIx, NodeKind, Status};

use crate::dataset::{DataSet, SnapshotState};
use crate::error::Result;
use crate::parse::resolve;

/// One node with its relations, as whole records (read from the snapshot when it is current, so
/// a point lookup does not build the graph).
pub struct Shown {
    /// The node.
    pub node: Node,
    /// Its relations to other nodes, in source order.
    pub outgoing: Vec<Related>,
    /// Other nodes' relations to it, in source order.
    pub incoming: Vec<Related>,
    /// With a database: its reviews, open and closed, oldest first.
    pub reviews: Vec<regtrace_store::Review>,
}

/// A relation of the shown node, with the node at its other end.
pub struct Related {
    /// The relation's name.
    pub relation: String,
    /// Its name for people reading Japanese (the catalog's `title_ja`).
    pub relation_ja: Option<String>,
    /// Which way a change flows along it.
    pub impact: &'static str,
    /// The other end's id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Its English title.
    pub title: String,
    /// Its Japanese title.
    pub title_ja: Option<String>,
    /// Its status.
    pub status: Option<Status>,
    /// The link's provenance.
    pub source: Option<String>,
}

/// A graph that can hand out whole node records and link provenance: the graph, or the
/// snapshot read in place.
pub(crate) trait Records: GraphView {
    fn record(&self, node: NodeIx) -> Node;
    fn link_source(&self, edge: EdgeIx) -> Option<String>;
    /// Each relation's Japanese name, by relation id.
    fn relation_titles_ja(&self) -> Vec<Option<String>>;
}

impl Records for &Graph {
    fn record(&self, node: NodeIx) -> Node {
        self.node(node).clone()
    }
    fn link_source(&self, edge: EdgeIx) -> Option<String> {
        self.link(edge).source.clone()
    }
    fn relation_titles_ja(&self) -> Vec<Option<String>> {
        let relations = self.catalog().relations();
        relations.iter().map(|r| r.title_ja.clone()).collect()
    }
}

impl Records for regtrace_core::compact::CompactGraph<'_> {
    fn record(&self, node: NodeIx) -> Node {
        self.node_record(node)
    }
    fn link_source(&self, edge: EdgeIx) -> Option<String> {
        self.edge_source(edge).map(str::to_owned)
    }
    fn relation_titles_ja(&self) -> Vec<Option<String>> {
        regtrace_core::compact::CompactGraph::relation_titles_ja(self)
    }
}

fn related<G: Records>(view: &G, node: NodeIx, outgoing: bool) -> Vec<Related> {
    let links: Vec<(EdgeIx, regtrace_core::Ends)> = if outgoing {
        view.out_links(node).collect()
    } else {
        view.in_links(node).collect()
    };
    let titles_ja = view.relation_titles_ja();
    links
        .into_iter()
        .map(|(edge, ends)| {
            let other = if ends.from == node { ends.to } else { ends.from };
            Related {
                relation: view.relation_name(ends.relation).to_owned(),
                relation_ja: titles_ja.get(usize::from(ends.relation.0)).cloned().flatten(),
                impact: view.relation_impact(ends.relation).as_str(),
                id: view.id(other).to_owned(),
                kind: view.kind(other),
                title: view.title(other).to_owned(),
                title_ja: view.title_ja(other).map(str::to_owned),
                status: view.status(other),
                source: view.link_source(edge),
            }
        })
        .collect()
}

fn shown_in<G: Records>(view: &G, id: &str) -> Result<(Node, Vec<Related>, Vec<Related>)> {
    let node = resolve(view, id)?;
    Ok((
        view.record(node),
        related(view, node, true),
        related(view, node, false),
    ))
}

/// The node with this id and its relations.
pub fn show(data: &DataSet, id: &str) -> Result<Shown> {
    let (node, outgoing, incoming) = match data.compact() {
        Some(view) => shown_in(&view, id)?,
        None => shown_in(&data.graph()?, id)?,
    };
    let reviews = match data.store() {
        Ok(store) => store
            .reviews()?
            .into_iter()
            .filter(|r| r.node == node.id)
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(Shown {
        node,
        outgoing,
        incoming,
        reviews,
    })
}

/// Nodes of some kinds and statuses (all when a list is empty), by id (so two data sets list
/// alike, whatever order their files gave), as whole records: read from the snapshot when it is
/// current, without building the graph.
pub fn list(data: &DataSet, kinds: &[NodeKind], statuses: &[Status], limit: Option<usize>) -> Result<Listed> {
    Ok(match data.compact() {
        Some(view) => listed(&view, kinds, statuses, limit),
        None => listed(&data.graph()?, kinds, statuses, limit),
    })
}

/// What [`list`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// How many nodes are of the kinds and statuses asked.
    pub total: usize,
    /// The first of them by id (all, or as many as the limit), as whole records.
    pub nodes: Vec<Node>,
}

fn listed<G: Records>(view: &G, kinds: &[NodeKind], statuses: &[Status], limit: Option<usize>) -> Listed {
    let mut nodes: Vec<NodeIx> = (0..view.node_count() as u32)
        .map(NodeIx)
        .filter(|n| {
            (kinds.is_empty() || kinds.contains(&view.kind(*n)))
                && (statuses.is_empty() || view.status(*n).is_some_and(|s| statuses.contains(&s)))
        })
        .collect();
    // The snapshot knows each id's rank; the graph compares the ids.
    if nodes.iter().all(|n| view.id_rank(*n).is_some()) {
        nodes.sort_unstable_by_key(|n| view.id_rank(*n));
    } else {
        nodes.sort_unstable_by(|a, b| view.id(*a).cmp(view.id(*b)));
    }
    let total = nodes.len();
    // Records (the costly part at a million nodes) only for the nodes shown.
    nodes.truncate(limit.unwrap_or(total));
    Listed {
        total,
        nodes: nodes.into_iter().map(|n| view.record(n)).collect(),
    }
}

/// What a search found.
pub struct Found {
    /// The text searched for.
    pub query: String,
    /// How many nodes matched.
    pub total: usize,
    /// The ones to show (at most the limit), best first, as whole records.
    pub nodes: Vec<Node>,
}

/// Nodes whose id, titles or designation contain `text` (case- and width-folded).
/// Several words: a node must contain each (`search 人工 心臓`); one word may hold spaces and
/// is then matched as one phrase. A database with a current snapshot is searched in the
/// snapshot's folded search text, without building the graph.
pub fn search(data: &DataSet, words: &[String], kinds: &[NodeKind], limit: usize) -> Result<Found> {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let (total, nodes) = match data.compact() {
        Some(view) => found_in(&view, &view.search_text(), &words, kinds, limit),
        None => {
            let graph = data.graph()?;
            found_in(&graph, data.search_text()?, &words, kinds, limit)
        }
    };
    Ok(Found {
        query: words.join(" "),
        total,
        nodes,
    })
}

fn found_in<G: Records + Sync>(
    view: &G,
    text: &SearchText<'_>,
    words: &[&str],
    kinds: &[NodeKind],
    limit: usize,
) -> (usize, Vec<Node>) {
    let matches: Vec<NodeIx> = text
        .find(view, words)
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| kinds.is_empty() || kinds.contains(&view.kind(*n)))
        .collect();
    let shown = matches.iter().take(limit).map(|n| view.record(*n)).collect();
    (matches.len(), shown)
}

/// Counts of one kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct KindCount {
    /// Nodes of the kind.
    pub total: usize,
    /// By status (`none` for nodes without one).
    pub by_status: BTreeMap<&'static str, usize>,
}

/// Counts of a data set.
pub struct Stats {
    /// Nodes in all.
    pub nodes: usize,
    /// Edges in all.
    pub edges: usize,
    /// Where the data comes from.
    pub source: String,
    /// Per kind.
    pub kinds: BTreeMap<&'static str, KindCount>,
    /// Edges per relation.
    pub relations: BTreeMap<String, usize>,
    /// Which way a change flows along each relation counted (`to_source`, …).
    pub impacts: BTreeMap<String, &'static str>,
    /// The Japanese name of each relation counted that the catalog gives one.
    pub relations_ja: BTreeMap<String, String>,
    /// With a database, its snapshot's state.
    pub snapshot: Option<SnapshotState>,
}

/// Counts per kind and status, and per relation. A database with a current snapshot is counted
/// in the snapshot, without building the graph.
pub fn stats(data: &DataSet) -> Result<Stats> {
    let counted = match data.compact() {
        Some(view) => count(&view, &Records::relation_titles_ja(&view)),
        None => {
            let graph = data.graph()?;
            count(&graph, &Records::relation_titles_ja(&graph))
        }
    };
    let (kinds, relations, impacts, relations_ja, nodes, edges) = counted;
    Ok(Stats {
        nodes,
        edges,
        source: data.origin().describe(),
        kinds,
        relations_ja,
        relations,
        impacts,
        snapshot: data.snapshot_state(),
    })
}

type Counted = (
    BTreeMap<&'static str, KindCount>,
    BTreeMap<String, usize>,
    BTreeMap<String, &'static str>,
    BTreeMap<String, String>,
    usize,
    usize,
);

/// Counts of `view`, with the relations' Japanese names from `titles_ja` (by relation id).
fn count<G: regtrace_core::GraphView>(view: &G, titles_ja: &[Option<String>]) -> Counted {
    let mut kinds: BTreeMap<&'static str, KindCount> = BTreeMap::new();
    let mut per_relation = vec![0usize; view.relation_count()];
    let mut edges = 0;
    for n in 0..view.node_count() as u32 {
        let node = NodeIx(n);
        let entry = kinds.entry(view.kind(node).as_str()).or_default();
        entry.total += 1;
        *entry
            .by_status
            .entry(view.status(node).map_or("none", |s| s.as_str()))
            .or_default() += 1;
        for (_, ends) in view.out_links(node) {
            per_relation[usize::from(ends.relation.0)] += 1;
            edges += 1;
        }
    }
    let (mut relations, mut impacts, mut relations_ja) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for (r, n) in per_relation.into_iter().enumerate().filter(|(_, n)| *n > 0) {
        let relation = regtrace_core::RelationId(r as u16);
        let name = view.relation_name(relation).to_owned();
        impacts.insert(name.clone(), view.relation_impact(relation).as_str());
        if let Some(Some(ja)) = titles_ja.get(r) {
            relations_ja.insert(name.clone(), ja.clone());
        }
        relations.insert(name, n);
    }
    (kinds, relations, impacts, relations_ja, view.node_count(), edges)
}

/// A `path` question.
#[derive(Debug, Clone)]
pub struct PathRequest {
    /// Where the chain starts.
    pub from: String,
    /// Where it ends.
    pub to: String,
    /// All simple chains instead of one shortest.
    pub all: bool,
    /// With `all`: at most this many chains.
    pub max: usize,
    /// With `all`: chains of at most this many hops.
    pub max_hops: usize,
}

/// One chain between two nodes, walked from the start: `nodes[i]` and `nodes[i + 1]` are the
/// ends of `edges[i]` (in either direction).
#[derive(Debug, Clone)]
pub struct Walk {
    /// The nodes passed, first the start.
    pub nodes: Vec<NodeIx>,
    /// The edges taken.
    pub edges: Vec<EdgeIx>,
    /// The ids of `nodes`.
    pub ids: Vec<String>,
    /// Each edge as stored: (from, relation, to), by ids.
    pub hops: Vec<(String, String, String)>,
    /// The chain as written for people (arrows in the direction of each link).
    pub chain: Chain,
}

/// A node as an answer shows it: its id, kind and both titles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Titled {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// English title.
    pub title: String,
    /// Japanese title.
    pub title_ja: Option<String>,
}

impl Titled {
    /// Node `node` of `graph`.
    pub(crate) fn of<G: GraphView>(graph: &G, node: NodeIx) -> Titled {
        Titled {
            id: graph.id(node).to_owned(),
            kind: graph.kind(node),
            title: graph.title(node).to_owned(),
            title_ja: graph.title_ja(node).map(str::to_owned),
        }
    }

    /// The title in the asked language, falling back to the other one.
    pub fn title_in(&self, lang: regtrace_core::Lang) -> &str {
        lang.pick(&self.title, self.title_ja.as_deref())
    }
}

/// The chains between two nodes.
pub struct Paths {
    /// The question.
    pub request: PathRequest,
    /// The chains found, shortest first.
    pub walks: Vec<Walk>,
    /// Every node on them, in the order the chains first pass it.
    pub passed: Vec<Titled>,
}

/// One shortest chain (or all simple chains) between two nodes, edges followed either way:
/// in the database's snapshot when it is current, else in the graph.
pub fn path(data: &DataSet, request: PathRequest) -> Result<Paths> {
    match data.compact() {
        Some(view) => paths_in(&view, request),
        None => paths_in(data.graph()?, request),
    }
}

fn paths_in<G: GraphView>(graph: &G, request: PathRequest) -> Result<Paths> {
    let (a, b) = (resolve(graph, &request.from)?, resolve(graph, &request.to)?);
    let paths: Vec<Vec<EdgeIx>> = if request.all {
        regtrace_core::query::all_paths(graph, a, b, request.max_hops, request.max)
    } else {
        regtrace_core::query::shortest_path(graph, a, b)
            .into_iter()
            .collect()
    };
    let mut walks: Vec<(Vec<NodeIx>, Vec<EdgeIx>)> = paths
        .into_iter()
        .map(|edges| {
            let mut at = a;
            let mut nodes = vec![a];
            for e in &edges {
                let ends = graph.ends(*e);
                at = if ends.from == at { ends.to } else { ends.from };
                nodes.push(at);
            }
            (nodes, edges)
        })
        .collect();
    // Shortest first; among chains of one length, the most direct: fewest links followed
    // against their direction, then fewest detours through another node of the same kind as
    // either end (another device, another law).
    let (kind_a, kind_b) = (graph.kind(a), graph.kind(b));
    let directness = |(nodes, edges): &(Vec<NodeIx>, Vec<EdgeIx>)| {
        let against = edges
            .iter()
            .zip(nodes)
            .filter(|(e, from)| graph.ends(**e).from != **from)
            .count();
        let inner = &nodes[1..nodes.len().saturating_sub(1)];
        let detours = inner
            .iter()
            .filter(|n| {
                let kind = graph.kind(**n);
                kind == kind_a || kind == kind_b
            })
            .count();
        (edges.len(), against, detours)
    };
    walks.sort_by_key(directness);
    let mut passed: Vec<NodeIx> = Vec::new();
    for (nodes, _) in &walks {
        for n in nodes {
            if !passed.contains(n) {
                passed.push(*n);
            }
        }
    }
    let walks = walks
        .into_iter()
        .map(|(nodes, edges)| Walk {
            ids: nodes.iter().map(|n| graph.id(*n).to_owned()).collect(),
            hops: edges
                .iter()
                .map(|e| {
                    let ends = graph.ends(*e);
                    (
                        graph.id(ends.from).to_owned(),
                        graph.relation_name(ends.relation).to_owned(),
                        graph.id(ends.to).to_owned(),
                    )
                })
                .collect(),
            chain: Chain::of_walk(graph, &nodes, &edges),
            nodes,
            edges,
        })
        .collect();
    let passed = passed.into_iter().map(|n| Titled::of(graph, n)).collect();
    Ok(Paths {
        request,
        walks,
        passed,
    })
}
