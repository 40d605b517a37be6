//! The coverage audit: rules held as data, each a typed check from a small closed set, run in
//! parallel over the whole graph.
//!
//! A rules file (`data/audit.toml`) holds `[[rule]]` tables: a name, a severity, a description,
//! how to fix a finding, optional per-status severities, and one `[rule.check]` whose `type` is
//! one of the checks below. Every finding names its rule, severity, node(s), a one-line
//! explanation and the fix.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use crate::catalog::{KindSet, RelationId, line_column};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::graph::{Graph, NodeIx};
use crate::model::{NodeKind, Status, parse_date};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be looked at.
    Warning,
    /// Must be fixed.
    Error,
}

impl Severity {
    /// The word used in rules files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!("unknown severity {s:?}: use info, warning or error")),
        }
    }
}

/// One step of a `min_links` check: a relation, followed out of the node or into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Via {
    /// The relation.
    pub relation: RelationId,
    /// True to follow edges pointing into the node (written `<name` in rules files).
    pub incoming: bool,
}

/// The closed set of checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Every node of `kind` (with one of `statuses`, if given) has at least `min` links `via`
    /// these relations to nodes of kinds `to`, unless its attribute `unless.0` equals `unless.1`.
    MinLinks {
        /// Kind checked.
        kind: NodeKind,
        /// Only nodes with these statuses (empty: all).
        statuses: Vec<Status>,
        /// Relations that count.
        via: Vec<Via>,
        /// Kinds at the other end that count.
        to: KindSet,
        /// How many are needed.
        min: usize,
        /// An attribute (name, value) that exempts a node.
        unless: Option<(String, String)>,
    },
    /// Nodes that point with `relations` at a node that is withdrawn, or that a published node
    /// replaces through `replaced_by` (e.g. `supersedes`): the reference is stale.
    StaleReference {
        /// References checked (e.g. cites, specified_by).
        relations: Vec<RelationId>,
        /// Relations whose source replaces their target (e.g. supersedes).
        replaced_by: Vec<RelationId>,
        /// Relations from a part to its whole (e.g. `part_of`): a reference to a clause of a
        /// replaced or withdrawn edition is stale too.
        parts: Vec<RelationId>,
    },
    /// Nodes of `kind` with one of `statuses` that point with `relations` at a node whose status
    /// is one of `target_statuses` (e.g. a published guideline citing a draft standard).
    TargetStatus {
        /// Kind checked.
        kind: NodeKind,
        /// Statuses checked.
        statuses: Vec<Status>,
        /// References checked.
        relations: Vec<RelationId>,
        /// Statuses a target must not have.
        target_statuses: Vec<Status>,
    },
    /// Nodes of `kind` (with one of `statuses`) linked by `relation` to a regulation dated after
    /// their last review: the attribute `review_attribute` (a date), else their `published` date.
    NeedsReview {
        /// Kind checked.
        kind: NodeKind,
        /// Statuses checked.
        statuses: Vec<Status>,
        /// The governing relation (governed_by).
        relation: RelationId,
        /// The attribute holding the last review date.
        review_attribute: String,
    },
    /// Nodes with no relation at all.
    Unconnected,
    /// A `relations` link whose two ends both have a current status (`current`): a revision
    /// chain with two live nodes.
    BothCurrent {
        /// The chain relations (revises, supersedes).
        relations: Vec<RelationId>,
        /// Statuses that count as current.
        current: Vec<Status>,
    },
    /// Fields with no node of `kind` in `statuses` linked to them by `relation`; and progress
    /// toward a target count stated as data (`target_node`'s attribute `target_attribute`).
    FieldCoverage {
        /// The field relation (belongs_to).
        relation: RelationId,
        /// The kind counted (guideline).
        kind: NodeKind,
        /// Statuses that count.
        statuses: Vec<Status>,
        /// Where the target count is stated.
        target: Option<(String, String)>,
    },
}

