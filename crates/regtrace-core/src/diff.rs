//! What changed between two versions of a data set, field by field, and what those changes
//! impact together.
//!
//! Nodes are matched by id and edges by (from, relation, to). A node's content *changed* when
//! its fingerprint differs (the catalog's fields for its kind, whitespace-insensitive; see
//! [`crate::fingerprint`]); every differing field is still listed, marked when only whitespace
//! differs.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::catalog::Impact;
use crate::graph::{EdgeIx, Graph, NodeIx};
use crate::model::NodeKind;
use crate::query::{Direction, ReachOptions};

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field name (`title`, `published`, `attributes.NAME`, …).
    pub field: String,
    /// The old value (`None`: unset).
    pub old: Option<String>,
    /// The new value (`None`: unset).
    pub new: Option<String>,
    /// The values differ only in whitespace.
    pub whitespace_only: bool,
}

/// A node present on both sides whose fields differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeChange {
    /// The node in the new graph.
    pub node: NodeIx,
    /// Every differing field, by name.
    pub fields: Vec<FieldChange>,
    /// Its fingerprint differs: the change counts (it opens reviews, it roots `--impact`).
    pub content_changed: bool,
}

/// The differences between two graphs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// Nodes only in the new graph, by id.
    pub added: Vec<NodeIx>,
    /// Nodes only in the old graph (indices into the old graph), by id.
    pub removed: Vec<NodeIx>,
    /// Nodes on both sides whose fields differ, by id.
    pub changed: Vec<NodeChange>,
    /// Edges only in the new graph.
    pub edges_added: Vec<EdgeIx>,
    /// Edges only in the old graph (indices into the old graph).
    pub edges_removed: Vec<EdgeIx>,
    /// Edges on both sides whose provenance (`source`) differs: (old, new).
    pub edges_changed: Vec<(EdgeIx, EdgeIx)>,
}

impl Diff {
    /// True if nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.edges_added.is_empty()
            && self.edges_removed.is_empty()
            && self.edges_changed.is_empty()
    }
}

type EdgeKey<'g> = (&'g str, &'g str, &'g str);

/// The (from, relation, to) of link `e` of `graph`, by ids and name.
fn edge_key(graph: &Graph, e: EdgeIx) -> EdgeKey<'_> {
    let edge = graph.edge_ref(e);
    (edge.from, edge.relation, edge.to)
}

/// Compares `old` with `new`. Fingerprints are those of `new`'s catalog.
pub fn diff(old: &Graph, new: &Graph) -> Diff {
    let mut d = diff_nodes(old, new);
    diff_edges(old, new, &mut d);
    d
}

/// The nodes' part of [`diff`] (added, removed, changed), the edges' lists left empty: what
/// an import tells of the data it replaces.
pub fn diff_nodes(old: &Graph, new: &Graph) -> Diff {
    use rayon::prelude::*;
    let mut d = Diff::default();
    let prints = new.catalog().fingerprints();
    let by_id =
        |g: &Graph, list: &mut Vec<NodeIx>| list.par_sort_by(|a, b| g.node(*a).id.cmp(&g.node(*b).id));

    // Each node of `new` on its own, in parallel: a node whose content is the same as before
    // (nearly all of a million) is passed over without listing its fields.
    enum Seen {
        Added(NodeIx),
        Changed(NodeChange),
    }
    let seen: Vec<Seen> = new
        .nodes()
        .par_iter()
        .enumerate()
        .filter_map(|(i, node)| {
            let ix = NodeIx(i as u32);
            let Some(before) = old.find(&node.id).map(|o| old.node(o)) else {
                return Some(Seen::Added(ix));
            };
            if before.same_content(node) {
                return None;
            }
            let (a, b) = (before.field_values(), node.field_values());
            let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            let fields: Vec<FieldChange> = names
                .into_iter()
                .filter(|name| a.get(*name) != b.get(*name))
                .map(|name| {
                    let (old, new) = (a.get(name).cloned(), b.get(name).cloned());
                    let folded = |v: &Option<String>| v.as_deref().map(crate::fingerprint::fold_whitespace);
                    FieldChange {
                        field: name.clone(),
                        whitespace_only: folded(&old) == folded(&new),
                        old,
                        new,
                    }
                })
                .collect();
            (!fields.is_empty()).then(|| {
                Seen::Changed(NodeChange {
                    node: ix,
                    fields,
                    content_changed: prints.of(before) != prints.of(node),
                })
            })
        })
        .collect();
    for seen in seen {
        match seen {
            Seen::Added(ix) => d.added.push(ix),
            Seen::Changed(change) => d.changed.push(change),
        }
    }
    by_id(new, &mut d.added);
    d.removed = (0..old.node_count() as u32)
        .into_par_iter()
        .map(NodeIx)
        .filter(|o| new.find(&old.node(*o).id).is_none())
        .collect();
    by_id(old, &mut d.removed);
    d.changed
        .sort_by(|a, b| new.node(a.node).id.cmp(&new.node(b.node).id));
    d
}

