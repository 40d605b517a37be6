//! Traversals over the graph: what a change impacts, what a node depends on, and how two nodes
//! are connected. Every answer carries its reason: a shortest chain of edges from a start node.
//!
//! Which way a step goes is decided only by each relation's impact direction in the catalog:
//! - impact of a change to `x`: along `y --r--> x` when `r` is `to_source`, and along
//!   `x --r--> y` when `r` is `to_target`;
//! - dependencies of `x`: the reverse steps.
//!
//! Relations with impact `none` are never followed.

use std::collections::VecDeque;

use rayon::prelude::*;

use chrono::NaiveDate;

use crate::catalog::{Impact, RelationId};
use crate::graph::{EdgeIx, Graph, NodeIx};
use crate::model::{Date, Status};
use crate::view::GraphView;

/// Which way to traverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From a changed node to everything its change impacts.
    Impact,
    /// From a node to everything it rests on.
    Dependencies,
}

/// Options of a reach query.
#[derive(Debug, Clone, Default)]
pub struct ReachOptions {
    /// Stop after this many hops.
    pub max_depth: Option<u32>,
    /// Answer for this date: skip nodes not yet in force or no longer in force then
    /// (see [`Graph::in_force`]); each skipped node is listed in [`Reach::skipped`].
    pub as_of: Option<NaiveDate>,
    /// With `as_of`: skip only nodes no longer in force then, and reach those that come into
    /// force later (published after the date, or not final yet). A change record uses it: a
    /// guideline published after a change that still rests on the changed edition is a stale
    /// reference, and needs a review all the more.
    pub later_too: bool,
}

/// Why a node is not in force on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfForce {
    /// Its status is not final (planned, proposed, in progress, draft).
    NotFinal(Status),
    /// It comes into force later: its `published`, `enacted` or `effective` date is after.
    NotYet {
        /// Which date.
        field: &'static str,
        /// The date.
        date: Date,
    },
    /// It was withdrawn on or before the date (`None`: its status says withdrawn, undated).
    Withdrawn(Option<Date>),
    /// A node that replaces it (e.g. a newer edition that `supersedes` it) is in force.
    Replaced(NodeIx),
}

impl OutOfForce {
    /// Whether it comes into force after the date (rather than having left force before it).
    pub fn is_later(&self) -> bool {
        matches!(self, OutOfForce::NotFinal(_) | OutOfForce::NotYet { .. })
    }

    /// In words, e.g. `not yet in force: published 2021-04-01`.
    pub fn describe<G: GraphView>(&self, graph: &G) -> String {
        match self {
            OutOfForce::NotFinal(status) => format!("not yet in force: status {}", status.as_str()),
            OutOfForce::NotYet { field, date } => format!("not yet in force: {field} {date}"),
            OutOfForce::Withdrawn(Some(date)) => format!("no longer in force: withdrawn {date}"),
            OutOfForce::Withdrawn(None) => "no longer in force: withdrawn".to_owned(),
            OutOfForce::Replaced(by) => format!("no longer in force: replaced by {}", graph.id(*by)),
        }
    }
}

/// A node a search met but did not enter because it was not in force on the date asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skipped {
    /// The node.
    pub node: NodeIx,
    /// Why.
    pub why: OutOfForce,
}

/// One node reached by a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The node reached.
    pub node: NodeIx,
    /// Hops from the nearest start node.
    pub distance: u32,
}

/// The answer of [`Graph::reach`]: every node reached, with one shortest reason path each.
#[derive(Debug, Clone)]
pub struct Reach {
    /// The start nodes, as given (duplicates removed).
    pub roots: Vec<NodeIx>,
    /// Every node reached (start nodes excluded), ordered by distance, then id.
    pub hits: Vec<Hit>,
    /// With `as_of`: the nodes met but not entered because they were not in force then, in the
    /// order met (what rests only on them is not reached either).
    pub skipped: Vec<Skipped>,
    /// For every node: [hops + 1 (0: not reached), 1 + the edge by which the search first
    /// reached it (0: not reached, or a start node), the node it came from]. One entry per node,
    /// so a reached node costs one memory page at most, not three.
    state: Vec<[u32; 3]>,
    direction: Direction,
}

pub(crate) const NONE: u32 = u32::MAX;

/// A level of the walk this large has its links read on every core.
const PARALLEL_LEVEL: usize = 4096;
/// How many nodes of a level one task reads the links of.
const LEVEL_PART: usize = 1024;

