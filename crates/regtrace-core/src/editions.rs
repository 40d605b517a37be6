//! Standards as family → edition → clause, clause crosswalks between editions, and the
//! "probably unaffected" verdict they allow.
//!
//! The shape is data, in the catalog's words: an edition is `edition_of` its family, a newer
//! edition `supersedes` an older one, a clause is `part_of` its edition, and clauses are mapped
//! to each other with the crosswalk vocabulary of NIST OSCAL ([`Mapping`]).
//!
//! When an edition that a newer edition supersedes is changed, what rests on it only through a
//! clause that the newer edition carries over `equivalent_to` (and through nothing else) is
//! *probably unaffected*: it still needs a look, but not a full review. [`Graph::verdicts`] tells
//! those hits apart and says which clause mapping each verdict rests on.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::graph::{Graph, NodeIx};
use crate::model::{NodeKind, Status};
use crate::query::{Direction, Reach, ReachOptions};
use crate::view::GraphView;

/// The relation joining an edition to its family.
pub const EDITION_OF: &str = "edition_of";
/// The relation joining a newer edition to the one it replaces.
pub const SUPERSEDES: &str = "supersedes";
/// The relation joining a clause to its edition.
pub const PART_OF: &str = "part_of";

/// A clause crosswalk, in the mapping vocabulary of NIST OSCAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mapping {
    /// The two clauses ask for the same thing.
    Equivalent,
    /// The source asks for part of what the target asks.
    Subset,
    /// The source asks for all the target asks, and more.
    Superset,
    /// The two overlap in part.
    Intersects,
    /// The source clause has no counterpart in the target edition.
    NoCounterpart,
}

impl Mapping {
    /// Every mapping.
    pub const ALL: [Mapping; 5] = [
        Mapping::Equivalent,
        Mapping::Subset,
        Mapping::Superset,
        Mapping::Intersects,
        Mapping::NoCounterpart,
    ];

    /// The relation name of this mapping in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            Mapping::Equivalent => "equivalent_to",
            Mapping::Subset => "subset_of",
            Mapping::Superset => "superset_of",
            Mapping::Intersects => "intersects_with",
            Mapping::NoCounterpart => "no_counterpart",
        }
    }

    /// The mapping a relation name stands for, if it is one.
    pub fn of_relation(name: &str) -> Option<Mapping> {
        Mapping::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// One edition in an [`Editions`] chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// The edition node.
    pub node: NodeIx,
    /// Editions this one supersedes.
    pub supersedes: Vec<NodeIx>,
    /// Editions that supersede this one.
    pub superseded_by: Vec<NodeIx>,
    /// Its clauses (nodes of kind clause `part_of` it), by id.
    pub clauses: Vec<NodeIx>,
    /// In force on the date asked (see [`Graph::in_force`]).
    pub current: bool,
}

/// One crosswalk link between two clauses (or a clause and an edition, for `no_counterpart`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Crosswalk {
    /// The clause the mapping is written on.
    pub from: NodeIx,
    /// What the mapping says.
    pub mapping: Mapping,
    /// The clause (or edition) it maps to.
    pub to: NodeIx,
}

/// A standard's editions, oldest first, with their clauses and crosswalks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editions {
    /// The family, if the editions name one.
    pub family: Option<NodeIx>,
    /// The editions, oldest first (by `supersedes`, then publication date, then id).
    pub editions: Vec<Edition>,
    /// Every crosswalk touching a clause of these editions, ordered.
    pub crosswalks: Vec<Crosswalk>,
}

/// Why [`Graph::editions`] has no answer for a node.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{id} is a {kind}, not a standard, standard family or clause")]
pub struct NotAStandard {
    /// The node asked about.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
}

/// Why a hit is probably unaffected: the clause its reason path goes through, carried over
/// unchanged into a newer edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unaffected {
    /// The clause of the changed edition on every path to the hit.
    pub clause: NodeIx,
    /// The clause of the newer edition it is `equivalent_to`.
    pub counterpart: NodeIx,
    /// The newer edition.
    pub edition: NodeIx,
}

