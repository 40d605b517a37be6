//! Events and reviews listed, decisions taken and corrected, a review's chain, the audit's ledger.

use regtrace_core::audit::ReviewLedger;
use regtrace_core::{Graph, GraphView, NodeKind};
use regtrace_store::{ChangeEvent, NewDecision, Outcome, Review, StoreError};

use super::RETRIES;
use crate::dataset::{Context, DataSet};
use crate::error::{AppError, Result};
use crate::parse::resolve;

/// The database's kept history as files, one per change event (see
/// [`regtrace_source::history_dir`]): (file name, text).
pub fn history_files(data: &DataSet) -> Result<Vec<(String, String)>> {
    Ok(regtrace_source::history_dir::files(&data.store()?.history()?))
}

/// Every recorded change event, oldest first.
pub fn events(data: &DataSet) -> Result<Vec<ChangeEvent>> {
    Ok(data.store()?.events()?)
}

/// Which reviews to list.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    /// Only open (`Some(true)`) or only closed (`Some(false)`) ones.
    pub open: Option<bool>,
    /// Only those opened by this change event.
    pub cause: Option<i64>,
    /// Only full reviews (`Some(false)`) or only probably-unaffected ones (`Some(true)`).
    pub probably_unaffected: Option<bool>,
    /// Only those of this node.
    pub node: Option<String>,
    /// Only those of nodes of these kinds (empty: any; a node that has left the data has none).
    pub kinds: Vec<NodeKind>,
}

impl ReviewFilter {
    fn keeps<G: GraphView>(&self, graph: &G, r: &Review) -> bool {
        self.open.is_none_or(|open| open == r.decision.is_none())
            && self.cause.is_none_or(|c| r.event == c)
            && self
                .probably_unaffected
                .is_none_or(|light| light == r.probably_unaffected.is_some())
            && self.node.as_deref().is_none_or(|id| r.node == id)
            && of_kinds(graph, &r.node, &self.kinds)
    }
}

/// Whether node `id` is of one of `kinds` (any node when `kinds` is empty; a node that has left
/// the data is of none).
fn of_kinds<G: GraphView>(graph: &G, id: &str, kinds: &[NodeKind]) -> bool {
    kinds.is_empty() || graph.find(id).is_some_and(|n| kinds.contains(&graph.kind(n)))
}

/// Reviews, each with its node as the current data has it and its reason chain.
#[derive(Debug, Clone)]
pub struct Reviews {
    /// The reviews kept by the filter, oldest first.
    pub reviews: Vec<Review>,
    /// Each review's node (by position), `None` when it has left the data (orphaned).
    pub nodes: Vec<Option<crate::nodes::Titled>>,
    /// Each review's reason chain (by position), in the reason-chain notation.
    pub chains: Vec<regtrace_core::Chain>,
    /// The day each review's change took effect (by position; the event's date), so a review
    /// opened later is shown as recorded after the fact.
    pub changed: Vec<String>,
}

impl Reviews {
    /// The day review `i` was opened and, when that was after its change took effect, the day
    /// the change took effect: (opened, Some(changed)) for a record entered after the fact.
    pub fn opened(&self, i: usize) -> (&str, Option<&str>) {
        let opened = self.reviews[i]
            .opened_at
            .get(..10)
            .unwrap_or(&self.reviews[i].opened_at);
        let changed = self.changed[i].as_str();
        (opened, (changed < opened).then_some(changed))
    }
}

/// The reviews the filter keeps: their nodes' kinds and titles read from the snapshot when it
/// is current, else from the graph.
pub fn reviews(data: &DataSet, filter: &ReviewFilter) -> Result<Reviews> {
    match data.compact() {
        Some(view) => reviews_listed(data, &view, filter),
        None => reviews_listed(data, data.graph()?, filter),
    }
}

fn reviews_listed<G: GraphView>(data: &DataSet, graph: &G, filter: &ReviewFilter) -> Result<Reviews> {
    let reviews: Vec<Review> = data
        .store()?
        .reviews()?
        .into_iter()
        .filter(|r| filter.keeps(graph, r))
        .collect();
    let nodes = reviews
        .iter()
        .map(|r| graph.find(&r.node).map(|n| crate::nodes::Titled::of(graph, n)))
        .collect();
    let chains = reviews.iter().map(|r| review_chain(graph, r)).collect();
    let events: std::collections::HashMap<i64, String> = data
        .store()?
        .events()?
        .into_iter()
        .map(|e| (e.id, e.date))
        .collect();
    let changed = reviews
        .iter()
        .map(|r| events.get(&r.event).cloned().unwrap_or_default())
        .collect();
    Ok(Reviews {
        reviews,
        nodes,
        chains,
        changed,
    })
}