impl Reach {
    /// The reason path of a reached node: the nodes from its start node to it, and the edge
    /// between each consecutive pair (`edges.len() == nodes.len() - 1`).
    pub fn path<G: GraphView>(&self, _graph: &G, node: NodeIx) -> (Vec<NodeIx>, Vec<EdgeIx>) {
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for (n, edge) in self.path_back(node) {
            nodes.push(n);
            edges.extend(edge);
        }
        nodes.reverse();
        edges.reverse();
        (nodes, edges)
    }

    /// The reason path of `node` read backwards, without allocating: `node` first, each node
    /// with the edge by which the search reached it, the start node last (with `None`).
    pub fn path_back(&self, node: NodeIx) -> impl Iterator<Item = (NodeIx, Option<EdgeIx>)> + '_ {
        std::iter::successors(Some((node, self.parent_edge(node))), |(n, edge)| {
            edge.map(|_| {
                let from = NodeIx(self.state[n.index()][2]);
                (from, self.parent_edge(from))
            })
        })
    }

    /// The edge by which the search first reached `node` (its last hop); `None` for a start
    /// node or a node not reached. Following it back node by node gives [`Reach::path`].
    pub fn parent_edge(&self, node: NodeIx) -> Option<EdgeIx> {
        let e = self.state[node.index()][1];
        (e != 0).then(|| EdgeIx(e - 1))
    }

    /// Which way this query went.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// True if `node` was reached (start nodes excluded).
    pub fn reached(&self, node: NodeIx) -> bool {
        self.state[node.index()][1] != 0
    }

    /// Takes `other`'s reason paths (and distances) for `nodes`. `other` must be a search from
    /// the same start nodes in the same direction that reached every node of `nodes`, and every
    /// node on their paths in `other` must be in `nodes` or keep a path of its own that `other`
    /// would accept; [`crate::editions::verdicts`] uses it to show the chain that carries a
    /// change rather than one through a clause a newer edition carries over.
    pub(crate) fn adopt<G: GraphView>(&mut self, graph: &G, other: &Reach, nodes: &[NodeIx]) {
        if nodes.is_empty() {
            return;
        }
        for node in nodes {
            self.state[node.index()] = other.state[node.index()];
        }
        for hit in &mut self.hits {
            hit.distance = self.state[hit.node.index()][0] - 1;
        }
        sort_hits(graph, &mut self.hits);
    }
}

/// The steps a traversal in one [`Direction`] may take, decided per relation by its impact
/// direction in the catalog.
pub(crate) struct Steps {
    impacts: Vec<Impact>,
    along_incoming: Impact,
    along_outgoing: Impact,
}

impl Steps {
    pub(crate) fn new<G: GraphView>(graph: &G, direction: Direction) -> Steps {
        let (along_incoming, along_outgoing) = match direction {
            Direction::Impact => (Impact::ToSource, Impact::ToTarget),
            Direction::Dependencies => (Impact::ToTarget, Impact::ToSource),
        };
        Steps {
            impacts: (0..graph.relation_count())
                .map(|r| graph.relation_impact(RelationId(r as u16)))
                .collect(),
            along_incoming,
            along_outgoing,
        }
    }

    /// Every step from `node`: the edge taken and the node it leads to.
    pub(crate) fn from<'g, G: GraphView>(
        &'g self,
        graph: &'g G,
        node: NodeIx,
    ) -> impl Iterator<Item = (EdgeIx, NodeIx)> + 'g {
        let steps_in = graph.in_links(node).filter_map(move |(e, ends)| {
            (self.impacts[ends.relation.0 as usize] == self.along_incoming).then_some((e, ends.from))
        });
        let steps_out = graph.out_links(node).filter_map(move |(e, ends)| {
            (self.impacts[ends.relation.0 as usize] == self.along_outgoing).then_some((e, ends.to))
        });
        steps_in.chain(steps_out)
    }
}

/// Follows parent edges back from `node` until a node that has none (a start node); returns
/// the nodes from that start to `node` and the edge between each consecutive pair.
pub(crate) fn walk_back<G: GraphView>(
    graph: &G,
    parent_edge: &[u32],
    node: NodeIx,
) -> (Vec<NodeIx>, Vec<EdgeIx>) {
    let mut nodes = vec![node];
    let mut edges = Vec::new();
    let mut current = node;
    while parent_edge[current.index()] != NONE {
        let edge = EdgeIx(parent_edge[current.index()]);
        let ends = graph.ends(edge);
        current = if ends.to == current { ends.from } else { ends.to };
        edges.push(edge);
        nodes.push(current);
    }
    nodes.reverse();
    edges.reverse();
    (nodes, edges)
}

