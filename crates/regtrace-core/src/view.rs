//! [`GraphView`]: the read-only questions a query asks of a graph. Two graphs answer them: the
//! owned, validated [`Graph`], and the memory-mapped snapshot a database keeps beside its tables
//! ([`crate::compact::CompactGraph`]), which answers without loading every node record. The
//! traversals ([`crate::query`]) and the edition verdicts ([`crate::editions`]) are written once,
//! against this trait.

use crate::catalog::{Impact, RelationId};
use crate::graph::{EdgeIx, Graph, NodeIx, UnknownNode};
use crate::model::{Dates, Lang, NodeKind, Status};
use crate::suggest::did_you_mean;

/// Both ends and the relation of an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ends {
    /// Where the relation starts.
    pub from: NodeIx,
    /// Where it points.
    pub to: NodeIx,
    /// Which relation.
    pub relation: RelationId,
}

/// Read access to a traceability graph, by dense indices. Shared between threads: queries read
/// large graphs on every core.
pub trait GraphView: Sync {
    /// How many nodes.
    fn node_count(&self) -> usize;
    /// The node with this exact id.
    fn find(&self, id: &str) -> Option<NodeIx>;
    /// A node's id.
    fn id(&self, node: NodeIx) -> &str;
    /// A node's kind.
    fn kind(&self, node: NodeIx) -> NodeKind;
    /// A node's status.
    fn status(&self, node: NodeIx) -> Option<Status>;
    /// A node's English title.
    fn title(&self, node: NodeIx) -> &str;
    /// A node's Japanese title.
    fn title_ja(&self, node: NodeIx) -> Option<&str>;
    /// A node's dates.
    fn dates(&self, node: NodeIx) -> Dates;
    /// An edge's ends and relation.
    fn ends(&self, edge: EdgeIx) -> Ends;
    /// Edges that start at `node`, in source order, with their ends.
    fn out_links(&self, node: NodeIx) -> impl Iterator<Item = (EdgeIx, Ends)> + '_;
    /// Edges that point to `node`, in source order, with their ends.
    fn in_links(&self, node: NodeIx) -> impl Iterator<Item = (EdgeIx, Ends)> + '_;
    /// A relation's name.
    fn relation_name(&self, relation: RelationId) -> &str;
    /// A relation's impact direction.
    fn relation_impact(&self, relation: RelationId) -> Impact;
    /// True if the source of the relation replaces its target once in force.
    fn relation_replaces(&self, relation: RelationId) -> bool;
    /// The relation with this name.
    fn relation_named(&self, name: &str) -> Option<RelationId>;
    /// How many relations the catalog has.
    fn relation_count(&self) -> usize;

    /// The node's position among all nodes ordered by id, if the view keeps one (a snapshot
    /// does), so large answers sort by number instead of by string.
    fn id_rank(&self, _node: NodeIx) -> Option<u32> {
        None
    }

    /// The node with this id, or an error that suggests the nearest id.
    fn resolve(&self, id: &str) -> Result<NodeIx, UnknownNode> {
        self.find(id).ok_or_else(|| UnknownNode {
            id: id.to_owned(),
            suggestion: did_you_mean(id, (0..self.node_count() as u32).map(|n| self.id(NodeIx(n))))
                .map(str::to_owned),
        })
    }

    /// The title in the asked language, falling back to the other one.
    fn title_in(&self, node: NodeIx, lang: Lang) -> &str {
        lang.pick(self.title(node), self.title_ja(node))
    }
}

/// A reference to a view is a view: an answer can hold `&Graph` or an owned snapshot view alike.
impl<T: GraphView + ?Sized> GraphView for &T {
    fn node_count(&self) -> usize {
        (**self).node_count()
    }
    fn find(&self, id: &str) -> Option<NodeIx> {
        (**self).find(id)
    }
    fn id(&self, node: NodeIx) -> &str {
        (**self).id(node)
    }
    fn kind(&self, node: NodeIx) -> NodeKind {
        (**self).kind(node)
    }
    fn status(&self, node: NodeIx) -> Option<Status> {
        (**self).status(node)
    }
    fn title(&self, node: NodeIx) -> &str {
        (**self).title(node)
    }
    fn title_ja(&self, node: NodeIx) -> Option<&str> {
        (**self).title_ja(node)
    }
    fn dates(&self, node: NodeIx) -> Dates {
        (**self).dates(node)
    }
    fn ends(&self, edge: EdgeIx) -> Ends {
        (**self).ends(edge)
    }
    fn out_links(&self, node: NodeIx) -> impl Iterator<Item = (EdgeIx, Ends)> + '_ {
        (**self).out_links(node)
    }
    fn in_links(&self, node: NodeIx) -> impl Iterator<Item = (EdgeIx, Ends)> + '_ {
        (**self).in_links(node)
    }
    fn relation_name(&self, relation: RelationId) -> &str {
        (**self).relation_name(relation)
    }
    fn relation_impact(&self, relation: RelationId) -> Impact {
        (**self).relation_impact(relation)
    }
    fn relation_replaces(&self, relation: RelationId) -> bool {
        (**self).relation_replaces(relation)
    }
    fn relation_named(&self, name: &str) -> Option<RelationId> {
        (**self).relation_named(name)
    }
    fn relation_count(&self) -> usize {
        (**self).relation_count()
    }
    fn id_rank(&self, node: NodeIx) -> Option<u32> {
        (**self).id_rank(node)
    }
}

fn ends_of(link: &crate::graph::Link) -> Ends {
    Ends {
        from: link.from,
        to: link.to,
        relation: link.relation,
    }
}

impl GraphView for Graph {
    fn node_count(&self) -> usize {
        Graph::node_count(self)
    }
    fn find(&self, id: &str) -> Option<NodeIx> {
        Graph::find(self, id)
    }
    fn id(&self, node: NodeIx) -> &str {
        &self.node(node).id
    }
    fn kind(&self, node: NodeIx) -> NodeKind {
        self.node(node).kind
    }
    fn status(&self, node: NodeIx) -> Option<Status> {
        self.node(node).status
    }
    fn title(&self, node: NodeIx) -> &str {
        &self.node(node).title
    }
    fn title_ja(&self, node: NodeIx) -> Option<&str> {
        self.node(node).title_ja.as_deref()
    }
    fn dates(&self, node: NodeIx) -> Dates {
        self.node(node).dates
    }
    fn ends(&self, edge: EdgeIx) -> Ends {
        ends_of(self.link(edge))
    }
    fn out_links(&self, node: NodeIx) -> impl Iterator<Item = (EdgeIx, Ends)> + '_ {
        self.outgoing(node).map(|(e, l)| (e, ends_of(l)))
    }
    fn in_links(&self, node: NodeIx) -> impl Iterator<Item = (EdgeIx, Ends)> + '_ {
        self.incoming(node).map(|(e, l)| (e, ends_of(l)))
    }
    fn relation_name(&self, relation: RelationId) -> &str {
        &self.catalog().get(relation).name
    }
    fn relation_impact(&self, relation: RelationId) -> Impact {
        self.catalog().get(relation).impact
    }
    fn relation_replaces(&self, relation: RelationId) -> bool {
        self.catalog().get(relation).replaces
    }
    fn relation_named(&self, name: &str) -> Option<RelationId> {
        self.catalog().id_of(name)
    }
    fn relation_count(&self) -> usize {
        self.catalog().relations().len()
    }
}