/// A decision on reviews: of a node, or (closing) of every open review a selection names.
#[derive(Debug, Clone)]
pub struct DecisionRequest {
    /// The reviewed node; `None` to close every open review the filters below select (which
    /// must include `event`).
    pub id: Option<String>,
    /// The review numbered so (as `review list` shows it), instead of or beside a node.
    pub review: Option<i64>,
    /// Closing a node's reviews: all of them, even when they come from several changes (else
    /// that is refused, so one note does not close reviews of unrelated changes).
    pub all: bool,
    /// Only the reviews opened by this change event.
    pub event: Option<i64>,
    /// Only probably-unaffected reviews (`Some(true)`) or only full ones (`Some(false)`).
    pub probably_unaffected: Option<bool>,
    /// Only reviews of nodes of these kinds (empty: any).
    pub kinds: Vec<NodeKind>,
    /// What the review found.
    pub outcome: Outcome,
    /// The day it was decided (default: the day it is recorded).
    pub on: Option<chrono::NaiveDate>,
    /// Who decides.
    pub by: String,
    /// With `revised`: the node that replaces the reviewed one.
    pub replaced_by: Option<String>,
    /// A free note (required to correct).
    pub note: Option<String>,
    /// A reference accepted on purpose: the (older) node the reviewed node keeps resting on,
    /// which must be on the review's reason chain; the audit then reports the stale reference
    /// as accepted, until a later change to either end.
    pub keeps: Option<String>,
    /// Why the reference is accepted (required with `keeps`).
    pub because: Option<String>,
}

impl DecisionRequest {
    /// The reviews this decision is about: of its node if it names one, of its event if it
    /// names one, with its verdict and of its kinds if it names them.
    fn reviews(&self, data: &DataSet) -> Result<Vec<Review>> {
        // The kinds of the reviewed nodes, from the snapshot read in place when it is current:
        // loading the whole graph to close an event's reviews cost half a gigabyte at a
        // million nodes. Without a current snapshot the rows are loaded (and so validated
        // again), as for every command.
        match data.compact() {
            Some(view) => self.reviews_in(data, &view),
            None => self.reviews_in(data, data.graph()?),
        }
    }

    /// [`DecisionRequest::reviews`], the reviewed nodes' kinds read from `view`.
    fn reviews_in<G: GraphView>(&self, data: &DataSet, view: &G) -> Result<Vec<Review>> {
        Ok(data
            .store()?
            .reviews()?
            .into_iter()
            .filter(|r| {
                self.id.as_deref().is_none_or(|id| r.node == id)
                    && self.review.is_none_or(|n| r.id == n)
                    && self.event.is_none_or(|e| r.event == e)
                    && self
                        .probably_unaffected
                        .is_none_or(|light| light == r.probably_unaffected.is_some())
                    && of_kinds(view, &r.node, &self.kinds)
            })
            .collect())
    }

    /// What the decision is about, in words: `gl-x`, `review #3`, or `event #3`.
    pub fn subject(&self) -> String {
        match (&self.id, self.review, self.event) {
            (Some(id), _, _) => id.clone(),
            (None, Some(review), _) => format!("review #{review}"),
            (None, None, Some(event)) => format!("event #{event}"),
            (None, None, None) => "every review".into(),
        }
    }

    /// Refuses `--keeps` of a node that is not on a decided review's reason chain: a reference
    /// is accepted only where the review shows the reviewed node resting on it.
    fn kept_on_the_chains(&self, reviews: &[&Review]) -> Result<()> {
        let Some(kept) = &self.keeps else {
            return Ok(());
        };
        match reviews.iter().find(|r| !r.path.contains(kept)) {
            Some(r) => Err(AppError::request(
                format!(
                    "review #{} of {} does not rest on {kept} (its chain: {})",
                    r.id,
                    r.node,
                    r.path.join(" > ")
                ),
                Some(
                    "--keeps names the node on a review's chain the reviewed node keeps resting on (usually the changed edition)"
                        .into(),
                ),
            )),
            None => Ok(()),
        }
    }

    /// Refuses a decision dated before a change it decides on took effect: a review decides on
    /// a change that has happened. (A decision without a date is dated the day it is recorded.)
    fn dated_after_the_changes(&self, data: &DataSet, reviews: &[&Review]) -> Result<()> {
        let Some(on) = self.on else {
            return Ok(());
        };
        let events = data.store()?.events()?;
        for review in reviews {
            let Some(event) = events.iter().find(|e| e.id == review.event) else {
                continue;
            };
            if crate::parse::date("the change's date", &event.date).is_ok_and(|took_effect| on < took_effect)
            {
                return Err(AppError::request(
                    format!(
                        "--date {on} is before change #{} ({}: {}) took effect on {}",
                        event.id, event.node, event.what, event.date
                    ),
                    Some(format!(
                        "a review decides on a change that has taken effect: give the day the decision was taken, on or after {}",
                        event.date
                    )),
                ));
            }
        }
        Ok(())
    }
}

