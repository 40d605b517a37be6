//! `editions` answers: a table of a standard's editions with their clauses and crosswalks, CSV
//! and JSON.

use regtrace_app::editions::EditionsAnswer;
use regtrace_core::{Lang, NodeIx};
use serde::Serialize;

use crate::escape::csv_text;
use crate::terminal;

#[derive(Serialize)]
struct NodeRef<'g> {
    id: &'g str,
    title: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_ja: Option<&'g str>,
}

impl<'g> NodeRef<'g> {
    fn new(a: &'g EditionsAnswer, node: NodeIx) -> Self {
        let n = a.node(node);
        NodeRef {
            id: &n.id,
            title: &n.title,
            title_ja: n.title_ja.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct EditionJson<'g> {
    id: &'g str,
    title: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_ja: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    designation: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edition: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    withdrawn: Option<String>,
    /// In force on the date asked.
    current: bool,
    /// `current`, `superseded by …`, `withdrawn` or `not in force`.
    state: &'g str,
    supersedes: Vec<&'g str>,
    superseded_by: Vec<&'g str>,
    clauses: Vec<NodeRef<'g>>,
}

#[derive(Serialize)]
struct CrosswalkJson<'g> {
    from: &'g str,
    mapping: &'static str,
    to: &'g str,
}

#[derive(Serialize)]
struct EditionsJson<'g> {
    family: Option<NodeRef<'g>>,
    as_of: String,
    /// Oldest first.
    editions: Vec<EditionJson<'g>>,
    crosswalks: Vec<CrosswalkJson<'g>>,
}

fn editions<'g>(a: &'g EditionsAnswer) -> Vec<EditionJson<'g>> {
    let id_of = |n: &NodeIx| a.node(*n).id.as_str();
    a.chain
        .editions
        .iter()
        .zip(&a.states)
        .map(|(e, state)| {
            let n = a.node(e.node);
            EditionJson {
                id: &n.id,
                title: &n.title,
                title_ja: n.title_ja.as_deref(),
                designation: n.designation.as_deref(),
                edition: n.edition.as_deref(),
                status: n.status.map(|s| s.as_str()),
                published: n.dates.published.map(|d| d.to_string()),
                withdrawn: n.dates.withdrawn.map(|d| d.to_string()),
                current: e.current,
                state,
                supersedes: e.supersedes.iter().map(id_of).collect(),
                superseded_by: e.superseded_by.iter().map(id_of).collect(),
                clauses: e.clauses.iter().map(|c| NodeRef::new(a, *c)).collect(),
            }
        })
        .collect()
}

fn crosswalks<'g>(a: &'g EditionsAnswer) -> Vec<CrosswalkJson<'g>> {
    let id_of = |n: &NodeIx| a.node(*n).id.as_str();
    a.chain
        .crosswalks
        .iter()
        .map(|c| CrosswalkJson {
            from: id_of(&c.from),
            mapping: c.mapping.as_str(),
            to: id_of(&c.to),
        })
        .collect()
}

/// The editions as one JSON document.
pub fn json(a: &EditionsAnswer, pretty: bool) -> String {
    crate::json::text(
        &EditionsJson {
            family: a.chain.family.map(|f| NodeRef::new(a, f)),
            as_of: a.date.to_string(),
            editions: editions(a),
            crosswalks: crosswalks(a),
        },
        pretty,
    )
}

/// One row per edition.
pub fn csv(a: &EditionsAnswer) -> String {
    csv_text(
        &[
            "id",
            "title",
            "title_ja",
            "status",
            "published",
            "state",
            "supersedes",
            "clauses",
        ],
        editions(a).iter().map(|e| {
            [
                e.id.to_owned(),
                e.title.to_owned(),
                e.title_ja.unwrap_or_default().to_owned(),
                e.status.unwrap_or_default().to_owned(),
                e.published.clone().unwrap_or_default(),
                e.state.to_owned(),
                e.supersedes.join(" "),
                e.clauses.iter().map(|c| c.id).collect::<Vec<_>>().join(" "),
            ]
        }),
    )
}

/// For people: the editions, then each one's clauses, then the crosswalks.
pub fn table(a: &EditionsAnswer, lang: Lang) -> String {
    let id_of = |n: &NodeIx| a.node(*n).id.as_str();
    let title = |n: NodeIx| a.node(n).title_in(lang).to_owned();
    let date = a.date;
    let mut text = match a.chain.family {
        Some(f) => format!("Editions of {} ({}), as of {date}:\n", title(f), id_of(&f)),
        None => format!(
            "Editions of {} (no standard_family node), as of {date}:\n",
            id_of(&a.asked)
        ),
    };
    let rows = editions(a);
    let mut table = terminal::table(&["edition", "title", "published", "status", "state", "clauses"]);
    for (e, json) in a.chain.editions.iter().zip(&rows) {
        table.add_row([
            json.id.to_owned(),
            title(e.node),
            json.published.clone().unwrap_or_default(),
            json.status.unwrap_or_default().to_owned(),
            json.state.to_owned(),
            e.clauses.len().to_string(),
        ]);
    }
    text.push_str(&terminal::render(&table));
    for (e, json) in a.chain.editions.iter().zip(&rows) {
        if e.clauses.is_empty() {
            continue;
        }
        text.push_str(&format!("\nClauses of {}:\n", json.id));
        for c in &e.clauses {
            text.push_str(&format!("  {}  {}\n", id_of(c), a.node(*c).title_in(lang)));
        }
    }
    let crosswalks = crosswalks(a);
    if !crosswalks.is_empty() {
        text.push_str("\nCrosswalks:\n");
        for c in &crosswalks {
            text.push_str(&format!("  {}  {}  {}\n", c.from, c.mapping, c.to));
        }
    }
    text
}
