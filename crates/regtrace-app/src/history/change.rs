//! Recording a change: the events, and the reviews each opens (a new edition's on what it supersedes).

use regtrace_core::{GraphView, NodeIx, NodeKind};
use regtrace_store::{ChangeEvent, NewEvent, NewReview, StoreError};

use super::{Plan, RETRIES, plan, review_kinds};
use crate::dataset::Context;
use crate::error::{AppError, Result};
use crate::parse::resolve;

/// A change to record.
#[derive(Debug, Clone)]
pub struct ChangeRequest {
    /// The node that changed.
    pub id: String,
    /// What happened, in words.
    pub what: String,
    /// When it took effect.
    pub date: chrono::NaiveDate,
    /// A free note.
    pub note: Option<String>,
    /// Who records it.
    pub by: Option<String>,
    /// Open reviews for nodes of these kinds.
    pub kinds: Vec<NodeKind>,
}

/// One change event recorded, with what it opened and left out.
#[derive(Debug, Clone)]
pub struct RecordedOn {
    /// The event.
    pub event: ChangeEvent,
    /// The reviews it opened, and what it left out.
    pub plan: Plan,
}

/// What `record_change` did.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The node named in the request.
    pub asked: String,
    /// The events recorded: one on the node asked, or, for a new edition, one on each edition
    /// it supersedes.
    pub changes: Vec<RecordedOn>,
    /// The node asked is a new edition, and the change was recorded on what it supersedes.
    pub new_edition: bool,
    /// When no review was opened: why, and what to try.
    pub why_none: Option<String>,
}

/// Records a change and opens a review for every node of the asked kinds its impact reaches as
/// of the change's date (see [`plan`]).
///
/// A new edition is a change to the editions it supersedes: when nothing of the asked kinds rests
/// on the node named yet, and it `supersedes` editions that things do rest on, the change
/// ("new edition … published") is recorded on each of those, with the crosswalk's verdicts. A
/// change that opens no review says why.
///
/// Computed from the data as read and written only if that is still the data: when another
/// process imported in between, it reads again (a few times). All events are written in one
/// transaction.
pub fn record_change(context: &Context, request: &ChangeRequest) -> Result<Recorded> {
    let mut attempts = 0;
    loop {
        let mut data = context.open_history()?;
        // From the snapshot when it is current: planning a change to a million-node graph reads
        // only what the change reaches, instead of loading every record first.
        let (planned, version) = match data.compact() {
            Some(compact) => {
                let kinds = compact.review_kinds().map_err(|bad| {
                    AppError::request(
                        bad.to_string(),
                        Some("`regtrace verify --repair` rewrites it".into()),
                    )
                })?;
                (planned(&compact, &kinds, request)?, data.snapshot_version())
            }
            None => {
                let graph = data.graph()?;
                let planned = planned(graph, graph.catalog().review_kinds(), request)?;
                (planned, data.version()?.map(str::to_owned))
            }
        };
        crate::progress::phase(|| {
            let reviews: usize = planned.changes.iter().map(|(_, r)| r.len()).sum();
            format!("recording the change and {reviews} reviews")
        });
        match data
            .store_mut()?
            .record_changes(&planned.changes, version.as_deref())
        {
            Err(StoreError::DataChanged(_)) if attempts < RETRIES => attempts += 1,
            recorded => {
                return Ok(Recorded {
                    asked: planned.asked,
                    changes: recorded?
                        .into_iter()
                        .zip(planned.targets)
                        .map(|(event, (_, plan))| RecordedOn { event, plan })
                        .collect(),
                    new_edition: planned.new_edition,
                    why_none: planned.why_none,
                });
            }
        }
    }
}

/// What a change will write, computed from the data as read.
struct Planned {
    asked: String,
    changes: Vec<(NewEvent, Vec<NewReview>)>,
    targets: Vec<(NodeIx, Plan)>,
    new_edition: bool,
    why_none: Option<String>,
}

