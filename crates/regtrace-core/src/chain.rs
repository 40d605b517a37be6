//! [`Chain`]: the one notation for a reason chain, shared by every answer that explains itself
//! (impact, deps, path, review list, diff, matrix cells, the audit's review causes, HTML).
//!
//! A chain is written **from the node it explains back to its cause** (the changed node of an
//! impact or a review, the start node of deps; `path` reads from its first node to its second,
//! a matrix cell from the row to the column). Each hop shows the relation as stored:
//! `a —cites→ b` when `a cites b`, `a ←cites— b` when `b cites a`. So
//! `gl-x —governed_by→ jp-pal-revision-2013` says: gl-x is governed by the revision, and that
//! is why it is on the list. A hop whose stored direction is unknown (a relation no longer in
//! the catalog) is written `—relation—`.
//!
//! The notation is text for people; JSON keeps the ids and relations as arrays.

use std::fmt;

use crate::catalog::Impact;
use crate::graph::{EdgeIx, NodeIx};
use crate::matrix::Connection;
use crate::query::{Direction, Reach};
use crate::view::GraphView;

/// Which way a hop's stored edge points, seen along the chain as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Towards {
    /// The left node states the relation to the right one (`—rel→`).
    Right,
    /// The right node states it to the left one (`←rel—`).
    Left,
    /// Not known (`—rel—`).
    Unknown,
}

/// One hop: the relation, which way it points, and the node it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The relation's name.
    pub relation: String,
    /// Which way the stored edge points.
    pub towards: Towards,
    /// The node at the hop's far end (its id).
    pub node: String,
}

/// A chain of hops from a first node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// The node the chain starts at (its id).
    pub start: String,
    /// The hops, in order.
    pub hops: Vec<Hop>,
}

impl Chain {
    /// The chain that walks `nodes` through `edges` (`edges[i]` joins `nodes[i]` and
    /// `nodes[i + 1]`, either way), written in that order.
    pub fn of_walk<G: GraphView>(graph: &G, nodes: &[NodeIx], edges: &[EdgeIx]) -> Chain {
        Chain {
            start: nodes
                .first()
                .map_or_else(String::new, |n| graph.id(*n).to_owned()),
            hops: edges
                .iter()
                .zip(nodes.iter().skip(1))
                .map(|(e, next)| {
                    let ends = graph.ends(*e);
                    Hop {
                        relation: graph.relation_name(ends.relation).to_owned(),
                        towards: if ends.to == *next {
                            Towards::Right
                        } else {
                            Towards::Left
                        },
                        node: graph.id(*next).to_owned(),
                    }
                })
                .collect(),
        }
    }

    /// The reason of a reached node: from it back to the start node that reached it.
    pub fn of_reach<G: GraphView>(graph: &G, reach: &Reach, node: NodeIx) -> Chain {
        let (mut nodes, mut edges) = reach.path(graph, node);
        nodes.reverse();
        edges.reverse();
        Chain::of_walk(graph, &nodes, &edges)
    }

    /// How a matrix row reaches a column: from the row node to the node reached.
    pub fn of_connection<G: GraphView>(graph: &G, connection: &Connection) -> Chain {
        Chain::of_walk(graph, &connection.path, &connection.edges)
    }

    /// A reason kept as ids (a review, a diff's hit): `path` runs from the start node of a
    /// traversal in `direction` to the node explained, `relations[i]` joins `path[i]` and
    /// `path[i + 1]`; `impact` tells each relation's impact direction (from the catalog in
    /// force), from which the stored direction of each hop follows. Written from the node
    /// explained back to the start.
    pub fn of_ids(
        path: &[String],
        relations: &[String],
        direction: Direction,
        impact: impl Fn(&str) -> Option<Impact>,
    ) -> Chain {
        let hops = (0..relations.len().min(path.len().saturating_sub(1)))
            .rev()
            .map(|i| {
                // Traversed path[i] → path[i + 1]; written path[i + 1] → path[i].
                let relation = &relations[i];
                let towards = match (impact(relation), direction) {
                    // A change to the target impacts the source: the far node was the target.
                    (Some(Impact::ToSource), Direction::Impact) => Towards::Right,
                    (Some(Impact::ToTarget), Direction::Impact) => Towards::Left,
                    (Some(Impact::ToSource), Direction::Dependencies) => Towards::Left,
                    (Some(Impact::ToTarget), Direction::Dependencies) => Towards::Right,
                    (Some(Impact::None) | None, _) => Towards::Unknown,
                };
                Hop {
                    relation: relation.clone(),
                    towards,
                    node: path[i].clone(),
                }
            })
            .collect();
        Chain {
            start: path.last().cloned().unwrap_or_default(),
            hops,
        }
    }

    /// The hops only, without the first and last node (a matrix cell, whose ends are its row
    /// and column): `—requires→ ev-x —verified_by→ tm-y —specified_by→`.
    pub fn inner(&self) -> String {
        let mut text = String::new();
        for (i, hop) in self.hops.iter().enumerate() {
            if i > 0 {
                text.push(' ');
                text.push_str(&self.hops[i - 1].node);
                text.push(' ');
            }
            push_arrow(&mut text, hop);
        }
        text
    }
}

impl Hop {
    /// The hop's relation as an arrow that points the way it is stored: `—cites→`, `←cites—`
    /// or `—cites—`.
    pub fn arrow(&self) -> String {
        let mut text = String::new();
        push_arrow(&mut text, self);
        text
    }
}

fn push_arrow(text: &mut String, hop: &Hop) {
    let (left, right) = match hop.towards {
        Towards::Right => ("—", "→"),
        Towards::Left => ("←", "—"),
        Towards::Unknown => ("—", "—"),
    };
    text.push_str(left);
    text.push_str(&hop.relation);
    text.push_str(right);
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.start)?;
        let mut arrow = String::new();
        for hop in &self.hops {
            arrow.clear();
            push_arrow(&mut arrow, hop);
            write!(f, " {arrow} {}", hop.node)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn an_impact_reason_reads_from_the_hit_back_to_the_change() {
        // gl governed_by law; dev covered_by gl; dev applies_to x.
        let impact = |r: &str| match r {
            "governed_by" | "covered_by" => Some(Impact::ToSource),
            "applies_to" => Some(Impact::ToTarget),
            _ => None,
        };
        let chain = Chain::of_ids(
            &ids(&["law", "gl", "dev", "x"]),
            &ids(&["governed_by", "covered_by", "applies_to"]),
            Direction::Impact,
            impact,
        );
        assert_eq!(
            chain.to_string(),
            "x ←applies_to— dev —covered_by→ gl —governed_by→ law"
        );
        assert_eq!(chain.inner(), "←applies_to— dev —covered_by→ gl —governed_by→");
    }

    #[test]
    fn a_dependency_reason_reads_from_the_dependency_back_to_the_root() {
        let chain = Chain::of_ids(
            &ids(&["gl", "ev"]),
            &ids(&["requires"]),
            Direction::Dependencies,
            |_| Some(Impact::ToSource),
        );
        assert_eq!(chain.to_string(), "ev ←requires— gl");
    }

    #[test]
    fn an_unknown_relation_has_no_arrow_head() {
        let chain = Chain::of_ids(&ids(&["a", "b"]), &ids(&["gone"]), Direction::Impact, |_| None);
        assert_eq!(chain.to_string(), "b —gone— a");
        assert_eq!(
            Chain::of_ids(&ids(&["a"]), &[], Direction::Impact, |_| None).to_string(),
            "a"
        );
    }
}
