//! `editions`: a standard's editions, oldest first, with their state on a date, clauses and
//! crosswalks.

use regtrace_core::{Edition, Editions, Graph, NodeIx, Status};

use crate::dataset::DataSet;
use crate::error::{AppError, Result};
use crate::parse::resolve;

/// A standard's editions on a date.
pub struct EditionsAnswer<'g> {
    /// The graph.
    pub graph: &'g Graph,
    /// The node asked about (a family, an edition or a clause).
    pub asked: NodeIx,
    /// The date the states are for.
    pub date: chrono::NaiveDate,
    /// The chain: family, editions (oldest first), crosswalks.
    pub chain: Editions,
    /// Each edition's state in words, in the order of `chain.editions`.
    pub states: Vec<String>,
}

/// The state of an edition in words: `current`, `superseded by …`, `withdrawn` or `not in force`.
pub fn state(graph: &Graph, edition: &Edition, date: chrono::NaiveDate) -> String {
    if edition.current {
        return "current".into();
    }
    let replacing: Vec<&str> = edition
        .superseded_by
        .iter()
        .filter(|n| graph.in_force(**n, date))
        .map(|n| graph.node(*n).id.as_str())
        .collect();
    let node = graph.node(edition.node);
    if !replacing.is_empty() {
        format!("superseded by {}", replacing.join(", "))
    } else if node.status == Some(Status::Withdrawn)
        || node.dates.withdrawn.is_some_and(|d| d.last_day() <= date)
    {
        "withdrawn".into()
    } else {
        "not in force".into()
    }
}

/// The editions of the standard `id` belongs to, as of `date`.
pub fn editions<'g>(data: &'g DataSet, id: &str, date: chrono::NaiveDate) -> Result<EditionsAnswer<'g>> {
    let graph = data.graph()?;
    let asked = resolve(graph, id)?;
    let chain = graph.editions(asked, date).map_err(|e| {
        AppError::request(
            e.to_string(),
            Some("give a standard edition, a standard_family or a clause; `regtrace list --kind standard` lists editions".into()),
        )
    })?;
    let states = chain.editions.iter().map(|e| state(graph, e, date)).collect();
    Ok(EditionsAnswer {
        graph,
        asked,
        date,
        chain,
        states,
    })
}
