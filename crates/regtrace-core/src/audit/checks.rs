//! Running the checks: one function per [`Check`], each returning its part of the report.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Check, Coverage, FieldCount, Finding, Report, ReviewLedger, Rule, Says, Target, Via};
use crate::catalog::{KindSet, RelationId};
use crate::graph::{Graph, NodeIx};
use crate::model::{NodeKind, Status, parse_date};

/// What every check needs: the graph, and the rule whose findings it makes.
struct Cx<'a> {
    graph: &'a Graph,
    index: usize,
    rule: &'a Rule,
    /// The nodes checked (all when `None`).
    scope: Option<&'a [bool]>,
}

impl Cx<'_> {
    /// A finding of the rule about `nodes` (the main one first), with the severity the rule
    /// gives the main node's status.
    fn finding(&self, nodes: Vec<NodeIx>, says: Says) -> Finding {
        let severity = self
            .graph
            .node(nodes[0])
            .status
            .and_then(|s| self.rule.severity_by_status.get(&s).copied())
            .unwrap_or(self.rule.severity);
        Finding {
            rule: self.index,
            severity,
            nodes,
            says,
        }
    }

    fn relation_name(&self, r: RelationId) -> String {
        self.graph.catalog().get(r).name.clone()
    }

    fn id(&self, n: NodeIx) -> String {
        self.graph.node(n).id.clone()
    }

    /// Whether `n` is within the scope checked.
    fn within(&self, n: NodeIx) -> bool {
        self.scope.is_none_or(|scope| scope[n.index()])
    }

    /// All nodes of a kind within the scope, as a parallel iterator.
    fn of_kind(&self, kind: NodeKind) -> impl ParallelIterator<Item = NodeIx> + '_ {
        let graph = self.graph;
        (0..graph.node_count() as u32)
            .into_par_iter()
            .map(NodeIx)
            .filter(move |n| graph.node(*n).kind == kind && self.within(*n))
    }
}

fn status_in(graph: &Graph, node: NodeIx, statuses: &[Status]) -> bool {
    statuses.is_empty() || graph.node(node).status.is_some_and(|s| statuses.contains(&s))
}

/// Runs one rule: its check, then its findings ordered by node id and what they say.
pub(super) fn run_rule(
    graph: &Graph,
    index: usize,
    rule: &Rule,
    reviews: &ReviewLedger,
    scope: Option<&[bool]>,
) -> Report {
    let cx = Cx {
        graph,
        index,
        rule,
        scope,
    };
    let mut report = match &rule.check {
        Check::MinLinks {
            kind,
            statuses,
            via,
            to,
            min,
            unless,
        } => min_links(&cx, kind, statuses, via, to, min, unless),
        Check::StaleReference {
            relations,
            replaced_by,
            parts,
        } => stale_reference(&cx, relations, replaced_by, parts, reviews),
        Check::TargetStatus {
            kind,
            statuses,
            relations,
            target_statuses,
        } => target_status(&cx, kind, statuses, relations, target_statuses),
        Check::NeedsReview {
            kind,
            statuses,
            relation,
            review_attribute,
        } => needs_review(&cx, kind, statuses, relation, review_attribute, reviews),
        Check::Unconnected => unconnected(&cx),
        Check::BothCurrent { relations, current } => both_current(&cx, relations, current),
        Check::FieldCoverage {
            relation,
            kind,
            statuses,
            target,
        } if scope.is_none() => field_coverage(&cx, relation, kind, statuses, target),
        Check::FieldCoverage { .. } => Report::default(),
        Check::Marked {
            attribute,
            value,
            explained_by,
        } => marked(&cx, attribute, value.as_deref(), explained_by.as_deref()),
    };
    report.findings.retain(|f| cx.within(f.nodes[0]));
    report.findings.sort_by(|a, b| {
        graph
            .node(a.nodes[0])
            .id
            .cmp(&graph.node(b.nodes[0]).id)
            .then_with(|| a.says.cmp(&b.says))
    });
    report
}