/// Is `node` in force on `date`? See [`Graph::in_force`].
pub fn in_force<G: GraphView>(graph: &G, node: NodeIx, date: NaiveDate) -> bool {
    out_of_force(graph, node, date).is_none()
}

/// Why `node` is not in force on `date`, or `None` if it is (see [`Graph::in_force`]).
pub fn out_of_force<G: GraphView>(graph: &G, node: NodeIx, date: NaiveDate) -> Option<OutOfForce> {
    by_dates(graph, node, date).or_else(|| {
        graph
            .in_links(node)
            .find(|(_, ends)| {
                graph.relation_replaces(ends.relation) && by_dates(graph, ends.from, date).is_none()
            })
            .map(|(_, ends)| OutOfForce::Replaced(ends.from))
    })
}

fn by_dates<G: GraphView>(graph: &G, node: NodeIx, date: NaiveDate) -> Option<OutOfForce> {
    // Not final yet (planned, proposed, in progress, draft): in force on no date.
    if let Some(status @ (Status::Planned | Status::Proposed | Status::InProgress | Status::Draft)) =
        graph.status(node)
    {
        return Some(OutOfForce::NotFinal(status));
    }
    let dates = graph.dates(node);
    let later = [
        ("published", dates.published),
        ("enacted", dates.enacted),
        ("effective", dates.effective),
    ]
    .into_iter()
    // A month or a year counts from its first day for coming into force and from its last for
    // leaving it: in doubt, a node is kept in the answer.
    .find_map(|(field, d)| {
        d.filter(|d| d.first_day() > date)
            .map(|date| OutOfForce::NotYet { field, date })
    });
    if later.is_some() {
        return later;
    }
    match dates.withdrawn {
        Some(withdrawn) if withdrawn.last_day() <= date => Some(OutOfForce::Withdrawn(Some(withdrawn))),
        None if graph.status(node) == Some(Status::Withdrawn) => Some(OutOfForce::Withdrawn(None)),
        _ => None,
    }
}

/// The distinct chains by which a search reached `node`, each from a start node to `node` (nodes,
/// and the edge of each hop): first the reason path the search keeps ([`Reach::path`]), then
/// others found walking back from `node` along the search's steps through nodes it reached,
/// never through a node twice, at most `limit` chains of at most `max_hops` hops, and at most a
/// fixed amount of work (so a densely linked graph answers with the chains found so far).
/// What "the real reason" is for a node resting on a change by several chains.
pub fn causes<G: GraphView>(
    graph: &G,
    reach: &Reach,
    node: NodeIx,
    limit: usize,
    max_hops: usize,
) -> Vec<(Vec<NodeIx>, Vec<EdgeIx>)> {
    const WORK: usize = 20_000;
    if limit == 0 || !reach.reached(node) {
        return Vec::new();
    }
    let shown = reach.path(graph, node);
    let mut found = vec![shown];
    let back = Steps::new(
        graph,
        match reach.direction {
            Direction::Impact => Direction::Dependencies,
            Direction::Dependencies => Direction::Impact,
        },
    );
    let is_root = |n: NodeIx| reach.roots.contains(&n);
    // Depth-first from `node` back to the start nodes; `trail` holds (node, edge to the node
    // after it on the chain, next step to try).
    let mut nodes = vec![node];
    let mut edges: Vec<EdgeIx> = Vec::new();
    let mut choices: Vec<Vec<(EdgeIx, NodeIx)>> = vec![back.from(graph, node).collect()];
    let mut work = 0;
    while let Some(options) = choices.last_mut() {
        if found.len() >= limit || work >= WORK {
            break;
        }
        work += 1;
        let Some((edge, next)) = options.pop() else {
            choices.pop();
            nodes.pop();
            edges.pop();
            continue;
        };
        if nodes.contains(&next) || !(reach.reached(next) || is_root(next)) {
            continue;
        }
        if is_root(next) {
            let mut chain_nodes: Vec<NodeIx> = nodes.iter().rev().copied().collect();
            chain_nodes.insert(0, next);
            let mut chain_edges: Vec<EdgeIx> = edges.iter().rev().copied().collect();
            chain_edges.insert(0, edge);
            if !found.iter().any(|(n, e)| *n == chain_nodes && *e == chain_edges) {
                found.push((chain_nodes, chain_edges));
            }
            continue;
        }
        if edges.len() + 1 >= max_hops {
            continue;
        }
        nodes.push(next);
        edges.push(edge);
        choices.push(back.from(graph, next).collect());
    }
    found
}