/// A rule of the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Short name, used by `--rule`.
    pub name: String,
    /// Default severity of its findings.
    pub severity: Severity,
    /// Severities by status of the node found (overriding `severity`).
    pub severity_by_status: BTreeMap<Status, Severity>,
    /// What the rule checks.
    pub description: String,
    /// How to fix a finding.
    pub fix: String,
    /// The check.
    pub check: Check,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the rule in the rule set.
    pub rule: usize,
    /// Its severity.
    pub severity: Severity,
    /// The node(s) concerned, the main one first.
    pub nodes: Vec<NodeIx>,
    /// One line saying what is wrong.
    pub message: String,
}

/// Review records (from the store's change events), for the `needs_review` check: a node with
/// an open review is reported with its cause; a node whose reviews are all closed is not; a node
/// with no review record is judged by its review date.
#[derive(Debug, Clone, Default)]
pub struct ReviewLedger {
    open: std::collections::HashMap<NodeIx, Vec<String>>,
    recorded: std::collections::HashSet<NodeIx>,
}

impl ReviewLedger {
    /// Notes a review of `node`: open (with a description of its cause) or closed (`None`).
    pub fn add(&mut self, node: NodeIx, open_cause: Option<String>) {
        self.recorded.insert(node);
        if let Some(cause) = open_cause {
            self.open.entry(node).or_default().push(cause);
        }
    }
}

/// Coverage of one `min_links` rule: how many checked nodes pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// Index of the rule.
    pub rule: usize,
    /// Kind checked.
    pub kind: NodeKind,
    /// Nodes checked.
    pub checked: usize,
    /// Nodes that pass.
    pub covered: usize,
}

/// Per field: nodes counted and how many are in the counted statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldCount {
    /// The field.
    pub field: NodeIx,
    /// Nodes of the counted kind in the field.
    pub total: usize,
    /// Of those, in the counted statuses.
    pub counted: usize,
}

/// Progress toward a target stated as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Nodes counted.
    pub count: usize,
    /// The target.
    pub target: usize,
    /// Where the target is stated (node id, attribute).
    pub stated_at: (String, String),
}

/// The result of an audit.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Findings, by rule order, then node id.
    pub findings: Vec<Finding>,
    /// Coverage per `min_links` rule.
    pub coverage: Vec<Coverage>,
    /// Per field counts (from a `field_coverage` rule).
    pub fields: Vec<FieldCount>,
    /// Progress toward a stated target, if a rule names one.
    pub target: Option<Target>,
}

/// A set of rules.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The rules, in file order.
    pub rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    severity: String,
    #[serde(default)]
    severity_by_status: BTreeMap<String, String>,
    description: String,
    fix: String,
    check: RawCheck,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    #[serde(rename = "type")]
    kind_of_check: String,
    kind: Option<String>,
    #[serde(default)]
    statuses: Vec<String>,
    #[serde(default)]
    via: Vec<String>,
    #[serde(default)]
    to: Vec<String>,
    min: Option<usize>,
    unless: Option<BTreeMap<String, String>>,
    #[serde(default)]
    relations: Vec<String>,
    #[serde(default)]
    replaced_by: Vec<String>,
    #[serde(default)]
    parts: Vec<String>,
    #[serde(default)]
    target_statuses: Vec<String>,
    relation: Option<String>,
    review_attribute: Option<String>,
    #[serde(default)]
    current: Vec<String>,
    target_node: Option<String>,
    target_attribute: Option<String>,
}

/// The check types a rules file may name.
pub const CHECK_TYPES: &[&str] = &[
    "min_links",
    "stale_reference",
    "target_status",
    "needs_review",
    "unconnected",
    "both_current",
    "field_coverage",
];

