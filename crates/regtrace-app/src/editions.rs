//! `editions`: a standard's editions, oldest first, with their state on a date, clauses and
//! crosswalks.

use std::collections::HashMap;

use regtrace_core::{Edition, Editions, GraphView, Node, NodeIx, Status};

use crate::dataset::DataSet;
use crate::error::{AppError, Result};
use crate::nodes::Records;
use crate::parse::resolve;

/// A standard's editions on a date.
pub struct EditionsAnswer {
    /// The node asked about (a family, an edition or a clause).
    pub asked: NodeIx,
    /// The date the states are for.
    pub date: chrono::NaiveDate,
    /// The chain: family, editions (oldest first), crosswalks.
    pub chain: Editions,
    /// Each edition's state in words, in the order of `chain.editions`.
    pub states: Vec<String>,
    /// Every node the answer names (see [`EditionsAnswer::node`]), as a whole record.
    nodes: HashMap<NodeIx, Node>,
}

impl EditionsAnswer {
    /// The record of a node the answer names: the one asked about, the family, an edition, an
    /// edition it supersedes or is superseded by, a clause, an end of a crosswalk.
    ///
    /// # Panics
    /// For a node the answer does not name (every one it names is kept, by construction).
    pub fn node(&self, node: NodeIx) -> &Node {
        self.nodes
            .get(&node)
            .expect("every node an editions answer names is kept with it")
    }
}

/// Every node `chain` names, with `asked`.
fn named(chain: &Editions, asked: NodeIx) -> impl Iterator<Item = NodeIx> + '_ {
    let Editions {
        family,
        editions,
        crosswalks,
    } = chain;
    std::iter::once(asked)
        .chain(*family)
        .chain(editions.iter().flat_map(|e| {
            let Edition {
                node,
                supersedes,
                superseded_by,
                clauses,
                current: _,
            } = e;
            std::iter::once(*node)
                .chain(supersedes.iter().copied())
                .chain(superseded_by.iter().copied())
                .chain(clauses.iter().copied())
        }))
        .chain(crosswalks.iter().flat_map(|c| [c.from, c.to]))
}

/// The state of an edition in words: `current`, `superseded by …`, `withdrawn` or `not in force`.
pub fn state<G: GraphView>(graph: &G, edition: &Edition, date: chrono::NaiveDate) -> String {
    if edition.current {
        return "current".into();
    }
    let replacing: Vec<&str> = edition
        .superseded_by
        .iter()
        .filter(|n| regtrace_core::query::in_force(graph, **n, date))
        .map(|n| graph.id(*n))
        .collect();
    let node = edition.node;
    if !replacing.is_empty() {
        format!("superseded by {}", replacing.join(", "))
    } else if graph.status(node) == Some(Status::Withdrawn)
        || graph.dates(node).withdrawn.is_some_and(|d| d.last_day() <= date)
    {
        "withdrawn".into()
    } else {
        "not in force".into()
    }
}

/// The editions of the standard `id` belongs to, as of `date`: from the database's snapshot
/// when it is current, else from the graph.
pub fn editions(data: &DataSet, id: &str, date: chrono::NaiveDate) -> Result<EditionsAnswer> {
    match data.compact() {
        Some(view) => editions_in(&view, id, date),
        None => editions_in(&data.graph()?, id, date),
    }
}

fn editions_in<G: Records>(graph: &G, id: &str, date: chrono::NaiveDate) -> Result<EditionsAnswer> {
    let asked = resolve(graph, id)?;
    let chain = regtrace_core::editions::editions(graph, asked, date).map_err(|e| {
        AppError::request(
            e.to_string(),
            Some("give a standard edition, a standard_family or a clause; `regtrace list --kind standard` lists editions".into()),
        )
    })?;
    let states = chain.editions.iter().map(|e| state(graph, e, date)).collect();
    let nodes = named(&chain, asked).map(|n| (n, graph.record(n))).collect();
    Ok(EditionsAnswer {
        asked,
        date,
        chain,
        states,
        nodes,
    })
}