/// Orders hits by distance, then id: by number when the view ranks its ids, else by string.
fn sort_hits<G: GraphView>(graph: &G, hits: &mut Vec<Hit>) {
    let keyed: Option<Vec<(u64, u32)>> = hits
        .iter()
        .map(|h| {
            graph
                .id_rank(h.node)
                .map(|r| ((h.distance as u64) << 32 | r as u64, h.node.0))
        })
        .collect();
    match keyed {
        Some(mut keys) => {
            // A million hits sort in a third less time on two cores.
            rayon::slice::ParallelSliceMut::par_sort_unstable(&mut keys[..]);
            *hits = keys
                .into_iter()
                .map(|(key, node)| Hit {
                    node: NodeIx(node),
                    distance: (key >> 32) as u32,
                })
                .collect();
        }
        None => hits.sort_unstable_by(|a, b| {
            a.distance
                .cmp(&b.distance)
                .then_with(|| graph.id(a.node).cmp(graph.id(b.node)))
        }),
    }
}

/// Everything reached from `roots` in `direction`, each with its distance from the nearest
/// root and one shortest reason path; see [`Graph::reach`].
pub fn reach<G: GraphView>(
    graph: &G,
    roots: &[NodeIx],
    direction: Direction,
    options: &ReachOptions,
) -> Reach {
    reach_avoiding(graph, roots, direction, options, &[])
}

/// [`reach`] that never enters a node marked in `avoid` (indexed by node; an empty slice avoids
/// nothing).
pub(crate) fn reach_avoiding<G: GraphView>(
    graph: &G,
    roots: &[NodeIx],
    direction: Direction,
    options: &ReachOptions,
    avoid: &[bool],
) -> Reach {
    let n = graph.node_count();
    let mut roots: Vec<NodeIx> = roots.to_vec();
    // Zero means "not yet": zeroed vectors come straight from the allocator's zeroed pages, so
    // a small query touches only the entries it uses, not four arrays of every node.
    let mut state = vec![[0u32; 3]; n];
    roots.retain(|r| std::mem::replace(&mut state[r.index()][0], 1) == 0);
    // Whether a node was reached, a bit each: most links of a large answer lead to a node
    // reached already, and this test stays in cache where `state` (twelve bytes a node) does
    // not.
    let mut reached = vec![0u64; n.div_ceil(64)];
    for root in &roots {
        reached[root.index() / 64] |= 1 << (root.index() % 64);
    }

    let steps = Steps::new(graph, direction);
    // Why a node may not be entered on the date asked, if it may not.
    let barred = |node: NodeIx| {
        let date = options.as_of?;
        out_of_force(graph, node, date).filter(|why| !(options.later_too && why.is_later()))
    };

    let mut hits = Vec::new();
    let mut skipped = Vec::new();
    let mut seen_skipped = std::collections::HashSet::new();
    // Level by level: the nodes `d` hops away (in the order a first-in first-out walk would
    // meet them) give the nodes `d + 1` away. A large level's links are read on every core,
    // each part of the level listing the steps to nodes not reached before the level; the
    // steps are then taken in the level's order, so every node keeps the parent and edge a
    // one-core walk would give it, and the skipped nodes their order.
    let mut level: Vec<NodeIx> = roots.clone();
    let mut d = 0u32;
    let avoided = |next: NodeIx| avoid.get(next.index()).copied().unwrap_or(false);
    let is_reached =
        |reached: &[u64], next: NodeIx| reached[next.index() / 64] & (1 << (next.index() % 64)) != 0;
    while !level.is_empty() && options.max_depth.is_none_or(|max| d < max) {
        let found: Option<Vec<Vec<(EdgeIx, NodeIx, NodeIx)>>> = (level.len() >= PARALLEL_LEVEL).then(|| {
            level
                .par_chunks(LEVEL_PART)
                .map(|part| {
                    let mut found = Vec::new();
                    for &node in part {
                        for (edge, next) in steps.from(graph, node) {
                            if !is_reached(&reached, next) && !avoided(next) {
                                found.push((edge, next, node));
                            }
                        }
                    }
                    found
                })
                .collect()
        });
        let mut next_level = Vec::new();
        let mut take = |edge: EdgeIx, next: NodeIx, from: NodeIx| {
            if is_reached(&reached, next) {
                return;
            }
            if let Some(why) = barred(next) {
                if seen_skipped.insert(next) {
                    skipped.push(Skipped { node: next, why });
                }
                return;
            }
            reached[next.index() / 64] |= 1 << (next.index() % 64);
            state[next.index()] = [d + 2, edge.0 + 1, from.0];
            hits.push(Hit {
                node: next,
                distance: d + 1,
            });
            next_level.push(next);
        };
        match found {
            Some(parts) => {
                for (edge, next, from) in parts.into_iter().flatten() {
                    take(edge, next, from);
                }
            }
            None => {
                for &node in &level {
                    for (edge, next) in steps.from(graph, node) {
                        if !avoided(next) {
                            take(edge, next, node);
                        }
                    }
                }
            }
        }
        level = next_level;
        d += 1;
    }
    sort_hits(graph, &mut hits);
    Reach {
        roots,
        hits,
        skipped,
        state,
        direction,
    }
}

