//! The coverage audit: rules held as data, each a typed check from a small closed set, run in
//! parallel over the whole graph.
//!
//! A rules file (`data/audit.toml`) holds `[[rule]]` tables: a name, a severity, a description,
//! how to fix a finding, optional per-status severities, and one `[rule.check]` whose `type` is
//! one of the checks below. Every finding names its rule, severity, node(s), a one-line
//! explanation and the fix.
//!
//! `rules.rs` reads a rules file into [`Rules`] (checked against the catalog, every problem
//! reported); `checks.rs` runs each [`Check`], one function per check.

mod checks;
mod rules;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rayon::prelude::*;

use crate::catalog::{KindSet, RelationId};
use crate::graph::{Graph, NodeIx};
use crate::model::{NodeKind, Status};

pub use rules::{CHECK_TYPES, ReportTable};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize, serde::Serialize)]
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
    /// Nodes carrying the attribute `attribute` (equal to `value`, if given): what the data
    /// marks about itself, such as a fact inferred rather than stated (`confidence =
    /// "inferred"`) or a known gap. The finding says the text of `explained_by` (another
    /// attribute, e.g. `confidence_reason`), else the attribute's own value.
    Marked {
        /// The marking attribute.
        attribute: String,
        /// The value that marks (any value if none).
        value: Option<String>,
        /// The attribute that explains the mark.
        explained_by: Option<String>,
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
    /// The same in Japanese, if the rules file gives it.
    pub description_ja: Option<String>,
    /// How to fix a finding.
    pub fix: String,
    /// The same in Japanese, if the rules file gives it.
    pub fix_ja: Option<String>,
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
    /// What is wrong, as facts; the render crate puts it into words in either language.
    pub says: Says,
}

/// What a finding says, as the facts its sentence is made of (ids, relation names, kinds,
/// statuses, dates, counts); `regtrace_render::words::finding` words it in English or Japanese.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Says {
    /// `min_links`: "guideline gl-x has 0 cites links to standard, clause (needs 1)".
    TooFewLinks {
        /// The kind checked.
        kind: NodeKind,
        /// How many links counted.
        count: usize,
        /// The relations that count, each with whether it is followed into the node.
        via: Vec<(bool, String)>,
        /// The kinds at the other end.
        to: KindSet,
        /// How many are needed.
        min: usize,
    },
    /// `stale_reference`: "a cites b, which is superseded by the published c" (or withdrawn).
    StaleReference {
        /// The citing node.
        from: String,
        /// The relation.
        relation: String,
        /// The node cited.
        cited: String,
        /// The edition the cited clause belongs to, when the cited node is a part.
        within: Option<String>,
        /// The published node that replaces it; `None`: it is withdrawn.
        superseded_by: Option<String>,
    },
    /// `stale_reference`, accepted on purpose: "a cites b (in e), superseded by the published
    /// c: accepted by WHO on DAY (review #N): WHY".
    AcceptedReference {
        /// The citing node.
        from: String,
        /// The relation.
        relation: String,
        /// The node cited.
        cited: String,
        /// The edition the cited clause belongs to, when the cited node is a part.
        within: Option<String>,
        /// Who accepted it, when, why.
        acceptance: Acceptance,
    },
    /// `target_status`: "the published guideline cites x, which is only draft".
    TargetStatus {
        /// The citing node's status.
        status: Option<Status>,
        /// Its kind.
        kind: NodeKind,
        /// The relation.
        relation: String,
        /// The node cited.
        target: String,
        /// The cited node's status.
        target_status: Status,
    },
    /// `needs_review`: "guideline gl-x has an open review: CAUSE".
    OpenReview {
        /// The node's kind.
        kind: NodeKind,
        /// The node.
        id: String,
        /// The change that opened it, as the ledger words it.
        cause: String,
    },
    /// `needs_review`: "LAW changed on DATE; NODE has last reviewed DATE" (or no review date).
    ChangedSinceReview {
        /// The regulation.
        law: String,
        /// When it changed.
        changed: crate::model::Date,
        /// The node.
        node: String,
        /// When the node was last reviewed, if known.
        reviewed: Option<crate::model::Date>,
        /// The attribute that holds a review date.
        attribute: String,
    },
    /// `unconnected`: "standard x has no relation at all".
    Unconnected {
        /// The node's kind.
        kind: NodeKind,
        /// The node.
        id: String,
    },
    /// `marked`: "guideline gl-x: WHY" (the data's own words).
    Marked {
        /// The node's kind.
        kind: NodeKind,
        /// The node.
        id: String,
        /// What the data says about it.
        why: String,
    },
    /// `both_current`: "a revises b, but both are current".
    BothCurrent {
        /// The newer node.
        from: String,
        /// The relation.
        relation: String,
        /// The older node.
        to: String,
    },
    /// `field_coverage`: "field f has no published guideline (3 guidelines in all)".
    EmptyField {
        /// The field.
        field: String,
        /// The statuses counted.
        statuses: Vec<Status>,
        /// The kind counted.
        kind: NodeKind,
        /// How many of the kind are in the field, in any status.
        total: usize,
    },
}