/// `min_links`: nodes of a kind with too few links of the relations that count; and coverage.
fn min_links(
    cx: &Cx<'_>,
    kind: &NodeKind,
    statuses: &[Status],
    via: &[Via],
    to: &KindSet,
    min: &usize,
    unless: &Option<(String, String)>,
) -> Report {
    let graph = cx.graph;
    let mut report = Report::default();
    let checked: Vec<(NodeIx, usize)> = cx
        .of_kind(*kind)
        .filter(|n| status_in(graph, *n, statuses))
        .filter(|n| {
            unless
                .as_ref()
                .is_none_or(|(a, v)| graph.node(*n).attributes.get(a) != Some(v))
        })
        .map(|n| {
            let out = graph.outgoing(n).filter(|(_, l)| {
                via.iter().any(|v| !v.incoming && v.relation == l.relation)
                    && to.contains(graph.node(l.to).kind)
            });
            let into = graph.incoming(n).filter(|(_, l)| {
                via.iter().any(|v| v.incoming && v.relation == l.relation)
                    && to.contains(graph.node(l.from).kind)
            });
            (n, out.count() + into.count())
        })
        .collect();
    let names: Vec<(bool, String)> = via
        .iter()
        .map(|v| (v.incoming, cx.relation_name(v.relation)))
        .collect();
    for (node, count) in &checked {
        if count < min {
            report.findings.push(cx.finding(
                vec![*node],
                Says::TooFewLinks {
                    kind: *kind,
                    count: *count,
                    via: names.clone(),
                    to: *to,
                    min: *min,
                },
            ));
        }
    }
    report.coverage.push(Coverage {
        rule: cx.index,
        kind: *kind,
        checked: checked.len(),
        covered: checked.iter().filter(|(_, c)| c >= min).count(),
    });

    report
}

/// `stale_reference`: references to a withdrawn node, or to one a published node replaces
/// (directly, or through the edition a cited clause belongs to).
fn stale_reference(
    cx: &Cx<'_>,
    relations: &[RelationId],
    replaced_by: &[RelationId],
    parts: &[RelationId],
    reviews: &ReviewLedger,
) -> Report {
    let graph = cx.graph;
    let mut report = Report::default();
    // Each node's published replacement, found once: scanning a target's incoming
    // edges per citing edge would be quadratic in the in-degree of much-cited editions.
    let newer: Vec<Option<NodeIx>> = (0..graph.node_count() as u32)
        .into_par_iter()
        .map(|n| {
            graph
                .incoming(NodeIx(n))
                .find(|(_, l)| {
                    replaced_by.contains(&l.relation) && graph.node(l.from).status == Some(Status::Published)
                })
                .map(|(_, l)| l.from)
        })
        .collect();
    // A clause (a part) is as stale as the edition (the whole) it belongs to.
    let whole = |n: NodeIx| {
        graph
            .outgoing(n)
            .find(|(_, l)| parts.contains(&l.relation))
            .map(|(_, l)| l.to)
    };
    report.findings = (0..graph.edge_count() as u32)
        .into_par_iter()
        .filter_map(|e| {
            let link = graph.link(crate::graph::EdgeIx(e));
            if !relations.contains(&link.relation) {
                return None;
            }
            let target = graph.node(link.to);
            let (edition, newer) = match newer[link.to.index()] {
                Some(n) => (link.to, Some(n)),
                None if target.status == Some(Status::Withdrawn) => (link.to, None),
                None => {
                    let w = whole(link.to)?;
                    (w, newer[w.index()])
                }
            };
            if newer.is_none() && graph.node(edition).status != Some(Status::Withdrawn) {
                return None;
            }
            // Accepted on purpose (a decision's --keeps of the cited node or its edition): said,
            // with who, when and why, as information.
            let accepted = [link.to, edition]
                .iter()
                .find_map(|kept| reviews.accepted.get(&(link.from, *kept)));
            if let Some(acceptance) = accepted {
                return Some(Finding {
                    severity: super::Severity::Info,
                    ..cx.finding(
                        vec![link.from, link.to],
                        Says::AcceptedReference {
                            from: cx.id(link.from),
                            relation: cx.relation_name(link.relation),
                            cited: target.id.clone(),
                            within: (edition != link.to).then(|| cx.id(edition)),
                            acceptance: acceptance.clone(),
                        },
                    )
                });
            }
            let says = Says::StaleReference {
                from: cx.id(link.from),
                relation: cx.relation_name(link.relation),
                cited: target.id.clone(),
                within: (edition != link.to).then(|| cx.id(edition)),
                superseded_by: newer.map(|n| cx.id(n)),
            };
            let mut nodes = vec![link.from, link.to];
            if edition != link.to {
                nodes.push(edition);
            }
            nodes.extend(newer);
            Some(cx.finding(nodes, says))
        })
        .collect();

    report
}

