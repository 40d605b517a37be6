//! Plain inputs (words, dates, ids) turned into the model's values, with errors that say how
//! to write them. Every front end takes its inputs as text; these are the one place that reads it.

use regtrace_core::model::UnknownWord;
use regtrace_core::{GraphView, NodeIx};

use crate::error::{AppError, Result};

/// Words of a closed vocabulary (kinds, statuses), with a hint for a misspelt one.
pub fn words<T: std::str::FromStr<Err = UnknownWord>>(words: &[String]) -> Result<Vec<T>> {
    words.iter().map(|w| word(w)).collect()
}

/// One word of a closed vocabulary.
pub fn word<T: std::str::FromStr<Err = UnknownWord>>(word: &str) -> Result<T> {
    word.parse::<T>()
        .map_err(|unknown| AppError::request(unknown.to_string(), Some(unknown.hint())))
}

/// A date written YYYY-MM-DD; `what` names where it was given (`--as-of`) in the error.
pub fn date(what: &str, text: &str) -> Result<chrono::NaiveDate> {
    regtrace_core::model::parse_day(text).map_err(|problem| {
        AppError::request(
            format!("{what}: {problem}"),
            Some("write the date as YYYY-MM-DD, e.g. 2014-03-31".into()),
        )
    })
}

/// An optional date (see [`date`]).
pub fn optional_date(what: &str, text: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    text.map(|t| date(what, t)).transpose()
}

/// The node with this id, or a request error naming it with a "did you mean".
pub fn resolve<G: GraphView>(graph: &G, id: &str) -> Result<NodeIx> {
    graph.resolve(id).map_err(|unknown| AppError::UnknownNode {
        message: format!("no node has the id {:?}", unknown.id),
        hint: Some(match unknown.suggestion {
            Some(s) => format!("did you mean {s:?}?"),
            None => "ids are case-sensitive; `regtrace search TEXT` finds nodes by id or title".into(),
        }),
    })
}

/// Resolves several ids, failing on the first unknown one.
pub fn resolve_all<G: GraphView>(graph: &G, ids: &[String]) -> Result<Vec<NodeIx>> {
    ids.iter().map(|id| resolve(graph, id)).collect()
}

/// Today, in the local time zone: the default of every "as of" date.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