impl Rules {
    /// Parses a rules file, checking names against the graph's catalog; reports every problem.
    pub fn from_toml(file: &str, text: &str, graph: &Graph) -> Result<Rules, Diagnostics> {
        let file: Arc<str> = Arc::from(file);
        let at = |offset: usize| {
            let (line, column) = line_column(text, offset);
            Some(Location::new(file.clone(), Some(line), Some(column)))
        };
        let parsed: RulesFile = toml::from_str(text).map_err(|e| {
            let location = e.span().and_then(|s| at(s.start)).or(Some(Location::file(file.clone())));
            Diagnostics(vec![
                Diagnostic::new(location, format!("invalid rules file: {}", e.message().trim()))
                    .with_hint("a rules file holds [[rule]] tables: name, severity, description, fix and a [rule.check] table"),
            ])
        })?;
        let mut problems = Diagnostics::default();
        let mut rules = Vec::new();
        for spanned in parsed.rule {
            let location = at(spanned.span().start);
            let raw = spanned.into_inner();
            let mut bad = |message: String| {
                problems.push(Diagnostic::new(
                    location.clone(),
                    format!("rule {:?}: {message}", raw.name),
                ));
            };
            match parse_rule(&raw, graph) {
                Ok(rule) => rules.push(rule),
                Err(messages) => messages.into_iter().for_each(&mut bad),
            }
        }
        if rules
            .iter()
            .enumerate()
            .any(|(i, r)| rules[..i].iter().any(|o| o.name == r.name))
        {
            problems.push(Diagnostic::new(
                Some(Location::file(file.clone())),
                "two rules have the same name",
            ));
        }
        if problems.is_empty() {
            Ok(Rules { rules })
        } else {
            Err(problems)
        }
    }

    /// Runs every rule over the graph, in parallel.
    pub fn run(&self, graph: &Graph) -> Report {
        self.run_with(graph, &ReviewLedger::default())
    }

    /// Runs every rule, with the review records of a store for `needs_review`.
    pub fn run_with(&self, graph: &Graph, reviews: &ReviewLedger) -> Report {
        let parts: Vec<Report> = self
            .rules
            .par_iter()
            .enumerate()
            .map(|(i, rule)| run_rule(graph, i, rule, reviews))
            .collect();
        let mut report = Report::default();
        for part in parts {
            report.findings.extend(part.findings);
            report.coverage.extend(part.coverage);
            report.fields.extend(part.fields);
            report.target = report.target.or(part.target);
        }
        report
    }
}