impl Unaffected {
    /// The verdict's reason in words, with ids: what users read next to the hit.
    /// In English: the API's and the review record's wording (`regtrace_render` says it in
    /// Japanese too).
    pub fn reason<G: GraphView>(&self, graph: &G) -> String {
        let id = |n: NodeIx| graph.id(n);
        unaffected_reason(id(self.clause), id(self.edition), id(self.counterpart))
    }
}

/// [`Unaffected::reason`] from the ids.
pub fn unaffected_reason(clause: &str, edition: &str, counterpart: &str) -> String {
    format!(
        "rests on the change only through clause {clause}, which {edition} carries over as {counterpart} (equivalent_to)"
    )
}

/// The verdict on each hit of an impact: a full review, or probably unaffected and why.
#[derive(Debug, Clone, Default)]
pub struct Verdicts {
    unaffected: HashMap<NodeIx, Unaffected>,
}

impl Verdicts {
    /// Why `hit` is probably unaffected; `None` if it needs a full review.
    pub fn unaffected(&self, hit: NodeIx) -> Option<&Unaffected> {
        self.unaffected.get(&hit)
    }

    /// How many hits are probably unaffected.
    pub fn unaffected_count(&self) -> usize {
        self.unaffected.len()
    }
}

/// The relation ids of the edition vocabulary that the catalog defines.
struct Vocabulary {
    edition_of: Option<crate::RelationId>,
    supersedes: Option<crate::RelationId>,
    part_of: Option<crate::RelationId>,
    mappings: HashMap<crate::RelationId, Mapping>,
}

impl Vocabulary {
    fn of<G: GraphView>(graph: &G) -> Vocabulary {
        Vocabulary {
            edition_of: graph.relation_named(EDITION_OF),
            supersedes: graph.relation_named(SUPERSEDES),
            part_of: graph.relation_named(PART_OF),
            mappings: Mapping::ALL
                .into_iter()
                .filter_map(|m| graph.relation_named(m.as_str()).map(|id| (id, m)))
                .collect(),
        }
    }
}

impl Graph {
    /// The editions of the standard `node` belongs to: `node` may be a family, an edition or a
    /// clause. `current` is decided for `date`.
    pub fn editions(&self, node: NodeIx, date: NaiveDate) -> Result<Editions, NotAStandard> {
        editions(self, node, date)
    }

    /// Tells which hits of an impact `reach` are probably unaffected; see [`verdicts`].
    pub fn verdicts(&self, reach: &mut Reach, options: &ReachOptions) -> Verdicts {
        verdicts(self, reach, options)
    }
}