/// The edges' part of [`diff`]. Links are matched by their ends' ids and relation name: each
/// side's links become integer keys in `new`'s numbering (a link of `old` whose end or
/// relation `new` lacks is removed outright), sorted and walked together; only the few that
/// differ are ordered by their ids.
fn diff_edges(old: &Graph, new: &Graph, d: &mut Diff) {
    use rayon::prelude::*;
    const GONE: u32 = u32::MAX;
    let in_new: Vec<u32> = old
        .nodes()
        .par_iter()
        .map(|n| new.find(&n.id).map_or(GONE, |ix| ix.0))
        .collect();
    let relation_in_new: Vec<Option<u16>> = old
        .catalog()
        .relations()
        .iter()
        .map(|r| new.catalog().id_of(&r.name).map(|id| id.0))
        .collect();
    // (from, relation, to, link) in `new`'s numbering.
    let mut new_keys: Vec<(u32, u16, u32, u32)> = new
        .links()
        .par_iter()
        .enumerate()
        .map(|(i, l)| (l.from.0, l.relation.0, l.to.0, i as u32))
        .collect();
    let mut removed: Vec<EdgeIx> = Vec::new();
    let mut old_keys: Vec<(u32, u16, u32, u32)> = Vec::with_capacity(old.edge_count());
    for (i, l) in old.links().iter().enumerate() {
        let (from, to) = (in_new[l.from.index()], in_new[l.to.index()]);
        match relation_in_new[l.relation.0 as usize] {
            Some(relation) if from != GONE && to != GONE => old_keys.push((from, relation, to, i as u32)),
            _ => removed.push(EdgeIx(i as u32)),
        }
    }
    drop(in_new);
    new_keys.par_sort_unstable();
    old_keys.par_sort_unstable();
    let (mut added, mut changed) = (Vec::new(), Vec::new());
    let (mut o, mut n) = (old_keys.iter().peekable(), new_keys.iter().peekable());
    loop {
        match (o.peek(), n.peek()) {
            (Some(a), Some(b)) if (a.0, a.1, a.2) == (b.0, b.1, b.2) => {
                let (old_link, new_link) = (EdgeIx(a.3), EdgeIx(b.3));
                if old.link(old_link).source != new.link(new_link).source {
                    changed.push((old_link, new_link));
                }
                o.next();
                n.next();
            }
            (Some(a), Some(b)) if (a.0, a.1, a.2) < (b.0, b.1, b.2) => {
                removed.push(EdgeIx(a.3));
                o.next();
            }
            (Some(_), Some(b)) | (None, Some(b)) => {
                added.push(EdgeIx(b.3));
                n.next();
            }
            (Some(a), None) => {
                removed.push(EdgeIx(a.3));
                o.next();
            }
            (None, None) => break,
        }
    }
    added.sort_by(|a, b| edge_key(new, *a).cmp(&edge_key(new, *b)));
    removed.sort_by(|a, b| edge_key(old, *a).cmp(&edge_key(old, *b)));
    changed.sort_by(|a, b| edge_key(new, a.1).cmp(&edge_key(new, b.1)));
    d.edges_added = added;
    d.edges_removed = removed;
    d.edges_changed = changed;
}