fn parse_rule(raw: &RawRule, graph: &Graph) -> Result<Rule, Vec<String>> {
    let mut errors = Vec::new();
    let catalog = graph.catalog();
    let severity = raw
        .severity
        .parse()
        .map_err(|e| errors.push(e))
        .unwrap_or(Severity::Info);
    let mut severity_by_status = BTreeMap::new();
    for (status, severity) in &raw.severity_by_status {
        match (status.parse::<Status>(), severity.parse::<Severity>()) {
            (Ok(s), Ok(v)) => {
                severity_by_status.insert(s, v);
            }
            (Err(e), _) => errors.push(format!("severity_by_status: {e}; {}", e.hint())),
            (_, Err(e)) => errors.push(e),
        }
    }
    let c = &raw.check;
    let mut kind = |required: bool| -> Option<NodeKind> {
        match c.kind.as_deref().map(str::parse::<NodeKind>) {
            Some(Ok(k)) => Some(k),
            Some(Err(e)) => {
                errors.push(format!("{e}; {}", e.hint()));
                None
            }
            None if required => {
                errors.push(format!("the {} check needs `kind`", c.kind_of_check));
                None
            }
            None => None,
        }
    };
    let kind = kind(matches!(
        c.kind_of_check.as_str(),
        "min_links" | "target_status" | "needs_review" | "field_coverage"
    ));
    let statuses = |words: &[String], errors: &mut Vec<String>| -> Vec<Status> {
        words
            .iter()
            .filter_map(|w| {
                w.parse::<Status>()
                    .map_err(|e| errors.push(format!("{e}; {}", e.hint())))
                    .ok()
            })
            .collect()
    };
    let relation = |name: &str, errors: &mut Vec<String>| -> Option<RelationId> {
        catalog
            .lookup(name)
            .map_err(|e| {
                errors.push(format!(
                    "{e}{}",
                    e.suggestion
                        .as_ref()
                        .map(|s| format!(" (did you mean {s:?}?)"))
                        .unwrap_or_default()
                ));
            })
            .ok()
    };
    let relations = |names: &[String], errors: &mut Vec<String>| -> Vec<RelationId> {
        names.iter().filter_map(|n| relation(n, errors)).collect()
    };
    let check = match c.kind_of_check.as_str() {
        "min_links" => {
            let via = c
                .via
                .iter()
                .filter_map(|v| {
                    let (incoming, name) = match v.strip_prefix('<') {
                        Some(name) => (true, name),
                        None => (false, v.as_str()),
                    };
                    relation(name, &mut errors).map(|relation| Via { relation, incoming })
                })
                .collect::<Vec<_>>();
            if c.via.is_empty() {
                errors.push("min_links needs `via`: relation names, `<name` for incoming".into());
            }
            let mut to = KindSet::default();
            for word in &c.to {
                match word.as_str() {
                    "*" => to = KindSet::ANY,
                    w => match w.parse::<NodeKind>() {
                        Ok(k) => to.insert(k),
                        Err(e) => errors.push(format!("{e}; {}", e.hint())),
                    },
                }
            }
            if c.to.is_empty() {
                to = KindSet::ANY;
            }
            let unless = match &c.unless {
                None => None,
                Some(map) => match (map.get("attribute"), map.get("value")) {
                    (Some(a), Some(v)) if map.len() == 2 => Some((a.clone(), v.clone())),
                    _ => {
                        errors.push("`unless` is { attribute = NAME, value = VALUE }".into());
                        None
                    }
                },
            };
            Check::MinLinks {
                kind: kind.unwrap_or(NodeKind::Device),
                statuses: statuses(&c.statuses, &mut errors),
                via,
                to,
                min: c.min.unwrap_or(1),
                unless,
            }
        }
        "stale_reference" => Check::StaleReference {
            relations: relations(&c.relations, &mut errors),
            replaced_by: relations(&c.replaced_by, &mut errors),
            parts: relations(&c.parts, &mut errors),
        },
        "target_status" => Check::TargetStatus {
            kind: kind.unwrap_or(NodeKind::Guideline),
            statuses: statuses(&c.statuses, &mut errors),
            relations: relations(&c.relations, &mut errors),
            target_statuses: statuses(&c.target_statuses, &mut errors),
        },
        "needs_review" => Check::NeedsReview {
            kind: kind.unwrap_or(NodeKind::Guideline),
            statuses: statuses(&c.statuses, &mut errors),
            relation: c
                .relation
                .as_deref()
                .and_then(|r| relation(r, &mut errors))
                .unwrap_or_else(|| {
                    errors.push("needs_review needs `relation`".into());
                    RelationId(0)
                }),
            review_attribute: c
                .review_attribute
                .clone()
                .unwrap_or_else(|| "last_reviewed".into()),
        },
        "unconnected" => Check::Unconnected,
        "both_current" => Check::BothCurrent {
            relations: relations(&c.relations, &mut errors),
            current: statuses(&c.current, &mut errors),
        },
        "field_coverage" => Check::FieldCoverage {
            relation: c
                .relation
                .as_deref()
                .and_then(|r| relation(r, &mut errors))
                .unwrap_or_else(|| {
                    errors.push("field_coverage needs `relation`".into());
                    RelationId(0)
                }),
            kind: kind.unwrap_or(NodeKind::Guideline),
            statuses: statuses(&c.statuses, &mut errors),
            target: match (&c.target_node, &c.target_attribute) {
                (Some(n), Some(a)) => Some((n.clone(), a.clone())),
                (None, None) => None,
                _ => {
                    errors.push("give both target_node and target_attribute, or neither".into());
                    None
                }
            },
        },
        other => {
            errors.push(format!(
                "unknown check type {other:?}; use one of {}",
                CHECK_TYPES.join(", ")
            ));
            Check::Unconnected
        }
    };
    if errors.is_empty() {
        Ok(Rule {
            name: raw.name.clone(),
            severity,
            severity_by_status,
            description: raw.description.clone(),
            fix: raw.fix.clone(),
            check,
        })
    } else {
        Err(errors)
    }
}