/// Review records (from the store's change events), for the `needs_review` check: a node with
/// an open review is reported with its cause; a node whose reviews are all closed is not; a node
/// with no review record is judged by its review date.
#[derive(Debug, Clone, Default)]
pub struct ReviewLedger {
    open: std::collections::HashMap<NodeIx, Vec<String>>,
    recorded: std::collections::HashSet<NodeIx>,
    /// References accepted on purpose by a decision in force: (node, the node it keeps resting
    /// on) → who, when, why.
    accepted: std::collections::HashMap<(NodeIx, NodeIx), Acceptance>,
}

/// A reference accepted on purpose by a review's decision.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Acceptance {
    /// The review.
    pub review: i64,
    /// Who decided.
    pub by: String,
    /// The day decided.
    pub on: String,
    /// Why.
    pub because: String,
}

impl ReviewLedger {
    /// Notes that `node` keeps resting on `kept` on purpose (a decision's `--keeps`): the audit's
    /// `stale_reference` reports the pair as accepted instead of as a finding of its severity.
    pub fn accept(&mut self, node: NodeIx, kept: NodeIx, acceptance: Acceptance) {
        self.accepted.insert((node, kept), acceptance);
    }

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

impl Rules {
    /// Adds `more` rules: one with the name of a rule already here replaces it in place, the
    /// others come after, in their order. (A data set's own rules over the generic ones.)
    pub fn extend(&mut self, more: Rules) {
        for rule in more.rules {
            match self.rules.iter_mut().find(|r| r.name == rule.name) {
                Some(same) => *same = rule,
                None => self.rules.push(rule),
            }
        }
    }

    /// Runs every rule over the graph, in parallel.
    pub fn run(&self, graph: &Graph) -> Report {
        self.run_with(graph, &ReviewLedger::default())
    }

    /// Runs every rule, with the review records of a store for `needs_review`.
    pub fn run_with(&self, graph: &Graph, reviews: &ReviewLedger) -> Report {
        self.run_within(graph, reviews, None)
    }

    /// [`Rules::run_with`] over part of the graph: with `scope` (a flag per node), only the
    /// nodes flagged are checked and counted, and a finding is kept when its main node is one
    /// of them. Field coverage and a programme's target are not a part's: a scoped report
    /// leaves them out.
    pub fn run_within(&self, graph: &Graph, reviews: &ReviewLedger, scope: Option<&[bool]>) -> Report {
        let parts: Vec<Report> = self
            .rules
            .par_iter()
            .enumerate()
            .map(|(i, rule)| checks::run_rule(graph, i, rule, reviews, scope))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, Node};

    /// A scoped run checks and counts only the nodes within, keeps a finding only when its main
    /// node is within, and leaves the programme's field coverage out.
    #[test]
    fn a_run_within_a_scope_checks_and_counts_only_what_is_within() {
        let nodes = vec![
            Node::new("f", NodeKind::Field, "F"),
            Node::new("g1", NodeKind::Guideline, "G1"),
            Node::new("g2", NodeKind::Guideline, "G2"),
            Node::new("s1", NodeKind::Standard, "S1"),
        ];
        let edges = vec![Edge::new("g1", "cites", "s1"), Edge::new("g1", "belongs_to", "f")];
        let graph = Graph::build(crate::testing::catalog(), nodes, edges).unwrap();
        let rules = Rules::from_toml(
            "rules.toml",
            r#"
            [[rule]]
            name = "cites"
            severity = "warning"
            description = "Every guideline cites a standard."
            fix = "Cite one."
            [rule.check]
            type = "min_links"
            kind = "guideline"
            via = ["cites"]
            to = ["standard"]
            min = 1
            [[rule]]
            name = "fields"
            severity = "info"
            description = "Every field has a guideline."
            fix = "Write one."
            [rule.check]
            type = "field_coverage"
            relation = "belongs_to"
            kind = "guideline"
            "#,
            &graph,
        )
        .unwrap();
        let whole = rules.run(&graph);
        assert_eq!((whole.coverage[0].checked, whole.coverage[0].covered), (2, 1));
        assert_eq!(whole.findings.len(), 1, "g2 cites nothing");
        assert_eq!(whole.fields.len(), 1);
        // Within g1 and what it rests on: g2 is neither checked nor reported.
        let mut within = vec![false; graph.node_count()];
        for id in ["g1", "s1", "f"] {
            within[graph.find(id).unwrap().index()] = true;
        }
        let scoped = rules.run_within(&graph, &ReviewLedger::default(), Some(&within));
        assert_eq!((scoped.coverage[0].checked, scoped.coverage[0].covered), (1, 1));
        assert!(scoped.findings.is_empty(), "{:?}", scoped.findings);
        assert!(scoped.fields.is_empty(), "field coverage is the programme's");
    }
}
