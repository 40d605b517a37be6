//! The kept history: imports (which may record content changes), change events and the reviews
//! they open, and the decisions that close and correct reviews. All of it needs a database.
//!
//! `import.rs`: imports (replace or merge, recording content changes); `change.rs`: recording a
//! change and the reviews it opens; `review.rs`: events and reviews listed, decisions taken and
//! corrected, a review's chain and the audit's ledger. Here: what they share, the plan of the
//! reviews a change opens.

mod change;
mod import;
mod review;

pub use change::{ChangeRequest, Recorded, RecordedOn, record_change};
pub use import::{ImportMode, ImportOptions, Imported, Recording, Replaced, import};
pub use review::{
    Corrected, DecisionRequest, ReviewFilter, Reviews, close, correct, events, history_files, ledger,
    review_chain, reviews,
};

use std::collections::BTreeMap;

use regtrace_core::{Direction, Graph, GraphView, NodeIx, NodeKind, ReachOptions};
use regtrace_store::NewReview;

/// How many times a write computed from data that another import replaced meanwhile is
/// computed again before giving up.
const RETRIES: usize = 5;

/// The kinds a request names, or (none named) the kinds the catalog says changes are reviewed
/// for (`[review] kinds`, by default every kind an organisation keeps a record for).
fn review_kinds(catalog_kinds: &[NodeKind], asked: &[NodeKind]) -> Vec<NodeKind> {
    if asked.is_empty() {
        catalog_kinds.to_vec()
    } else {
        asked.to_vec()
    }
}

/// A node that a change's impact met but opened no review for, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Why, in words (e.g. `no longer in force: withdrawn 2019-04-01`).
    pub reason: String,
}

/// The reviews a change to one node opens, and what its impact met without opening one.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// One review per node of the asked kinds that rests on the change.
    pub reviews: Vec<NewReview>,
    /// Nodes not entered because they were no longer in force on the change's date (what rests
    /// only on them is not reached either).
    pub skipped: Vec<LeftOut>,
    /// Nodes reached that are of other kinds than those asked, counted by kind.
    pub other_kinds: BTreeMap<&'static str, usize>,
}

/// The reviews a change to `changed` opens: one per node of `kinds` its impact reaches, each with
/// its reason chain (one that carries the change, see [`regtrace_core::editions::verdicts`])
/// and, where it applies, why it is probably unaffected. With a `day`, nodes no longer in force
/// then are skipped (and listed); nodes that come into force later are reviewed: one published
/// after the change that still rests on what changed is a stale reference.
pub fn plan<G: GraphView>(
    graph: &G,
    changed: NodeIx,
    day: Option<chrono::NaiveDate>,
    kinds: &[NodeKind],
) -> Plan {
    let options = ReachOptions {
        max_depth: None,
        as_of: day,
        later_too: true,
    };
    let mut reach = regtrace_core::query::reach(graph, &[changed], Direction::Impact, &options);
    let verdicts = regtrace_core::editions::verdicts(graph, &mut reach, &options);
    let mut plan = Plan::default();
    for hit in &reach.hits {
        let kind = graph.kind(hit.node);
        if !kinds.contains(&kind) {
            *plan.other_kinds.entry(kind.as_str()).or_default() += 1;
            continue;
        }
        let (path, edges) = reach.path(graph, hit.node);
        plan.reviews.push(NewReview {
            node: graph.id(hit.node).to_owned(),
            distance: hit.distance,
            path: path.iter().map(|n| graph.id(*n).to_owned()).collect(),
            relations: edges
                .iter()
                .map(|e| graph.relation_name(graph.ends(*e).relation).to_owned())
                .collect(),
            probably_unaffected: verdicts.unaffected(hit.node).map(|u| u.reason(graph)),
        });
    }
    plan.skipped = reach
        .skipped
        .iter()
        .map(|s| LeftOut {
            id: graph.id(s.node).to_owned(),
            kind: graph.kind(s.node),
            reason: s.why.describe(graph),
        })
        .collect();
    plan
}

/// The reviews of [`plan`] alone.
pub fn reviews_for(
    graph: &Graph,
    changed: NodeIx,
    day: Option<chrono::NaiveDate>,
    kinds: &[NodeKind],
) -> Vec<NewReview> {
    plan(graph, changed, day, kinds).reviews
}