fn status_in(graph: &Graph, node: NodeIx, statuses: &[Status]) -> bool {
    statuses.is_empty() || graph.node(node).status.is_some_and(|s| statuses.contains(&s))
}

/// All nodes of a kind, as a parallel iterator.
fn of_kind(graph: &Graph, kind: NodeKind) -> impl ParallelIterator<Item = NodeIx> + '_ {
    (0..graph.node_count() as u32)
        .into_par_iter()
        .map(NodeIx)
        .filter(move |n| graph.node(*n).kind == kind)
}

fn run_rule(graph: &Graph, index: usize, rule: &Rule, reviews: &ReviewLedger) -> Report {
    let finding = |nodes: Vec<NodeIx>, message: String| {
        let severity = graph
            .node(nodes[0])
            .status
            .and_then(|s| rule.severity_by_status.get(&s).copied())
            .unwrap_or(rule.severity);
        Finding {
            rule: index,
            severity,
            nodes,
            message,
        }
    };
    let relation_name = |r: RelationId| graph.catalog().get(r).name.as_str();
    let mut report = Report::default();
    match &rule.check {
        Check::MinLinks {
            kind,
            statuses,
            via,
            to,
            min,
            unless,
        } => {
            let checked: Vec<(NodeIx, usize)> = of_kind(graph, *kind)
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
            let names: Vec<String> = via
                .iter()
                .map(|v| {
                    format!(
                        "{}{}",
                        if v.incoming { "incoming " } else { "" },
                        relation_name(v.relation)
                    )
                })
                .collect();
            for (node, count) in &checked {
                if count < min {
                    report.findings.push(finding(
                        vec![*node],
                        format!(
                            "{} has {count} {} link{} to {} (needs {min})",
                            kind,
                            names.join(" or "),
                            if *count == 1 { "" } else { "s" },
                            to
                        ),
                    ));
                }
            }
            report.coverage.push(Coverage {
                rule: index,
                kind: *kind,
                checked: checked.len(),
                covered: checked.iter().filter(|(_, c)| c >= min).count(),
            });
        }
        Check::StaleReference {
            relations,
            replaced_by,
            parts,
        } => {
            // Each node's published replacement, found once: scanning a target's incoming
            // edges per citing edge would be quadratic in the in-degree of much-cited editions.
            let newer: Vec<Option<NodeIx>> = (0..graph.node_count() as u32)
                .into_par_iter()
                .map(|n| {
                    graph
                        .incoming(NodeIx(n))
                        .find(|(_, l)| {
                            replaced_by.contains(&l.relation)
                                && graph.node(l.from).status == Some(Status::Published)
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
                    let cited = if edition == link.to {
                        target.id.clone()
                    } else {
                        format!("{} (in {})", target.id, graph.node(edition).id)
                    };
                    let message = match (newer, graph.node(edition).status) {
                        (Some(newer), _) => format!(
                            "{} {} {cited}, which is superseded by the published {}",
                            graph.node(link.from).id,
                            relation_name(link.relation),
                            graph.node(newer).id
                        ),
                        (None, Some(Status::Withdrawn)) => format!(
                            "{} {} {cited}, which is withdrawn",
                            graph.node(link.from).id,
                            relation_name(link.relation),
                        ),
                        _ => return None,
                    };
                    let mut nodes = vec![link.from, link.to];
                    if edition != link.to {
                        nodes.push(edition);
                    }
                    nodes.extend(newer);
                    Some(finding(nodes, message))
                })
                .collect();
        }
        Check::TargetStatus {
            kind,
            statuses,
            relations,
            target_statuses,
        } => {
            report.findings = of_kind(graph, *kind)
                .filter(|n| status_in(graph, *n, statuses))
                .flat_map_iter(|n| {
                    graph
                        .outgoing(n)
                        .filter(|(_, l)| relations.contains(&l.relation))
                        .filter_map(|(_, l)| {
                            let status = graph.node(l.to).status?;
                            target_statuses.contains(&status).then(|| {
                                finding(
                                    vec![n, l.to],
                                    format!(
                                        "the {} {} {} {}, which is only {}",
                                        graph.node(n).status.map_or("", |s| s.as_str()),
                                        kind,
                                        relation_name(l.relation),
                                        graph.node(l.to).id,
                                        status
                                    ),
                                )
                            })
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
        }
        Check::NeedsReview {
            kind,
            statuses,
            relation,
            review_attribute,
        } => {
            report.findings = of_kind(graph, *kind)
                .filter(|n| status_in(graph, *n, statuses))
                .flat_map_iter(|n| {
                    let node = graph.node(n);
                    // Recorded reviews decide for the nodes they concern: open ones are findings,
                    // closed ones are done. Other nodes fall back to the review date.
                    if let Some(open) = reviews.open.get(&n) {
                        return open
                            .iter()
                            .map(|cause| finding(vec![n], format!("{} has an open review: {cause}", node.id)))
                            .collect();
                    }
                    if reviews.recorded.contains(&n) {
                        return Vec::new();
                    }
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
                                let since = match reviewed {
                                    Some(r) => format!("last reviewed {r}"),
                                    None => format!("no review date (`{review_attribute}` or `published`)"),
                                };
                                finding(
                                    vec![n, l.to],
                                    format!("{} changed on {changed}; {} has {since}", law.id, node.id),
                                )
                            })
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
        }
        Check::Unconnected => {
            report.findings = (0..graph.node_count() as u32)
                .into_par_iter()
                .map(NodeIx)
                .filter(|n| graph.outgoing(*n).next().is_none() && graph.incoming(*n).next().is_none())
                .map(|n| {
                    finding(
                        vec![n],
                        format!(
                            "{} {} has no relation at all",
                            graph.node(n).kind,
                            graph.node(n).id
                        ),
                    )
                })
                .collect();
        }
        Check::BothCurrent { relations, current } => {
            report.findings = (0..graph.edge_count() as u32)
                .into_par_iter()
                .filter_map(|e| {
                    let link = graph.link(crate::graph::EdgeIx(e));
                    let live = |n: NodeIx| graph.node(n).status.is_some_and(|s| current.contains(&s));
                    (relations.contains(&link.relation) && live(link.from) && live(link.to)).then(|| {
                        finding(
                            vec![link.to, link.from],
                            format!(
                                "{} {} {}, but both are current",
                                graph.node(link.from).id,
                                relation_name(link.relation),
                                graph.node(link.to).id
                            ),
                        )
                    })
                })
                .collect();
        }
        Check::FieldCoverage {
            relation,
            kind,
            statuses,
            target,
        } => {
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
            let wanted: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
            for f in fields.iter().filter(|f| f.counted == 0) {
                report.findings.push(finding(
                    vec![f.field],
                    format!(
                        "field {} has no {} {kind} ({} {kind}{} in all)",
                        graph.node(f.field).id,
                        wanted.join(" or "),
                        f.total,
                        if f.total == 1 { "" } else { "s" }
                    ),
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
        }
    }
    report.findings.sort_by(|a, b| {
        graph
            .node(a.nodes[0])
            .id
            .cmp(&graph.node(b.nodes[0]).id)
            .then_with(|| a.message.cmp(&b.message))
    });
    report
}