/// `target_status`: references from nodes in some statuses to nodes in statuses they must not cite.
fn target_status(
    cx: &Cx<'_>,
    kind: &NodeKind,
    statuses: &[Status],
    relations: &[RelationId],
    target_statuses: &[Status],
) -> Report {
    let graph = cx.graph;
    let findings = cx
        .of_kind(*kind)
        .filter(|n| status_in(graph, *n, statuses))
        .flat_map_iter(|n| {
            graph
                .outgoing(n)
                .filter(|(_, l)| relations.contains(&l.relation))
                .filter_map(|(_, l)| {
                    let status = graph.node(l.to).status?;
                    target_statuses.contains(&status).then(|| {
                        cx.finding(
                            vec![n, l.to],
                            Says::TargetStatus {
                                status: graph.node(n).status,
                                kind: *kind,
                                relation: cx.relation_name(l.relation),
                                target: cx.id(l.to),
                                target_status: status,
                            },
                        )
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    Report {
        findings,
        ..Report::default()
    }
}

/// `needs_review`: open reviews from the ledger; without a review record, regulations dated
/// after the node's last review.
fn needs_review(
    cx: &Cx<'_>,
    kind: &NodeKind,
    statuses: &[Status],
    relation: &RelationId,
    review_attribute: &str,
    reviews: &ReviewLedger,
) -> Report {
    let graph = cx.graph;
    // Recorded reviews decide for the nodes they concern, whatever their kind or status: open
    // ones are findings, closed ones are done.
    let open = reviews.open.iter().flat_map(|(&n, causes)| {
        causes.iter().map(move |cause| {
            cx.finding(
                vec![n],
                Says::OpenReview {
                    kind: graph.node(n).kind,
                    id: cx.id(n),
                    cause: cause.clone(),
                },
            )
        })
    });
    // Nodes of the rule's kind and statuses without a recorded review fall back to their
    // review date against the changes of what governs them.
    let dated: Vec<Finding> = cx
        .of_kind(*kind)
        .filter(|n| status_in(graph, *n, statuses))
        .filter(|n| !reviews.recorded.contains(n))
        .flat_map_iter(|n| {
            let node = graph.node(n);
            let reviewed = node
                .attributes
                .get(review_attribute)
                .and_then(|d| parse_date(d).ok())
                .or(node.dates.published);
            graph
                .outgoing(n)
                .filter(|(_, l)| l.relation == *relation)
                .filter_map(|(_, l)| {
                    let law = graph.node(l.to);
                    let changed = law.dates.effective.into_iter().chain(law.dates.enacted).max()?;
                    let stale = reviewed.is_none_or(|r| r < changed);
                    stale.then(|| {
                        cx.finding(
                            vec![n, l.to],
                            Says::ChangedSinceReview {
                                law: law.id.clone(),
                                changed,
                                node: node.id.clone(),
                                reviewed,
                                attribute: review_attribute.to_owned(),
                            },
                        )
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    Report {
        findings: open.chain(dated).collect(),
        ..Report::default()
    }
}

/// `unconnected`: nodes with no relation at all.
fn unconnected(cx: &Cx<'_>) -> Report {
    let graph = cx.graph;
    let findings = (0..graph.node_count() as u32)
        .into_par_iter()
        .map(NodeIx)
        .filter(|n| graph.outgoing(*n).next().is_none() && graph.incoming(*n).next().is_none())
        .map(|n| {
            cx.finding(
                vec![n],
                Says::Unconnected {
                    kind: graph.node(n).kind,
                    id: cx.id(n),
                },
            )
        })
        .collect();
    Report {
        findings,
        ..Report::default()
    }
}

/// `marked`: nodes carrying an attribute (with a value, if given), each with what explains it.
fn marked(cx: &Cx<'_>, attribute: &str, value: Option<&str>, explained_by: Option<&str>) -> Report {
    let graph = cx.graph;
    let findings = (0..graph.node_count() as u32)
        .into_par_iter()
        .map(NodeIx)
        .filter_map(|n| {
            let node = graph.node(n);
            let mark = node.attributes.get(attribute)?;
            if value.is_some_and(|v| v != mark) {
                return None;
            }
            let why = explained_by.and_then(|a| node.attributes.get(a)).unwrap_or(mark);
            Some(cx.finding(
                vec![n],
                Says::Marked {
                    kind: node.kind,
                    id: node.id.clone(),
                    why: why.clone(),
                },
            ))
        })
        .collect();
    Report {
        findings,
        ..Report::default()
    }
}

/// `both_current`: a revision link whose two ends are both current.
fn both_current(cx: &Cx<'_>, relations: &[RelationId], current: &[Status]) -> Report {
    let graph = cx.graph;
    let findings = (0..graph.edge_count() as u32)
        .into_par_iter()
        .filter_map(|e| {
            let link = graph.link(crate::graph::EdgeIx(e));
            let live = |n: NodeIx| graph.node(n).status.is_some_and(|s| current.contains(&s));
            (relations.contains(&link.relation) && live(link.from) && live(link.to)).then(|| {
                cx.finding(
                    vec![link.to, link.from],
                    Says::BothCurrent {
                        from: cx.id(link.from),
                        relation: cx.relation_name(link.relation),
                        to: cx.id(link.to),
                    },
                )
            })
        })
        .collect();
    Report {
        findings,
        ..Report::default()
    }
}

/// `field_coverage`: fields with no node of the kind in the counted statuses; per-field
/// counts; progress toward a target stated as data.
fn field_coverage(
    cx: &Cx<'_>,
    relation: &RelationId,
    kind: &NodeKind,
    statuses: &[Status],
    target: &Option<(String, String)>,
) -> Report {
    let graph = cx.graph;
    let mut report = Report::default();
    let mut per_field: HashMap<NodeIx, (usize, usize)> = HashMap::new();
    for (i, node) in graph.nodes().iter().enumerate() {
        if node.kind == NodeKind::Field {
            per_field.entry(NodeIx(i as u32)).or_default();
        }
    }
    for link in graph.links().iter().filter(|l| l.relation == *relation) {
        if graph.node(link.from).kind == *kind {
            let entry = per_field.entry(link.to).or_default();
            entry.0 += 1;
            if status_in(graph, link.from, statuses) {
                entry.1 += 1;
            }
        }
    }
    let mut fields: Vec<FieldCount> = per_field
        .into_iter()
        .map(|(field, (total, counted))| FieldCount {
            field,
            total,
            counted,
        })
        .collect();
    fields.sort_by(|a, b| graph.node(a.field).id.cmp(&graph.node(b.field).id));
    for f in fields.iter().filter(|f| f.counted == 0) {
        report.findings.push(cx.finding(
            vec![f.field],
            Says::EmptyField {
                field: cx.id(f.field),
                statuses: statuses.to_vec(),
                kind: *kind,
                total: f.total,
            },
        ));
    }
    report.fields = fields;
    if let Some((node, attribute)) = target {
        let stated = graph
            .find(node)
            .and_then(|n| graph.node(n).attributes.get(attribute))
            .and_then(|v| v.parse::<usize>().ok());
        let count = graph
            .nodes()
            .iter()
            .enumerate()
            .filter(|(i, n)| n.kind == *kind && status_in(graph, NodeIx(*i as u32), statuses))
            .count();
        if let Some(target) = stated {
            report.target = Some(Target {
                count,
                target,
                stated_at: (node.clone(), attribute.clone()),
            });
        }
    }

    report
}