/// Why a node starts the impact of a diff.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// Its content changed (fingerprint).
    Changed,
    /// It was added.
    Added,
    /// It was removed (its impact is traced in the old graph).
    Removed,
    /// A link from or to it was added: (from, relation, to).
    LinkAdded(String, String, String),
    /// A link from or to it was removed: (from, relation, to).
    LinkRemoved(String, String, String),
}

impl Cause {
    /// The cause in words.
    pub fn describe(&self) -> String {
        match self {
            Cause::Changed => "content changed".into(),
            Cause::Added => "added".into(),
            Cause::Removed => "removed".into(),
            Cause::LinkAdded(f, r, t) => format!("link added: {f} {r} {t}"),
            Cause::LinkRemoved(f, r, t) => format!("link removed: {f} {r} {t}"),
        }
    }
}

/// A node reached by the changes of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffHit {
    /// The node's id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Hops from the nearest changed node.
    pub distance: u32,
    /// Ids from the changed node to this one.
    pub path: Vec<String>,
    /// The relation of each hop.
    pub relations: Vec<String>,
    /// The path runs in the old graph (from a removed node or link).
    pub in_old: bool,
}

/// The union impact of every change in `diff`: what the changed nodes impact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffImpact {
    /// The changed nodes (ids) with why each counts, by id.
    pub roots: BTreeMap<String, Vec<Cause>>,
    /// Every node they reach (roots excluded), by distance, then id.
    pub hits: Vec<DiffHit>,
}