/// The decision, checked against the data.
fn new_decision(data: &DataSet, request: &DecisionRequest) -> Result<NewDecision> {
    if let Some(new) = &request.replaced_by {
        // Looked up in the snapshot when it is current, not in the whole graph loaded.
        match data.compact() {
            Some(view) => resolve(&view, new)?,
            None => resolve(data.graph()?, new)?,
        };
        if request.outcome != Outcome::Revised {
            return Err(AppError::request(
                "--replaced-by goes with --outcome revised",
                Some("a review that found nothing to change has no replacement".into()),
            ));
        }
    }
    if let Some(day) = request.on
        && day > crate::parse::today()
    {
        return Err(AppError::request(
            format!("--date {day} is in the future"),
            Some("give the day the decision was taken (YYYY-MM-DD)".into()),
        ));
    }
    let keeps = match (&request.keeps, &request.because) {
        (Some(kept), Some(because)) if !because.trim().is_empty() => {
            match data.compact() {
                Some(view) => resolve(&view, kept)?,
                None => resolve(data.graph()?, kept)?,
            };
            Some((kept.clone(), because.clone()))
        }
        (Some(kept), _) => {
            return Err(AppError::request(
                format!("--keeps {kept} needs --because: say why the reference is accepted"),
                Some("e.g. --because \"the particular standard is written against this edition; the notified body accepts it until it is revised\"".into()),
            ));
        }
        (None, Some(_)) => {
            return Err(AppError::request(
                "--because goes with --keeps",
                Some("name the node the reviewed one keeps resting on with --keeps ID, or put the words in --note".into()),
            ));
        }
        (None, None) => None,
    };
    Ok(NewDecision {
        keeps,
        outcome: request.outcome,
        on: request.on.map(|d| d.to_string()),
        replaced_by: request.replaced_by.clone(),
        by: request.by.clone(),
        note: request.note.clone(),
    })
}

