//! `impact` and `deps`: everything a change reaches (or everything nodes rest on), each hit with
//! its distance, one shortest reason path and, for superseded editions, its verdict.

use std::collections::BTreeMap;

use regtrace_core::compact::CompactGraph;
use regtrace_core::{Direction, Graph, GraphView, Hit, NodeKind, Reach, ReachOptions, Verdicts};

use crate::dataset::DataSet;
use crate::error::Result;
use crate::parse::resolve_all;

/// An impact or dependencies question.
#[derive(Debug, Clone)]
pub struct ReachRequest {
    /// The start nodes' ids.
    pub ids: Vec<String>,
    /// Impact (what rests on them) or dependencies (what they rest on).
    pub direction: Direction,
    /// List only hits of these kinds (the traversal still passes through every kind).
    pub kinds: Vec<NodeKind>,
    /// Depth limit and as-of date.
    pub options: ReachOptions,
    /// List at most this many hits (the counts still cover all).
    pub limit: Option<usize>,
    /// Pass over this many listed hits first (a page after the first, on the web).
    pub offset: usize,
}

/// The answer, over whichever view of the graph answered it.
pub struct ReachAnswer<G> {
    /// The graph (or snapshot) the answer refers to.
    pub graph: G,
    /// The question's direction.
    pub direction: Direction,
    /// The options it was answered with.
    pub options: ReachOptions,
    /// Every node reached, with reason paths.
    pub reach: Reach,
    /// Which hits are probably unaffected.
    pub verdicts: Verdicts,
    /// The hits of the asked kinds, by distance then id.
    pub listed: Vec<Hit>,
    /// The first of `listed` to show (the request's offset).
    pub first: usize,
    /// Where the shown hits of `listed` end (the offset plus `--limit`).
    pub shown: usize,
    /// Listed hits per kind.
    pub counts: BTreeMap<&'static str, usize>,
    /// How many listed hits are probably unaffected.
    pub unaffected: usize,
    /// What the source says rests on the start nodes but the data does not name: each start
    /// node's [`KNOWN_GAP`] attribute, as (id, text).
    pub known_gaps: Vec<(String, String)>,
}

/// The attribute of a node whose source says more rests on it than the data names (the seed's
/// law revision: 4 of the 21 guidelines to check are not named): every impact of it says so.
pub const KNOWN_GAP: &str = "known_gap";

impl<G: GraphView> ReachAnswer<G> {
    /// The hits to show.
    pub fn shown(&self) -> &[Hit] {
        &self.listed[self.first..self.shown]
    }

    /// Lists only the hits whose id `keep` accepts (a report scoped to some devices), all of
    /// them shown, the counts of what is left.
    pub fn keep_only(&mut self, keep: impl Fn(&str) -> bool) {
        let graph = &self.graph;
        self.listed.retain(|h| keep(graph.id(h.node)));
        (self.first, self.shown) = (0, self.listed.len());
        self.recount();
    }

    /// `counts` and `unaffected` of what `listed` holds.
    fn recount(&mut self) {
        self.counts.clear();
        for hit in &self.listed {
            *self.counts.entry(self.graph.kind(hit.node).as_str()).or_default() += 1;
        }
        let verdicts = &self.verdicts;
        self.unaffected = self
            .listed
            .iter()
            .filter(|h| verdicts.unaffected(h.node).is_some())
            .count();
    }
}

impl Reached<'_> {
    /// [`ReachAnswer::keep_only`], whichever view answered.
    pub fn keep_only(&mut self, keep: impl Fn(&str) -> bool) {
        match self {
            Reached::Snapshot(a) => a.keep_only(keep),
            Reached::Loaded(a) => a.keep_only(keep),
        }
    }
}

/// A reach answer from the snapshot (read in place) or from the loaded graph.
pub enum Reached<'a> {
    /// Answered from the database's current snapshot.
    Snapshot(Box<ReachAnswer<CompactGraph<'a>>>),
    /// Answered from the whole graph.
    Loaded(Box<ReachAnswer<&'a Graph>>),
}

/// Answers `request`: from the database's snapshot when it is current, else from the graph.
pub fn reach<'a>(data: &'a DataSet, request: &ReachRequest) -> Result<Reached<'a>> {
    if let Some(compact) = data.compact() {
        let mut answered = answer(compact, request)?;
        answered.known_gaps = known_gaps(&answered, |n| answered.graph.node_record(n).attributes);
        return Ok(Reached::Snapshot(Box::new(answered)));
    }
    let graph = data.graph()?;
    let mut answered = answer(graph, request)?;
    answered.known_gaps = known_gaps(&answered, |n| graph.node(n).attributes.clone());
    Ok(Reached::Loaded(Box::new(answered)))
}

/// The start nodes' known gaps ([`KNOWN_GAP`]), read from their records.
fn known_gaps<G: GraphView>(
    answer: &ReachAnswer<G>,
    attributes: impl Fn(regtrace_core::NodeIx) -> BTreeMap<String, String>,
) -> Vec<(String, String)> {
    answer
        .reach
        .roots
        .iter()
        .filter_map(|&root| {
            let gap = attributes(root).remove(KNOWN_GAP)?;
            Some((answer.graph.id(root).to_owned(), gap))
        })
        .collect()
}

/// Answers `request` on any view.
pub fn answer<G: GraphView>(graph: G, request: &ReachRequest) -> Result<ReachAnswer<G>> {
    let roots = resolve_all(&graph, &request.ids)?;
    let mut reach = regtrace_core::query::reach(&graph, &roots, request.direction, &request.options);
    let verdicts = regtrace_core::editions::verdicts(&graph, &mut reach, &request.options);
    let kinds = &request.kinds;
    let listed: Vec<Hit> = reach
        .hits
        .iter()
        .filter(|h| kinds.is_empty() || kinds.contains(&graph.kind(h.node)))
        .copied()
        .collect();
    let first = request.offset.min(listed.len());
    let shown = first
        .saturating_add(request.limit.unwrap_or(usize::MAX))
        .min(listed.len());
    let mut answer = ReachAnswer {
        graph,
        direction: request.direction,
        options: request.options.clone(),
        reach,
        verdicts,
        listed,
        first,
        shown,
        counts: BTreeMap::new(),
        unaffected: 0,
        known_gaps: Vec::new(),
    };
    answer.recount();
    Ok(answer)
}