impl Graph {
    /// Is `node` in force on `date`?
    ///
    /// Not yet in force: its status says it is not final (planned, proposed, in progress,
    /// draft), or its `published`, `enacted` or `effective` date is after `date`.
    /// No longer in force: its `withdrawn` date is on or before `date`, or its status is
    /// `withdrawn` with no date; or a node that replaces it (a `replaces` relation in the
    /// catalog, such as `supersedes`) is itself in force on `date` by its own dates.
    pub fn in_force(&self, node: NodeIx, date: NaiveDate) -> bool {
        in_force(self, node, date)
    }

    /// Everything reached from `roots` in `direction`, each with its distance from the nearest
    /// root and one shortest reason path. Breadth-first over the CSR adjacency.
    pub fn reach(&self, roots: &[NodeIx], direction: Direction, options: &ReachOptions) -> Reach {
        reach(self, roots, direction, options)
    }

    /// One shortest chain between two nodes, following edges either way and whatever their
    /// relation. Each step is an edge; `None` if they are not connected.
    pub fn shortest_path(&self, from: NodeIx, to: NodeIx) -> Option<Vec<EdgeIx>> {
        shortest_path(self, from, to)
    }

    /// All simple chains between two nodes (no node twice), following edges either way, of at
    /// most `max_hops` edges; at most `limit` of them, shortest first.
    pub fn all_paths(&self, from: NodeIx, to: NodeIx, max_hops: usize, limit: usize) -> Vec<Vec<EdgeIx>> {
        all_paths(self, from, to, max_hops, limit)
    }
}

/// The links of `node` either way, each with the node at its other end.
fn either_way<G: GraphView>(graph: &G, node: NodeIx) -> impl Iterator<Item = (EdgeIx, NodeIx)> + '_ {
    graph
        .out_links(node)
        .map(|(e, ends)| (e, ends.to))
        .chain(graph.in_links(node).map(|(e, ends)| (e, ends.from)))
}

/// One shortest chain between two nodes of any view (see [`Graph::shortest_path`]).
pub fn shortest_path<G: GraphView>(graph: &G, from: NodeIx, to: NodeIx) -> Option<Vec<EdgeIx>> {
    let mut parent_edge = vec![NONE; graph.node_count()];
    let mut visited = vec![false; graph.node_count()];
    let mut queue = VecDeque::from([from]);
    visited[from.index()] = true;
    while let Some(node) = queue.pop_front() {
        if node == to {
            return Some(walk_back(graph, &parent_edge, to).1);
        }
        for (edge, next) in either_way(graph, node) {
            if !std::mem::replace(&mut visited[next.index()], true) {
                parent_edge[next.index()] = edge.0;
                queue.push_back(next);
            }
        }
    }
    None
}

/// All simple chains between two nodes of any view (see [`Graph::all_paths`]).
pub fn all_paths<G: GraphView>(
    graph: &G,
    from: NodeIx,
    to: NodeIx,
    max_hops: usize,
    limit: usize,
) -> Vec<Vec<EdgeIx>> {
    // Iterative deepening keeps the answer shortest-first and bounded in memory.
    let mut found = Vec::new();
    let mut on_path = vec![false; graph.node_count()];
    on_path[from.index()] = true;
    for depth in 1..=max_hops {
        paths_of_length(graph, from, to, depth, limit, &mut on_path, &mut found);
        if found.len() >= limit {
            break;
        }
    }
    found
}