/// Closes the open reviews the request selects (of a node, of an event, …); returns their
/// numbers. Closing without naming a node needs an event, so no slip closes every review.
pub fn close(context: &Context, request: &DecisionRequest) -> Result<Vec<i64>> {
    if request.id.is_none() && request.event.is_none() && request.review.is_none() {
        return Err(AppError::request(
            "name the node whose reviews to close, the review (--review N), or the change event (--event N) whose open reviews to close",
            Some("`regtrace review list --open` lists the open reviews with their numbers and events".into()),
        ));
    }
    let mut data = context.open_history()?;
    let decision = new_decision(&data, request)?;
    let mut mine = request.reviews(&data)?;
    let open: Vec<&Review> = mine.iter().filter(|r| r.decision.is_none()).collect();
    if let (Some(id), None, None, false) = (&request.id, request.event, request.review, request.all) {
        let mut events: Vec<i64> = open.iter().map(|r| r.event).collect();
        events.sort_unstable();
        events.dedup();
        if events.len() > 1 {
            let listed: Vec<String> = open
                .iter()
                .map(|r| format!("#{} (change #{})", r.id, r.event))
                .collect();
            return Err(AppError::request(
                format!(
                    "{id} has open reviews from {} changes: {}",
                    events.len(),
                    listed.join(", ")
                ),
                Some(format!(
                    "a decision is about one change: close one review with --review N or one change's with --event N, or all of them at once with --all (each gets the same decision and note); `regtrace review list --open --node {id}` shows why each was opened"
                )),
            ));
        }
    }
    request.dated_after_the_changes(&data, &open)?;
    request.kept_on_the_chains(&open)?;
    for _ in 0..RETRIES {
        let open: Vec<i64> = mine
            .iter()
            .filter(|r| r.decision.is_none())
            .map(|r| r.id)
            .collect();
        if open.is_empty() {
            return Err(nothing_open(&request.subject(), &mine));
        }
        match data.store_mut()?.close_reviews(&open, &decision) {
            Ok(()) => return Ok(open),
            // Another process closed one of them between the read and the write: read again,
            // and close what is still open (or answer as if it had been closed before).
            Err(StoreError::AlreadyClosed(_)) => {
                mine = request.reviews(&data)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(nothing_open(&request.subject(), &mine))
}

/// The error of closing a node whose reviews are all closed: who closed the last one, when.
fn nothing_open(id: &str, mine: &[Review]) -> AppError {
    let hint = match mine
        .iter()
        .rev()
        .find_map(|r| r.decision.as_ref().map(|d| (r, d)))
    {
        Some((r, d)) => format!(
            "review #{} was closed on {} by {} ({}); decisions are append-only and are not changed",
            r.id,
            d.decided_at,
            d.by,
            d.outcome.as_str()
        ),
        // `review close 3`: the number of a review, taken for a node's id.
        None if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => format!(
            "no node has the id {id}; to name review #{id}, use --review {id} (`regtrace review list --open` lists the open reviews)"
        ),
        None => "`regtrace review list --open` lists the open reviews".into(),
    };
    AppError::request(format!("{id} has no open review"), Some(hint))
}

/// A corrected decision: the review, and its outcome before.
#[derive(Debug, Clone)]
pub struct Corrected {
    /// The review corrected.
    pub review: i64,
    /// The outcome it had.
    pub was: Outcome,
    /// The outcome it has now.
    pub now: Outcome,
}

/// Corrects the decision of the node's one closed review (of one event, if given).
pub fn correct(context: &Context, request: &DecisionRequest) -> Result<Corrected> {
    if request.id.is_none() && request.review.is_none() {
        return Err(AppError::request(
            "name the node whose decision to correct, or the review (--review N)",
            Some("corrections are made one review at a time".into()),
        ));
    }
    let id = request.subject();
    let mut data = context.open_history()?;
    let decision = new_decision(&data, request)?;
    let closed: Vec<Review> = request
        .reviews(&data)?
        .into_iter()
        .filter(|r| r.decision.is_some())
        .collect();
    request.dated_after_the_changes(&data, &closed.iter().collect::<Vec<_>>())?;
    request.kept_on_the_chains(&closed.iter().collect::<Vec<_>>())?;
    let review = match closed.as_slice() {
        [one] => one,
        [] => {
            return Err(AppError::request(
                format!("{id} has no closed review to correct"),
                Some(
                    "close an open review with `regtrace review close`; `regtrace review list` lists them"
                        .into(),
                ),
            ));
        }
        several => {
            let events: Vec<String> = several.iter().map(|r| format!("#{}", r.event)).collect();
            return Err(AppError::request(
                format!(
                    "{id} has {} closed reviews (from change events {})",
                    several.len(),
                    events.join(", ")
                ),
                Some("say which with --event EVENT or --review N".into()),
            ));
        }
    };
    data.store_mut()?.correct_decision(review.id, &decision)?;
    Ok(Corrected {
        review: review.id,
        was: review.decision.as_ref().map_or(Outcome::Unchanged, |d| d.outcome),
        now: decision.outcome,
    })
}

/// A review's reason, from the reviewed node back to the change, in the chain notation; the
/// stored direction of each hop comes from the catalog in force.
pub fn review_chain<G: GraphView>(graph: &G, review: &Review) -> regtrace_core::Chain {
    regtrace_core::Chain::of_ids(
        &review.path,
        &review.relations,
        regtrace_core::Direction::Impact,
        |name| graph.relation_named(name).map(|r| graph.relation_impact(r)),
    )
}

/// The store's reviews as an audit ledger (empty for a data set without history): each open
/// review's cause in words, in the reason-chain notation.
pub fn ledger(data: &DataSet, graph: &Graph) -> Result<ReviewLedger> {
    let mut ledger = ReviewLedger::default();
    let Ok(store) = data.store() else {
        return Ok(ledger);
    };
    // The order of recording is the hash chain's (timestamps are to the second).
    let order = store.seals()?;
    let place = |key: String| order.get(&key).map(|(seq, _)| *seq);
    let after =
        |event: i64, decision: i64| place(format!("event:{event}")) > place(format!("decision:{decision}"));
    let events = store.events()?;
    for review in store.reviews()? {
        // A reference accepted on purpose holds until a later change to either end.
        if let (Some(node), Some(decision)) = (graph.find(&review.node), &review.decision)
            && let Some((kept, because)) = &decision.keeps
            && let Some(kept_at) = graph.find(kept)
            && !events
                .iter()
                .any(|e| (e.node == review.node || e.node == *kept) && after(e.id, decision.id))
        {
            ledger.accept(
                node,
                kept_at,
                regtrace_core::audit::Acceptance {
                    review: review.id,
                    by: decision.by.clone(),
                    on: decision.day().to_owned(),
                    because: because.clone(),
                },
            );
        }
        if let Some(node) = graph.find(&review.node) {
            let cause = review.decision.is_none().then(|| {
                format!(
                    "#{} from change #{}: {}",
                    review.id,
                    review.event,
                    review_chain(graph, &review)
                )
            });
            ledger.add(node, cause);
        }
    }
    Ok(ledger)
}
