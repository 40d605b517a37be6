//! `editions`: a standard's editions, oldest first, with their clauses and crosswalks.

use regtrace_core::{Editions, Graph, NodeIx};
use serde::Serialize;

use crate::commands::{DataSource, parse_as_of, resolve};
use crate::error::CliError;
use crate::output::{self, Format, View};

#[derive(Serialize)]
struct NodeRef<'g> {
    id: &'g str,
    title: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_ja: Option<&'g str>,
}

impl<'g> NodeRef<'g> {
    fn new(graph: &'g Graph, node: NodeIx) -> Self {
        let n = graph.node(node);
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
    state: String,
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

/// The state of an edition in words.
fn state(graph: &Graph, edition: &regtrace_core::Edition, date: chrono::NaiveDate) -> String {
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
    } else if node.status == Some(regtrace_core::Status::Withdrawn)
        || node.dates.withdrawn.is_some_and(|d| d <= date)
    {
        "withdrawn".into()
    } else {
        "not in force".into()
    }
}

/// `regtrace editions ID`.
pub fn editions(source: &DataSource, id: &str, as_of: Option<&str>, view: &View) -> Result<(), CliError> {
    let date = parse_as_of(as_of)?.unwrap_or_else(|| chrono::Local::now().date_naive());
    let graph = source.graph()?;
    let node = resolve(&graph, id)?;
    let chain: Editions = graph.editions(node, date).map_err(|e| {
        CliError::request(
            e.to_string(),
            Some("give a standard edition, a standard_family or a clause; `regtrace list --kind standard` lists editions".into()),
        )
    })?;
    let id_of = |n: &NodeIx| graph.node(*n).id.as_str();
    let editions: Vec<EditionJson> = chain
        .editions
        .iter()
        .map(|e| {
            let n = graph.node(e.node);
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
                state: state(&graph, e, date),
                supersedes: e.supersedes.iter().map(id_of).collect(),
                superseded_by: e.superseded_by.iter().map(id_of).collect(),
                clauses: e.clauses.iter().map(|c| NodeRef::new(&graph, *c)).collect(),
            }
        })
        .collect();
    let crosswalks: Vec<CrosswalkJson> = chain
        .crosswalks
        .iter()
        .map(|c| CrosswalkJson {
            from: id_of(&c.from),
            mapping: c.mapping.as_str(),
            to: id_of(&c.to),
        })
        .collect();

    let lang = view.lang();
    let text = match view.format {
        Format::Json => output::json_text(&EditionsJson {
            family: chain.family.map(|f| NodeRef::new(&graph, f)),
            as_of: date.to_string(),
            editions,
            crosswalks,
        }),
        Format::Csv => output::csv_text(
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
            editions.iter().map(|e| {
                [
                    e.id.to_owned(),
                    e.title.to_owned(),
                    e.title_ja.unwrap_or_default().to_owned(),
                    e.status.unwrap_or_default().to_owned(),
                    e.published.clone().unwrap_or_default(),
                    e.state.clone(),
                    e.supersedes.join(" "),
                    e.clauses.iter().map(|c| c.id).collect::<Vec<_>>().join(" "),
                ]
            }),
        ),
        Format::Table => {
            let title = |n: NodeIx| graph.node(n).title_in(lang).to_owned();
            let mut text = match chain.family {
                Some(f) => format!("Editions of {} ({}), as of {date}:\n", title(f), id_of(&f)),
                None => format!(
                    "Editions of {} (no standard_family node), as of {date}:\n",
                    id_of(&node)
                ),
            };
            let mut table = output::table(&["edition", "title", "published", "status", "state", "clauses"]);
            for (e, json) in chain.editions.iter().zip(&editions) {
                table.add_row([
                    json.id.to_owned(),
                    title(e.node),
                    json.published.clone().unwrap_or_default(),
                    json.status.unwrap_or_default().to_owned(),
                    json.state.clone(),
                    e.clauses.len().to_string(),
                ]);
            }
            text.push_str(&output::render_table(&table));
            for (e, json) in chain.editions.iter().zip(&editions) {
                if e.clauses.is_empty() {
                    continue;
                }
                text.push_str(&format!("\nClauses of {}:\n", json.id));
                for c in &e.clauses {
                    text.push_str(&format!("  {}  {}\n", id_of(c), graph.node(*c).title_in(lang)));
                }
            }
            if !crosswalks.is_empty() {
                text.push_str("\nCrosswalks:\n");
                for c in &crosswalks {
                    text.push_str(&format!("  {}  {}  {}\n", c.from, c.mapping, c.to));
                }
            }
            text
        }
    };
    output::print(&text);
    Ok(())
}
