//! `diff`: what changed between two versions of a data set, and what those changes impact.

use regtrace_core::diff::{self, Diff, DiffHit, DiffImpact};
use regtrace_core::{Chain, Direction, Graph, NodeKind, ReachOptions};

use crate::dataset::DataSet;
use crate::error::Result;

/// A comparison to make.
#[derive(Debug, Clone, Default)]
pub struct DiffRequest {
    /// Also compute what the changes impact together, with these options.
    pub impact: Option<ReachOptions>,
    /// List only impacted nodes of these kinds.
    pub kinds: Vec<NodeKind>,
}

/// The differences between two data sets.
pub struct Compared<'a> {
    /// The old side.
    pub old: &'a Graph,
    /// The new side.
    pub new: &'a Graph,
    /// Nodes and links added, removed and changed.
    pub diff: Diff,
    /// With an impact request: what the changes impact, and its options.
    pub impact: Option<(DiffImpact, ReachOptions)>,
    /// The kinds of impacted nodes to list (all when empty).
    pub kinds: Vec<NodeKind>,
}

impl Compared<'_> {
    /// The impacted nodes of the kinds asked for.
    pub fn listed(&self) -> impl Iterator<Item = &DiffHit> + '_ {
        self.impact
            .iter()
            .flat_map(|(i, _)| &i.hits)
            .filter(|h| self.kinds.is_empty() || self.kinds.contains(&h.kind))
    }

    /// A hit's reason, from it back to the change, in the chain notation; the direction of each
    /// hop comes from the catalog of the side the path runs through.
    pub fn chain(&self, hit: &DiffHit) -> Chain {
        let graph = if hit.in_old { self.old } else { self.new };
        Chain::of_ids(&hit.path, &hit.relations, Direction::Impact, |name| {
            graph.catalog().impact_of(name)
        })
    }
}

/// Compares `old` with `new`.
pub fn diff<'a>(old: &'a DataSet, new: &'a DataSet, request: &DiffRequest) -> Result<Compared<'a>> {
    let (old, new) = (old.graph()?, new.graph()?);
    let d = diff::diff(old, new);
    let impact = request
        .impact
        .as_ref()
        .map(|options| (diff::impact(old, new, &d, options), options.clone()));
    Ok(Compared {
        old,
        new,
        diff: d,
        impact,
        kinds: request.kinds.clone(),
    })
}