/// The union impact of the changes between `old` and `new`.
///
/// It starts from every node whose content changed and every added node (in `new`); from the
/// dependent end of every added link (in `new`) and of every removed link (in `new` if the node
/// is still there; the dependent end is the one a change of the other end impacts); and from
/// every removed node (traced in `old`, keeping hits that are still in `new`). A hit keeps its
/// nearest cause, preferring a path in the new graph.
pub fn impact(old: &Graph, new: &Graph, d: &Diff, options: &ReachOptions) -> DiffImpact {
    let mut roots: BTreeMap<String, Vec<Cause>> = BTreeMap::new();
    let mut new_roots: Vec<NodeIx> = Vec::new();
    let mut old_roots: Vec<NodeIx> = Vec::new();
    let mut root = |id: &str, cause: Cause, in_new: Option<NodeIx>, in_old: Option<NodeIx>| {
        roots.entry(id.to_owned()).or_default().push(cause);
        match (in_new, in_old) {
            (Some(n), _) => new_roots.push(n),
            (None, Some(o)) => old_roots.push(o),
            (None, None) => {}
        }
    };
    for change in d.changed.iter().filter(|c| c.content_changed) {
        root(&new.node(change.node).id, Cause::Changed, Some(change.node), None);
    }
    for &n in &d.added {
        root(&new.node(n).id, Cause::Added, Some(n), None);
    }
    for &o in &d.removed {
        root(&old.node(o).id, Cause::Removed, None, Some(o));
    }
    let dependent_end = |g: &Graph, e: EdgeIx| {
        let link = g.link(e);
        match g.catalog().get(link.relation).impact {
            Impact::ToSource => Some(link.from),
            Impact::ToTarget => Some(link.to),
            Impact::None => None,
        }
    };
    let key = |g: &Graph, e: EdgeIx| {
        let l = g.link(e);
        (
            g.node(l.from).id.clone(),
            g.catalog().get(l.relation).name.clone(),
            g.node(l.to).id.clone(),
        )
    };
    // A new edition superseding a stored one changes what rests on the older one, though the
    // link itself propagates nothing: the same change `import --merge --record-changes` records
    // (on the older edition), so diff and merge name the same nodes.
    let supersedes = new.catalog().lookup(crate::editions::SUPERSEDES).ok();
    for &e in &d.edges_added {
        let link = new.link(e);
        let superseded = (Some(link.relation) == supersedes
            && new.node(link.from).kind == crate::model::NodeKind::Standard
            && old.find(&new.node(link.to).id).is_some())
        .then_some(link.to);
        if let Some(n) = dependent_end(new, e).or(superseded) {
            let (f, r, t) = key(new, e);
            root(&new.node(n).id.clone(), Cause::LinkAdded(f, r, t), Some(n), None);
        }
    }
    for &e in &d.edges_removed {
        if let Some(o) = dependent_end(old, e) {
            let id = old.node(o).id.clone();
            let (f, r, t) = key(old, e);
            root(&id, Cause::LinkRemoved(f, r, t), new.find(&id), Some(o));
        }
    }
    for causes in roots.values_mut() {
        causes.sort();
        causes.dedup();
    }

    let is_root: HashSet<&str> = roots.keys().map(String::as_str).collect();
    let mut best: HashMap<String, DiffHit> = HashMap::new();
    for (graph, starts, in_old) in [(new, &new_roots, false), (old, &old_roots, true)] {
        if starts.is_empty() {
            continue;
        }
        let reach = graph.reach(starts, Direction::Impact, options);
        for hit in &reach.hits {
            let node = graph.node(hit.node);
            if is_root.contains(node.id.as_str()) || (in_old && new.find(&node.id).is_none()) {
                continue;
            }
            if best.get(&node.id).is_some_and(|b| b.distance <= hit.distance) {
                continue;
            }
            let (nodes, edges) = reach.path(graph, hit.node);
            best.insert(
                node.id.clone(),
                DiffHit {
                    id: node.id.clone(),
                    kind: node.kind,
                    distance: hit.distance,
                    path: nodes.iter().map(|n| graph.node(*n).id.clone()).collect(),
                    relations: edges
                        .iter()
                        .map(|e| graph.catalog().get(graph.link(*e).relation).name.clone())
                        .collect(),
                    in_old,
                },
            );
        }
    }
    let mut hits: Vec<DiffHit> = best.into_values().collect();
    hits.sort_by(|a, b| a.distance.cmp(&b.distance).then_with(|| a.id.cmp(&b.id)));
    DiffImpact { roots, hits }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Node};

    fn graph(nodes: &[(&str, NodeKind, &str)], edges: &[(&str, &str, &str)]) -> Graph {
        let nodes = nodes
            .iter()
            .map(|(id, kind, title)| Node::new(*id, *kind, *title))
            .collect();
        let edges: Vec<Edge> = edges.iter().map(|(f, r, t)| Edge::new(*f, *r, *t)).collect();
        Graph::build(crate::testing::catalog(), nodes, edges).unwrap()
    }

    use NodeKind::{EvaluationItem as Item, Guideline as Gl, Regulation as Law, Standard as Std};

    /// A graph of the nodes of a fixed pool that `present` keeps (each with one of three
    /// titles) and the candidate links between kept nodes that `linked` keeps (each with one of
    /// three sources).
    fn pooled(present: &[bool], titles: &[u8], linked: &[bool], sources: &[u8]) -> Graph {
        const POOL: [(&str, NodeKind); 8] = [
            ("G0", Gl),
            ("G1", Gl),
            ("S0", Std),
            ("S1", Std),
            ("S2", Std),
            ("S3", Std),
            ("L0", Law),
            ("L1", Law),
        ];
        let kept = |id: &str| POOL.iter().zip(present).any(|((p, _), k)| *p == id && *k);
        let nodes = POOL
            .iter()
            .zip(present)
            .zip(titles)
            .filter(|((_, kept), _)| **kept)
            .map(|(((id, kind), _), title)| Node::new(*id, *kind, ["t", "t ", "u"][*title as usize % 3]))
            .collect();
        let mut candidates = Vec::new();
        for (from, _) in POOL {
            for (to, kind) in POOL {
                match kind {
                    Std if from != to => candidates.push((from, "cites", to)),
                    Law if from != to => candidates.push((from, "governed_by", to)),
                    _ => {}
                }
            }
        }
        let edges: Vec<Edge> = candidates
            .iter()
            .zip(linked)
            .zip(sources)
            .filter(|(((f, _, t), link), _)| **link && kept(f) && kept(t))
            .map(|(((f, r, t), _), source)| Edge {
                source: [None, Some("a".to_owned()), Some("b".to_owned())][*source as usize % 3].clone(),
                ..Edge::new(*f, *r, *t)
            })
            .collect();
        Graph::build(crate::testing::catalog(), nodes, edges).unwrap()
    }

    fn keys(g: &Graph) -> HashMap<EdgeKey<'_>, EdgeIx> {
        (0..g.edge_count() as u32)
            .map(|e| (edge_key(g, EdgeIx(e)), EdgeIx(e)))
            .collect()
    }

    /// The diff as first written: nodes by their listed fields, links by their string keys in
    /// hash maps.
    fn plain_diff(old: &Graph, new: &Graph) -> Diff {
        let mut d = Diff::default();
        for (i, node) in new.nodes().iter().enumerate() {
            match old.find(&node.id) {
                None => d.added.push(NodeIx(i as u32)),
                Some(o) if old.node(o).field_values() != node.field_values() => d.changed.push(NodeChange {
                    node: NodeIx(i as u32),
                    fields: Vec::new(),
                    content_changed: false,
                }),
                Some(_) => {}
            }
        }
        d.removed = (0..old.node_count() as u32)
            .map(NodeIx)
            .filter(|o| new.find(&old.node(*o).id).is_none())
            .collect();
        d.added.sort_by_key(|n| &new.node(*n).id);
        d.removed.sort_by_key(|n| &old.node(*n).id);
        d.changed.sort_by_key(|c| &new.node(c.node).id);
        let (o, n) = (keys(old), keys(new));
        let mut added: Vec<_> = n.iter().filter(|(k, _)| !o.contains_key(*k)).collect();
        added.sort();
        d.edges_added = added.into_iter().map(|(_, e)| *e).collect();
        let mut removed: Vec<_> = o.iter().filter(|(k, _)| !n.contains_key(*k)).collect();
        removed.sort();
        d.edges_removed = removed.into_iter().map(|(_, e)| *e).collect();
        let mut changed: Vec<_> = n
            .iter()
            .filter_map(|(k, e)| {
                let before = o.get(k)?;
                (old.link(*before).source != new.link(*e).source).then_some((*k, *before, *e))
            })
            .collect();
        changed.sort();
        d.edges_changed = changed.into_iter().map(|(_, o, n)| (o, n)).collect();
        d
    }

    proptest::proptest! {
        #[test]
        fn the_diff_equals_the_plain_one_on_random_graphs(
            old in (proptest::collection::vec(proptest::bool::ANY, 8), proptest::collection::vec(0u8..3, 8),
                    proptest::collection::vec(proptest::bool::ANY, 64), proptest::collection::vec(0u8..3, 64)),
            new in (proptest::collection::vec(proptest::bool::ANY, 8), proptest::collection::vec(0u8..3, 8),
                    proptest::collection::vec(proptest::bool::ANY, 64), proptest::collection::vec(0u8..3, 64)),
        ) {
            let old = pooled(&old.0, &old.1, &old.2, &old.3);
            let new = pooled(&new.0, &new.1, &new.2, &new.3);
            let (fast, plain) = (diff(&old, &new), plain_diff(&old, &new));
            let changed = |d: &Diff| d.changed.iter().map(|c| c.node).collect::<Vec<_>>();
            proptest::prop_assert_eq!(&fast.added, &plain.added);
            proptest::prop_assert_eq!(&fast.removed, &plain.removed);
            proptest::prop_assert_eq!(changed(&fast), changed(&plain));
            proptest::prop_assert_eq!(&fast.edges_added, &plain.edges_added);
            proptest::prop_assert_eq!(&fast.edges_removed, &plain.edges_removed);
            proptest::prop_assert_eq!(&fast.edges_changed, &plain.edges_changed);
            let nodes_only = diff_nodes(&old, &new);
            proptest::prop_assert_eq!(changed(&nodes_only), changed(&fast));
            proptest::prop_assert!(nodes_only.edges_added.is_empty() && nodes_only.edges_removed.is_empty());
        }
    }

    #[test]
    fn nodes_and_edges_are_matched_by_id_and_fields_compared() {
        let old = graph(
            &[
                ("S", Std, "Standard"),
                ("T", Std, "Old one"),
                ("G", Gl, "Guide  line"),
            ],
            &[("G", "cites", "S"), ("G", "cites", "T")],
        );
        let new = graph(
            &[
                ("S", Std, "Standard, 2nd edition"),
                ("G", Gl, "Guide line"),
                ("N", Std, "New"),
            ],
            &[("G", "cites", "S"), ("G", "cites", "N")],
        );
        let d = diff(&old, &new);
        let ids = |g: &Graph, v: &[NodeIx]| v.iter().map(|n| g.node(*n).id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&new, &d.added), ["N"]);
        assert_eq!(ids(&old, &d.removed), ["T"]);
        let changed: Vec<(String, bool, bool)> = d
            .changed
            .iter()
            .map(|c| {
                (
                    new.node(c.node).id.clone(),
                    c.content_changed,
                    c.fields[0].whitespace_only,
                )
            })
            .collect();
        assert_eq!(changed, [("G".into(), false, true), ("S".into(), true, false)]);
        assert_eq!(d.changed[1].fields[0].old.as_deref(), Some("Standard"));
        assert_eq!(d.edges_added.len(), 1);
        assert_eq!(d.edges_removed.len(), 1);
        assert!(diff(&new, &new).is_empty());
    }

    #[test]
    fn the_impact_of_a_diff_unites_every_change_with_its_cause() {
        // L governs G1 and G2; G1 requires I; I cites S. Then S's title changes, G2 gains a
        // citation of S, and the law is removed (G1 and G2 lose governed_by).
        let old = graph(
            &[
                ("S", Std, "S"),
                ("I", Item, "I"),
                ("G1", Gl, "G1"),
                ("G2", Gl, "G2"),
                ("L", Law, "L"),
            ],
            &[
                ("G1", "requires", "I"),
                ("I", "cites", "S"),
                ("G1", "governed_by", "L"),
                ("G2", "governed_by", "L"),
            ],
        );
        let new = graph(
            &[
                ("S", Std, "S revised"),
                ("I", Item, "I"),
                ("G1", Gl, "G1"),
                ("G2", Gl, "G2"),
            ],
            &[("G1", "requires", "I"), ("I", "cites", "S"), ("G2", "cites", "S")],
        );
        let d = diff(&old, &new);
        let answer = impact(&old, &new, &d, &ReachOptions::default());
        let roots: Vec<(&str, Vec<String>)> = answer
            .roots
            .iter()
            .map(|(id, causes)| (id.as_str(), causes.iter().map(Cause::describe).collect()))
            .collect();
        assert_eq!(
            roots,
            [
                ("G1", vec!["link removed: G1 governed_by L".to_owned()]),
                (
                    "G2",
                    vec![
                        "link added: G2 cites S".to_owned(),
                        "link removed: G2 governed_by L".to_owned()
                    ]
                ),
                ("L", vec!["removed".to_owned()]),
                ("S", vec!["content changed".to_owned()]),
            ]
        );
        // From S: I (1 hop); G1 and G2 are roots themselves, so not listed as hits.
        let hits: Vec<(&str, u32, bool)> = answer
            .hits
            .iter()
            .map(|h| (h.id.as_str(), h.distance, h.in_old))
            .collect();
        assert_eq!(hits, [("I", 1, false)]);
    }
}