/// The editions of the standard `node` belongs to, in any view (see [`Graph::editions`]).
pub fn editions<G: GraphView>(graph: &G, node: NodeIx, date: NaiveDate) -> Result<Editions, NotAStandard> {
    let words = Vocabulary::of(graph);
    let is = |rel: Option<crate::RelationId>, r: crate::RelationId| rel == Some(r);
    let edition = match graph.kind(node) {
        NodeKind::StandardFamily | NodeKind::Standard => node,
        NodeKind::Clause => graph
            .out_links(node)
            .find(|(_, l)| is(words.part_of, l.relation) && graph.kind(l.to) == NodeKind::Standard)
            .map_or(node, |(_, l)| l.to),
        kind => {
            return Err(NotAStandard {
                id: graph.id(node).to_owned(),
                kind,
            });
        }
    };
    let family = match graph.kind(edition) {
        NodeKind::StandardFamily => Some(edition),
        _ => graph
            .out_links(edition)
            .find(|(_, l)| is(words.edition_of, l.relation))
            .map(|(_, l)| l.to),
    };

    // The family's editions, and every edition joined to them by `supersedes` either way.
    let mut members: Vec<NodeIx> = match family {
        Some(f) => graph
            .in_links(f)
            .filter(|(_, l)| is(words.edition_of, l.relation))
            .map(|(_, l)| l.from)
            .collect(),
        None => vec![],
    };
    if graph.kind(edition) == NodeKind::Standard {
        members.push(edition);
    }
    let mut seen = HashSet::new();
    members.retain(|m| seen.insert(*m));
    let mut i = 0;
    while i < members.len() {
        let n = members[i];
        let chained = graph
            .out_links(n)
            .filter(|(_, l)| is(words.supersedes, l.relation))
            .map(|(_, l)| l.to)
            .chain(
                graph
                    .in_links(n)
                    .filter(|(_, l)| is(words.supersedes, l.relation))
                    .map(|(_, l)| l.from),
            )
            .filter(|m| graph.kind(*m) == NodeKind::Standard)
            .collect::<Vec<_>>();
        for m in chained {
            if seen.insert(m) {
                members.push(m);
            }
        }
        i += 1;
    }

    // Oldest first: by the length of the longest `supersedes` chain below each edition (the
    // catalog keeps `supersedes` acyclic), found in one pass from the oldest up (Kahn's
    // order), then by publication date and id. Counting every edition below each one
    // instead was quadratic: 73 s for a chain of 50,000 editions.
    let index: std::collections::HashMap<NodeIx, usize> =
        members.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let supersedes = |n: NodeIx| {
        graph
            .out_links(n)
            .filter(|(_, l)| is(words.supersedes, l.relation))
            .filter_map(|(_, l)| index.get(&l.to).copied())
    };
    let mut pending: Vec<usize> = members.iter().map(|n| supersedes(*n).count()).collect();
    let mut depth = vec![0usize; members.len()];
    let mut ready: Vec<usize> = (0..members.len()).filter(|i| pending[*i] == 0).collect();
    while let Some(i) = ready.pop() {
        for (_, l) in graph
            .in_links(members[i])
            .filter(|(_, l)| is(words.supersedes, l.relation))
        {
            if let Some(&newer) = index.get(&l.from) {
                depth[newer] = depth[newer].max(depth[i] + 1);
                pending[newer] -= 1;
                if pending[newer] == 0 {
                    ready.push(newer);
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_cached_key(|i| {
        let n = members[*i];
        (depth[*i], graph.dates(n).published, graph.id(n).to_owned())
    });
    let members: Vec<NodeIx> = order.into_iter().map(|i| members[i]).collect();

    let mut crosswalks = Vec::new();
    let editions = members
        .iter()
        .map(|&n| {
            let linked = |outgoing: bool| -> Vec<NodeIx> {
                let mut v: Vec<NodeIx> = if outgoing {
                    graph
                        .out_links(n)
                        .filter(|(_, l)| is(words.supersedes, l.relation))
                        .map(|(_, l)| l.to)
                        .collect()
                } else {
                    graph
                        .in_links(n)
                        .filter(|(_, l)| is(words.supersedes, l.relation))
                        .map(|(_, l)| l.from)
                        .collect()
                };
                v.sort_by(|a, b| graph.id(*a).cmp(graph.id(*b)));
                v
            };
            let mut clauses: Vec<NodeIx> = graph
                .in_links(n)
                .filter(|(_, l)| is(words.part_of, l.relation) && graph.kind(l.from) == NodeKind::Clause)
                .map(|(_, l)| l.from)
                .collect();
            clauses.sort_by(|a, b| graph.id(*a).cmp(graph.id(*b)));
            for &c in &clauses {
                let links = graph.out_links(c).chain(graph.in_links(c));
                for (_, l) in links {
                    if let Some(&mapping) = words.mappings.get(&l.relation) {
                        crosswalks.push(Crosswalk {
                            from: l.from,
                            mapping,
                            to: l.to,
                        });
                    }
                }
            }
            Edition {
                node: n,
                supersedes: linked(true),
                superseded_by: linked(false),
                clauses,
                current: crate::query::in_force(graph, n, date),
            }
        })
        .collect();
    let id = |n: NodeIx| graph.id(n);
    crosswalks.sort_by(|a, b| (id(a.from), a.mapping, id(a.to)).cmp(&(id(b.from), b.mapping, id(b.to))));
    crosswalks.dedup();
    Ok(Editions {
        family,
        editions,
        crosswalks,
    })
}

/// Tells which hits of an impact `reach` are probably unaffected, and makes the reason shown for
/// every other hit one that carries the change.
///
/// For each changed edition that a newer edition supersedes (one in force on `as_of` if
/// given, else one whose status is final and not withdrawn), a clause of the changed edition
/// whose every crosswalk into the newer edition is `equivalent_to` is *carried over*. A hit is
/// probably unaffected if every chain of impact from the change to it goes through a
/// carried-over clause; the verdict names the first such clause on its reason path. A hit that
/// some chain reaches without a carried-over clause needs a full review, and its reason path
/// becomes the shortest such chain (a guideline resting on clauses 8 and 14 of an edition, when
/// only 14 changed, is shown through 14, not through 8 which is shorter or first by id).
pub fn verdicts<G: GraphView>(graph: &G, reach: &mut Reach, options: &ReachOptions) -> Verdicts {
    if reach.direction() != Direction::Impact {
        return Verdicts::default();
    }
    let words = Vocabulary::of(graph);
    let (Some(supersedes), Some(part_of)) = (words.supersedes, words.part_of) else {
        return Verdicts::default();
    };
    let final_edition = |n: NodeIx| match options.as_of {
        Some(date) => crate::query::in_force(graph, n, date),
        None => matches!(graph.status(n), None | Some(Status::Published)),
    };
    let incoming = |n: NodeIx, relation| {
        graph
            .in_links(n)
            .map(|(_, l)| l)
            .filter(move |l| l.relation == relation)
            .map(|l| l.from)
    };

    let mut carried: HashMap<NodeIx, Unaffected> = HashMap::new();
    for &root in &reach.roots {
        if graph.kind(root) != NodeKind::Standard {
            continue;
        }
        let newer: Vec<NodeIx> = incoming(root, supersedes).filter(|n| final_edition(*n)).collect();
        let clauses = incoming(root, part_of).filter(|c| graph.kind(*c) == NodeKind::Clause);
        for clause in clauses {
            for &edition in &newer {
                if let Some(counterpart) = carried_into(graph, clause, edition, &words, part_of) {
                    carried.entry(clause).or_insert(Unaffected {
                        clause,
                        counterpart,
                        edition,
                    });
                }
            }
        }
    }
    if carried.is_empty() {
        return Verdicts::default();
    }

    let mut avoid = vec![false; graph.node_count()];
    for clause in carried.keys() {
        avoid[clause.index()] = true;
    }
    let avoiding = crate::query::reach_avoiding(graph, &reach.roots, Direction::Impact, options, &avoid);
    // Every hit reached without a carried-over clause whose path shown passes one takes the
    // avoiding search's path: its nodes are all reached that way too, so the paths stay whole.
    // Whether a path passes one is its parent's answer or the node's own: hits come by distance,
    // so each parent is decided before its children, in one pass rather than a walk per hit.
    let mut passes: std::collections::HashSet<NodeIx> = reach
        .roots
        .iter()
        .copied()
        .filter(|r| carried.contains_key(r))
        .collect();
    for hit in &reach.hits {
        let parent = reach.path_back(hit.node).nth(1).map(|(n, _)| n);
        if carried.contains_key(&hit.node) || parent.is_some_and(|p| passes.contains(&p)) {
            passes.insert(hit.node);
        }
    }
    let through_carried: Vec<NodeIx> = reach
        .hits
        .iter()
        .filter(|h| avoiding.reached(h.node) && passes.contains(&h.node))
        .map(|h| h.node)
        .collect();
    reach.adopt(graph, &avoiding, &through_carried);
    let unaffected = reach
        .hits
        .iter()
        .filter(|h| !avoiding.reached(h.node))
        .filter_map(|h| {
            let (nodes, _) = reach.path(graph, h.node);
            let why = nodes.iter().find_map(|n| carried.get(n))?;
            Some((h.node, *why))
        })
        .collect();
    Verdicts { unaffected }
}

/// The clause of `edition` that `clause` is carried over into: every crosswalk between
/// `clause` and `edition` (or its clauses) says `equivalent_to`, and there is at least one.
fn carried_into<G: GraphView>(
    graph: &G,
    clause: NodeIx,
    edition: NodeIx,
    words: &Vocabulary,
    part_of: crate::RelationId,
) -> Option<NodeIx> {
    let in_edition = |n: NodeIx| {
        n == edition
            || graph
                .out_links(n)
                .any(|(_, l)| l.relation == part_of && l.to == edition)
    };
    let mut counterpart = None;
    let links = graph
        .out_links(clause)
        .map(|(_, l)| (l.relation, l.to))
        .chain(graph.in_links(clause).map(|(_, l)| (l.relation, l.from)));
    for (relation, other) in links {
        let Some(mapping) = words.mappings.get(&relation) else {
            continue;
        };
        if !in_edition(other) {
            continue;
        }
        if *mapping != Mapping::Equivalent {
            return None;
        }
        counterpart.get_or_insert(other);
    }
    counterpart
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Node};

    /// ISO X:2009 and X:2018 (which supersedes it), both editions of family X. Clause 2009 §4
    /// is carried over equivalent_to 2018 §4; 2009 §5 only intersects with 2018 §5; 2009 §6
    /// has no counterpart. TM-A pins §4, TM-B pins §5, TM-C pins §6, TM-D cites the whole 2009
    /// edition, TM-E pins §4 and cites the 2009 edition. G1 cites TM-A; G2 cites TM-A and TM-B.
    /// U cites the family (undated).
    fn graph() -> Graph {
        let catalog = crate::testing::editions();
        let mut nodes = vec![Node::new("X", NodeKind::StandardFamily, "X")];
        for (id, published) in [("X-2009", "2009-10-15"), ("X-2018", "2018-08-01")] {
            let mut n = Node::new(id, NodeKind::Standard, id);
            n.dates.published = Some(crate::model::parse_date(published).unwrap());
            n.status = Some(Status::Published);
            nodes.push(n);
        }
        for id in ["X-2009-4", "X-2009-5", "X-2009-6", "X-2018-4", "X-2018-5"] {
            nodes.push(Node::new(id, NodeKind::Clause, id));
        }
        for id in ["TM-A", "TM-B", "TM-C", "TM-D", "TM-E"] {
            nodes.push(Node::new(id, NodeKind::TestMethod, id));
        }
        for id in ["G1", "G2", "U"] {
            nodes.push(Node::new(id, NodeKind::Guideline, id));
        }
        let edges: Vec<Edge> = [
            ("X-2009", "edition_of", "X"),
            ("X-2018", "edition_of", "X"),
            ("X-2018", "supersedes", "X-2009"),
            ("X-2009-4", "part_of", "X-2009"),
            ("X-2009-5", "part_of", "X-2009"),
            ("X-2009-6", "part_of", "X-2009"),
            ("X-2018-4", "part_of", "X-2018"),
            ("X-2018-5", "part_of", "X-2018"),
            ("X-2018-4", "equivalent_to", "X-2009-4"),
            ("X-2009-5", "intersects_with", "X-2018-5"),
            ("X-2009-6", "no_counterpart", "X-2018"),
            ("TM-A", "cites", "X-2009-4"),
            ("TM-B", "cites", "X-2009-5"),
            ("TM-C", "cites", "X-2009-6"),
            ("TM-D", "cites", "X-2009"),
            ("TM-E", "cites", "X-2009-4"),
            ("TM-E", "cites", "X-2009"),
            ("G1", "cites", "TM-A"),
            ("G2", "cites", "TM-A"),
            ("G2", "cites", "TM-B"),
            ("U", "cites", "X"),
        ]
        .into_iter()
        .map(|(f, r, t)| Edge::new(f, r, t))
        .collect();
        Graph::build(catalog, nodes, edges).unwrap()
    }

    #[test]
    fn only_what_rests_on_carried_over_clauses_alone_is_probably_unaffected() {
        let g = graph();
        let root = g.find("X-2009").unwrap();
        let options = ReachOptions::default();
        let mut reach = g.reach(&[root], Direction::Impact, &options);
        let verdicts = g.verdicts(&mut reach, &options);
        let mut unaffected: Vec<(&str, &str, &str)> = reach
            .hits
            .iter()
            .filter_map(|h| {
                verdicts.unaffected(h.node).map(|u| {
                    (
                        g.node(h.node).id.as_str(),
                        g.node(u.clause).id.as_str(),
                        g.node(u.counterpart).id.as_str(),
                    )
                })
            })
            .collect();
        unaffected.sort();
        assert_eq!(
            unaffected,
            [
                ("G1", "X-2009-4", "X-2018-4"),
                ("TM-A", "X-2009-4", "X-2018-4"),
                ("X-2009-4", "X-2009-4", "X-2018-4"),
            ]
        );
        // Everything else reached needs a full review: §5 only intersects, §6 has no
        // counterpart, TM-D and TM-E rest on the whole edition, G2 also rests on TM-B, and the
        // undated reference U follows the family.
        let reached: HashSet<&str> = reach.hits.iter().map(|h| g.node(h.node).id.as_str()).collect();
        for id in [
            "X-2009-5", "X-2009-6", "TM-B", "TM-C", "TM-D", "TM-E", "G2", "X", "U",
        ] {
            assert!(reached.contains(id), "{id} reached");
            assert!(
                verdicts.unaffected(g.find(id).unwrap()).is_none(),
                "{id} needs review"
            );
        }
        assert_eq!(verdicts.unaffected_count(), 3);

        // G2 rests on §4 (carried over) through TM-A and on §5 (changed) through TM-B: the
        // reason shown is the one that carries the change, and its distance is that chain's.
        let ids = |n: NodeIx| {
            let (path, _) = reach.path(&g, n);
            path.iter().map(|n| g.node(*n).id.as_str()).collect::<Vec<_>>()
        };
        assert_eq!(ids(g.find("G2").unwrap()), ["X-2009", "X-2009-5", "TM-B", "G2"]);
        assert_eq!(ids(g.find("G1").unwrap()), ["X-2009", "X-2009-4", "TM-A", "G1"]);
        let g2 = reach.hits.iter().find(|h| g.node(h.node).id == "G2").unwrap();
        assert_eq!(g2.distance, 3);
        // Every distinct chain is there, the one shown first.
        let chains: Vec<Vec<&str>> = crate::query::causes(&g, &reach, g.find("G2").unwrap(), 8, 32)
            .iter()
            .map(|(nodes, _)| nodes.iter().map(|n| g.node(*n).id.as_str()).collect())
            .collect();
        assert_eq!(
            chains,
            [
                ["X-2009", "X-2009-5", "TM-B", "G2"],
                ["X-2009", "X-2009-4", "TM-A", "G2"]
            ]
        );
        assert_eq!(
            crate::query::causes(&g, &reach, g.find("G2").unwrap(), 1, 32).len(),
            1
        );
    }

    #[test]
    fn no_newer_edition_means_no_verdicts() {
        let g = graph();
        let root = g.find("X-2018").unwrap();
        let options = ReachOptions::default();
        let mut reach = g.reach(&[root], Direction::Impact, &options);
        assert_eq!(g.verdicts(&mut reach, &options).unaffected_count(), 0);
        // Before the 2018 edition is in force, nothing supersedes 2009 yet.
        let before = ReachOptions {
            as_of: Some(crate::model::parse_day("2015-01-01").unwrap()),
            ..Default::default()
        };
        let mut reach = g.reach(&[g.find("X-2009").unwrap()], Direction::Impact, &before);
        assert_eq!(g.verdicts(&mut reach, &before).unaffected_count(), 0);
    }

    #[test]
    fn editions_come_oldest_first_from_any_member() {
        let g = graph();
        let date = crate::model::parse_day("2020-01-01").unwrap();
        let expected = g.editions(g.find("X").unwrap(), date).unwrap();
        for id in ["X-2009", "X-2018", "X-2009-5"] {
            assert_eq!(g.editions(g.find(id).unwrap(), date).unwrap(), expected);
        }
        let ids: Vec<&str> = expected
            .editions
            .iter()
            .map(|e| g.node(e.node).id.as_str())
            .collect();
        assert_eq!(ids, ["X-2009", "X-2018"]);
        assert_eq!(expected.family, g.find("X"));
        assert!(!expected.editions[0].current && expected.editions[1].current);
        assert_eq!(expected.editions[0].clauses.len(), 3);
        assert_eq!(expected.crosswalks.len(), 3);
        let early = g.editions(
            g.find("X").unwrap(),
            crate::model::parse_day("2010-01-01").unwrap(),
        );
        assert!(early.unwrap().editions[0].current);
        assert!(g.editions(g.find("G1").unwrap(), date).is_err());
    }
}