/// Plans `request` on any view of the data: the events and the reviews each opens (a new
/// edition's on what it supersedes, when nothing rests on it directly), or why none.
fn planned<G: GraphView>(graph: &G, catalog_kinds: &[NodeKind], request: &ChangeRequest) -> Result<Planned> {
    let asked = resolve(graph, &request.id)?;
    crate::progress::phase(|| format!("finding what rests on {}", request.id));
    let day = Some(request.date);
    let kinds = review_kinds(catalog_kinds, &request.kinds);
    let own = plan(graph, asked, day, &kinds);
    let superseded = superseded_by(graph, asked);
    let older: Vec<(NodeIx, Plan)> = if own.reviews.is_empty() {
        superseded
            .iter()
            .map(|&old| (old, plan(graph, old, day, &kinds)))
            .collect()
    } else {
        Vec::new()
    };
    let new_edition = older.iter().any(|(_, p)| !p.reviews.is_empty());
    let targets = if new_edition { older } else { vec![(asked, own)] };
    let asked_id = graph.id(asked).to_owned();
    let changes: Vec<(NewEvent, Vec<NewReview>)> = targets
        .iter()
        .map(|(node, plan)| {
            let event = NewEvent {
                node: graph.id(*node).to_owned(),
                what: if new_edition {
                    format!("{} (new edition {asked_id} supersedes it)", request.what)
                } else {
                    request.what.clone()
                },
                date: request.date.to_string(),
                note: request.note.clone(),
                by: request.by.clone(),
            };
            (event, plan.reviews.clone())
        })
        .collect();
    let why_none = targets
        .iter()
        .all(|(_, p)| p.reviews.is_empty())
        .then(|| why_no_review(graph, asked, &superseded, request, &kinds, &targets[0].1));
    Ok(Planned {
        asked: asked_id,
        changes,
        targets,
        new_edition,
        why_none,
    })
}

/// The editions `node` supersedes (none unless it is a standard edition).
fn superseded_by<G: GraphView>(graph: &G, node: NodeIx) -> Vec<NodeIx> {
    if graph.kind(node) != NodeKind::Standard {
        return Vec::new();
    }
    let Some(supersedes) = graph.relation_named(regtrace_core::editions::SUPERSEDES) else {
        return Vec::new();
    };
    graph
        .out_links(node)
        .filter(|(_, ends)| ends.relation == supersedes)
        .map(|(_, ends)| ends.to)
        .collect()
}

/// Why a change to `asked` opened no review, and what to try.
fn why_no_review<G: GraphView>(
    graph: &G,
    asked: NodeIx,
    superseded: &[NodeIx],
    request: &ChangeRequest,
    kinds: &[NodeKind],
    plan: &Plan,
) -> String {
    let id = graph.id(asked);
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let mut why = if !plan.other_kinds.is_empty() {
        let others: Vec<String> = plan
            .other_kinds
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        format!(
            "what rests on {id} is of other kinds than those reviewed ({}): {}; add --kind KIND to review them",
            kinds.join(", "),
            others.join(", ")
        )
    } else if !plan.skipped.is_empty() {
        format!(
            "everything that rests on {id} was no longer in force on {}",
            request.date
        )
    } else {
        format!("nothing rests on {id} (no relation that carries a change leads from it)")
    };
    if let Some(out) = regtrace_core::query::out_of_force(graph, asked, request.date) {
        why.push_str(&format!(
            "; {id} itself is {} on {}",
            out.describe(graph),
            request.date
        ));
    }
    if !superseded.is_empty() {
        let older: Vec<&str> = superseded.iter().map(|n| graph.id(*n)).collect();
        why.push_str(&format!(
            "; it supersedes {}, on which nothing of those kinds rests either",
            older.join(", ")
        ));
    } else if let Some(newer) = graph
        .in_links(asked)
        .find(|(_, ends)| graph.relation_name(ends.relation) == regtrace_core::editions::SUPERSEDES)
        .map(|(_, ends)| ends.from)
    {
        why.push_str(&format!(
            "; {} supersedes it: record a change to {id} itself (e.g. its withdrawal) only if that is what happened",
            graph.id(newer)
        ));
    }
    why
}