/// Appends to `found` (up to `limit` in all) every simple path of exactly `depth` hops from
/// `from` to `to`, edges followed either way. Depth-first with an explicit stack, so a long
/// `--max-hops` over a long chain cannot overflow the call stack. `on_path` marks the nodes
/// on the current path (`from` already marked by the caller).
fn paths_of_length<G: GraphView>(
    graph: &G,
    from: NodeIx,
    to: NodeIx,
    depth: usize,
    limit: usize,
    on_path: &mut [bool],
    found: &mut Vec<Vec<EdgeIx>>,
) {
    if from == to || depth == 0 {
        return;
    }
    let neighbours = |node: NodeIx| -> Vec<(EdgeIx, NodeIx)> { either_way(graph, node).collect() };
    // Each frame: a node on the path, its neighbours, and the next one to try.
    type Frame = (NodeIx, Vec<(EdgeIx, NodeIx)>, usize);
    let mut frames: Vec<Frame> = vec![(from, neighbours(from), 0)];
    let mut edges: Vec<EdgeIx> = Vec::new();
    while let Some((node, options, next)) = frames.last_mut() {
        if found.len() >= limit {
            break;
        }
        let Some(&(edge, neighbour)) = options.get(*next) else {
            let node = *node;
            frames.pop();
            if !frames.is_empty() {
                on_path[node.index()] = false;
                edges.pop();
            }
            continue;
        };
        *next += 1;
        if on_path[neighbour.index()] {
            continue;
        }
        if edges.len() + 1 == depth {
            if neighbour == to {
                edges.push(edge);
                found.push(edges.clone());
                edges.pop();
            }
            continue;
        }
        if neighbour == to {
            continue;
        }
        on_path[neighbour.index()] = true;
        edges.push(edge);
        frames.push((neighbour, neighbours(neighbour), 0));
    }
    // Stopped at the limit: unmark what is still on the path (all but `from`).
    for (node, _, _) in frames.iter().skip(1) {
        on_path[node.index()] = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Node, NodeKind};

    fn graph(nodes: &[(&str, Option<&str>)], edges: &[(&str, &str, &str)]) -> Graph {
        let catalog = crate::testing::any_kind();
        let nodes = nodes
            .iter()
            .map(|(id, published)| {
                let mut node = Node::new(*id, NodeKind::Standard, *id);
                node.dates.published = published.map(|d| crate::model::parse_date(d).unwrap());
                node
            })
            .collect();
        let edges: Vec<Edge> = edges.iter().map(|(f, r, t)| Edge::new(*f, *r, *t)).collect();
        Graph::build(catalog, nodes, edges).unwrap()
    }

    fn answer(
        g: &Graph,
        roots: &[&str],
        direction: Direction,
        options: &ReachOptions,
    ) -> Vec<(String, u32, String)> {
        let roots: Vec<NodeIx> = roots.iter().map(|r| g.find(r).unwrap()).collect();
        let reach = g.reach(&roots, direction, options);
        reach
            .hits
            .iter()
            .map(|h| {
                let (nodes, _) = reach.path(g, h.node);
                let path: Vec<&str> = nodes.iter().map(|n| g.node(*n).id.as_str()).collect();
                (g.node(h.node).id.clone(), h.distance, path.join(">"))
            })
            .collect()
    }

    fn row(id: &str, d: u32, path: &str) -> (String, u32, String) {
        (id.into(), d, path.into())
    }

    /// The walk before levels were read on several cores: one queue, first in first out.
    fn queue_walk(
        g: &Graph,
        root: NodeIx,
        options: &ReachOptions,
    ) -> (Vec<Hit>, Vec<[u32; 3]>, Vec<Skipped>) {
        let steps = Steps::new(g, Direction::Impact);
        let mut state = vec![[0u32; 3]; g.node_count()];
        state[root.index()][0] = 1;
        let (mut hits, mut skipped) = (Vec::new(), Vec::new());
        let mut queue = VecDeque::from([root]);
        while let Some(node) = queue.pop_front() {
            let d = state[node.index()][0] - 1;
            for (edge, next) in steps.from(g, node) {
                if state[next.index()][0] != 0 {
                    continue;
                }
                if let Some(why) = out_of_force(g, next, options.as_of.unwrap()) {
                    if !skipped.iter().any(|s: &Skipped| s.node == next) {
                        skipped.push(Skipped { node: next, why });
                    }
                    continue;
                }
                state[next.index()] = [d + 2, edge.0 + 1, node.0];
                hits.push(Hit {
                    node: next,
                    distance: d + 1,
                });
                queue.push_back(next);
            }
        }
        sort_hits(g, &mut hits);
        (hits, state, skipped)
    }

    #[test]
    fn a_wide_level_read_on_several_cores_gives_the_queues_answer() {
        // 6,000 standards cite R; 3,000 cite four of those each, 1,500 cite three of those,
        // some through an edge the other way (R applies to a few), a tenth published only later.
        let (wide, next, last) = (6_000, 3_000, 1_500);
        let mut nodes = vec![("R".to_owned(), None)];
        let mut edges = Vec::new();
        for i in 0..wide {
            nodes.push((format!("L{i}"), None));
            edges.push((format!("L{i}"), "cites", "R".to_owned()));
            if i % 97 == 0 {
                edges.push(("R".to_owned(), "applies_to", format!("L{i}")));
            }
        }
        for (layer, count, below, fan) in [("T", next, ("L", wide), 4), ("U", last, ("T", next), 3)] {
            for j in 0..count {
                let published = (j % 10 == 3).then_some("2030-01-01");
                nodes.push((format!("{layer}{j}"), published));
                for k in 0..fan {
                    let target = (j * 7_919 + k * 104_729) % below.1;
                    edges.push((format!("{layer}{j}"), "cites", format!("{}{target}", below.0)));
                }
            }
        }
        edges.sort();
        edges.dedup();
        let nodes: Vec<(&str, Option<&str>)> = nodes.iter().map(|(id, p)| (id.as_str(), *p)).collect();
        let edges: Vec<(&str, &str, &str)> = edges
            .iter()
            .map(|(a, r, b)| (a.as_str(), *r, b.as_str()))
            .collect();
        let g = graph(&nodes, &edges);
        let root = g.find("R").unwrap();
        let options = ReachOptions {
            as_of: Some(crate::model::parse_day("2026-01-01").unwrap()),
            ..Default::default()
        };

        let reach = g.reach(&[root], Direction::Impact, &options);
        let (hits, state, skipped) = queue_walk(&g, root, &options);
        assert_eq!(reach.hits.len(), wide + next + last - (next + last) / 10);
        assert!(reach.hits.len() > PARALLEL_LEVEL && wide > PARALLEL_LEVEL);
        assert_eq!(reach.hits, hits);
        assert_eq!(reach.skipped, skipped);
        assert_eq!(reach.state, state, "every node keeps the queue's parent and edge");
    }

    #[test]
    fn impact_follows_each_relations_direction() {
        // B cites A; C cites B; A applies_to D; E supersedes A (none: not followed).
        let g = graph(
            &[("A", None), ("B", None), ("C", None), ("D", None), ("E", None)],
            &[
                ("B", "cites", "A"),
                ("C", "cites", "B"),
                ("A", "applies_to", "D"),
                ("E", "supersedes", "A"),
            ],
        );
        assert_eq!(
            answer(&g, &["A"], Direction::Impact, &ReachOptions::default()),
            [row("B", 1, "A>B"), row("D", 1, "A>D"), row("C", 2, "A>B>C")]
        );
        assert_eq!(
            answer(&g, &["C"], Direction::Dependencies, &ReachOptions::default()),
            [row("B", 1, "C>B"), row("A", 2, "C>B>A")]
        );
        assert_eq!(
            answer(&g, &["D"], Direction::Dependencies, &ReachOptions::default()),
            [row("A", 1, "D>A")]
        );
        let shallow = ReachOptions {
            max_depth: Some(1),
            ..Default::default()
        };
        assert_eq!(answer(&g, &["A"], Direction::Impact, &shallow).len(), 2);
    }

    #[test]
    fn cycles_terminate_and_several_roots_attribute_to_the_nearest() {
        // A and B cite each other; C cites B; D cites C.
        let g = graph(
            &[("A", None), ("B", None), ("C", None), ("D", None)],
            &[
                ("A", "cites", "B"),
                ("B", "cites", "A"),
                ("C", "cites", "B"),
                ("D", "cites", "C"),
            ],
        );
        assert_eq!(
            answer(&g, &["A"], Direction::Impact, &ReachOptions::default()),
            [row("B", 1, "A>B"), row("C", 2, "A>B>C"), row("D", 3, "A>B>C>D")]
        );
        assert_eq!(
            answer(&g, &["A", "C", "A"], Direction::Impact, &ReachOptions::default()),
            [row("B", 1, "A>B"), row("D", 1, "C>D")]
        );
    }

    #[test]
    fn as_of_skips_what_is_not_in_force() {
        // Old and New editions; New supersedes Old from 2018. G cites Old, H cites New.
        let g = graph(
            &[
                ("Old", Some("2009-01-01")),
                ("New", Some("2018-08-01")),
                ("G", None),
                ("H", None),
                ("X", None),
            ],
            &[
                ("New", "supersedes", "Old"),
                ("G", "cites", "Old"),
                ("H", "cites", "New"),
                ("Old", "cites", "X"),
                ("New", "cites", "X"),
            ],
        );
        let at = |d: &str| ReachOptions {
            as_of: Some(crate::model::parse_day(d).unwrap()),
            ..Default::default()
        };
        let ids = |rows: Vec<(String, u32, String)>| rows.into_iter().map(|r| r.0).collect::<Vec<_>>();
        assert_eq!(
            ids(answer(&g, &["X"], Direction::Impact, &ReachOptions::default())),
            ["New", "Old", "G", "H"]
        );
        assert_eq!(
            ids(answer(&g, &["X"], Direction::Impact, &at("2010-01-01"))),
            ["Old", "G"]
        );
        assert_eq!(
            ids(answer(&g, &["X"], Direction::Impact, &at("2019-01-01"))),
            ["New", "H"]
        );
        assert!(ids(answer(&g, &["X"], Direction::Impact, &at("2000-01-01"))).is_empty());
    }

    #[test]
    fn paths_between_two_nodes() {
        let g = graph(
            &[("A", None), ("B", None), ("C", None), ("D", None)],
            &[
                ("A", "cites", "B"),
                ("C", "cites", "B"),
                ("C", "applies_to", "D"),
                ("A", "supersedes", "D"),
            ],
        );
        let (a, d) = (g.find("A").unwrap(), g.find("D").unwrap());
        assert_eq!(g.shortest_path(a, d).unwrap().len(), 1);
        let all = g.all_paths(a, d, 5, 10);
        assert_eq!(all.iter().map(Vec::len).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(g.all_paths(a, d, 5, 1).len(), 1);
        let lonely = graph(&[("A", None), ("B", None)], &[]);
        assert!(
            lonely
                .shortest_path(lonely.find("A").unwrap(), lonely.find("B").unwrap())
                .is_none()
        );
    }

    #[test]
    fn all_paths_walk_a_long_chain_without_recursion() {
        // N0 - N1 - … - N99999, and a shortcut N0 - N2: two simple paths from the end to N0.
        let n = 100_000;
        let ids: Vec<String> = (0..n).map(|i| format!("N{i}")).collect();
        let nodes: Vec<(&str, Option<&str>)> = ids.iter().map(|id| (id.as_str(), None)).collect();
        let mut edges: Vec<(&str, &str, &str)> = (1..n)
            .map(|i| (ids[i].as_str(), "cites", ids[i - 1].as_str()))
            .collect();
        edges.push((ids[2].as_str(), "cites", ids[0].as_str()));
        let g = graph(&nodes, &edges);
        let (end, start) = (g.find("N99999").unwrap(), g.find("N0").unwrap());
        // One depth-first walk of each length (all_paths deepens one hop at a time, which at
        // this length would take long; the walk is what recursed).
        for (depth, expected) in [(n - 2, 1), (n - 1, 1), (n - 3, 0)] {
            let mut on_path = vec![false; g.node_count()];
            on_path[end.index()] = true;
            let mut found = Vec::new();
            paths_of_length(&g, end, start, depth, 10, &mut on_path, &mut found);
            assert_eq!(found.len(), expected, "paths of {depth} hops");
            assert!(found.iter().all(|p| p.len() == depth));
            assert_eq!(
                on_path.iter().filter(|m| **m).count(),
                1,
                "only the start stays marked"
            );
        }
        assert!(g.all_paths(start, start, 5, 10).is_empty());
    }
}
