//! regtrace-core: the model of a standards traceability graph for medical devices.
//!
//! It holds node kinds and statuses ([`model`]), the relation catalog that says which way a
//! change propagates ([`catalog`]), diagnostics that say what is wrong and where
//! ([`diagnostics`]), and the validated graph with dense integer indices ([`graph`]).
//!
//! This crate does no I/O: it parses text it is given and never touches files, databases or
//! the terminal. String ids exist at its edges; inside a [`Graph`], nodes are [`NodeIx`].

pub mod audit;
pub mod catalog;
pub mod chain;
pub mod compact;
pub mod diagnostics;
pub mod diff;
pub mod edges;
pub mod editions;
pub mod fingerprint;
pub mod graph;
pub mod matrix;
pub mod model;
pub mod query;
pub mod record;
pub mod search;
pub mod subgraph;
pub mod suggest;
#[cfg(test)]
mod testing;
pub mod text;
pub mod view;

pub use catalog::{Impact, KindSet, Relation, RelationCatalog, RelationId, RelationSpec};
pub use chain::Chain;
pub use diagnostics::{Diagnostic, Diagnostics, Location};
pub use edges::{EdgeAt, EdgeList, EdgePart};
pub use editions::{Crosswalk, Edition, Editions, Mapping, Unaffected, Verdicts};
pub use graph::{EdgeIx, Graph, Link, NodeIx, UnknownNode};
pub use matrix::{ColumnHead, Columns, Condition, Connection, Matrix, MatrixHeads, MatrixSpec};
pub use model::{Date, Dates, Edge, EdgeRef, Lang, Node, NodeKind, Precision, Status, UnknownWord};
pub use query::{Direction, Hit, Reach, ReachOptions};
pub use subgraph::{Around, Subgraph};
pub use view::{Ends, GraphView};
