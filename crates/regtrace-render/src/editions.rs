//! `editions` answers: a table of a standard's editions with their clauses and crosswalks, CSV
//! and JSON.

use regtrace_app::editions::EditionsAnswer;
use regtrace_core::NodeIx;
use serde::Serialize;

use crate::doc::terminal::{self, Options};
use crate::doc::{Block, Doc, Span, Table, one};
use crate::escape::csv_text;
use crate::words::Word;

#[derive(Serialize)]
struct NodeRef<'g> {
    id: &'g str,
    #[serde(flatten)]
    titles: crate::json::Titles<'g>,
}

impl<'g> NodeRef<'g> {
    fn new(a: &'g EditionsAnswer, node: NodeIx) -> Self {
        let n = a.node(node);
        NodeRef {
            id: &n.id,
            titles: crate::json::Titles {
                title: &n.title,
                title_ja: n.title_ja.as_deref(),
            },
        }
    }
}

#[derive(Serialize)]
struct EditionJson<'g> {
    id: &'g str,
    #[serde(flatten)]
    titles: crate::json::Titles<'g>,
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
                titles: crate::json::Titles {
                    title: &n.title,
                    title_ja: n.title_ja.as_deref(),
                },
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
                e.titles.title.to_owned(),
                e.titles.title_ja.unwrap_or_default().to_owned(),
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
pub fn table(a: &EditionsAnswer, options: Options) -> String {
    terminal::write(&document(a), options)
}

/// The editions as a document: the family and date, the editions with their state, then each
/// one's clauses, then the crosswalks.
pub fn document(a: &EditionsAnswer) -> Doc {
    let titles = |n: NodeIx| {
        let node = a.node(n);
        Span::titles(&node.title, node.title_ja.as_deref())
    };
    let id = |n: NodeIx| Span::node(&a.node(n).id);
    let mut heading = vec![Span::Say(Word::EditionsOf), Span::text(" ")];
    match a.chain.family {
        Some(f) => heading.extend([titles(f), Span::text(" ("), id(f), Span::text(")")]),
        None => heading.extend([id(a.asked), Span::text(" "), Span::Say(Word::NoFamilyNode)]),
    }
    heading.extend([Span::Say(Word::AsOf), Span::text(format!(" {}:", a.date))]);
    let rows = editions(a);
    let mut table = Table::new(&[
        Word::Edition,
        Word::Title,
        Word::PublishedOn,
        Word::Status,
        Word::State,
        Word::Clauses,
    ])
    .numbers(&[Word::Clauses]);
    for (e, json) in a.chain.editions.iter().zip(&rows) {
        let state = match json.state {
            "current" => one(Span::State(Word::Current)),
            "withdrawn" => one(Span::Status(regtrace_core::Status::Withdrawn)),
            "not in force" => one(Span::Say(Word::NotInForce)),
            other => match other.strip_prefix("superseded by ") {
                Some(by) => vec![Span::Say(Word::SupersededBy), Span::text(format!(" {by}"))],
                None => one(Span::text(other)),
            },
        };
        table.row(vec![
            one(Span::node(json.id)),
            one(titles(e.node)),
            one(Span::text(json.published.clone().unwrap_or_default())),
            one(a.node(e.node).status.map_or_else(|| Span::text(""), Span::Status)),
            state,
            one(Span::Count(e.clauses.len())),
        ]);
    }
    let mut blocks = vec![Block::Para(heading), Block::Table(table)];
    for (e, json) in a.chain.editions.iter().zip(&rows) {
        if e.clauses.is_empty() {
            continue;
        }
        blocks.push(Block::Heading(vec![
            Span::Say(Word::ClausesOf),
            Span::text(" "),
            Span::node(json.id),
            Span::text(":"),
        ]));
        blocks.push(Block::List(
            e.clauses
                .iter()
                .map(|c| vec![vec![id(*c), Span::text("  "), titles(*c)]])
                .collect(),
        ));
    }
    let crosswalks = crosswalks(a);
    if !crosswalks.is_empty() {
        blocks.push(Block::Heading(one(Span::Say(Word::Crosswalks))));
        blocks.push(Block::List(
            crosswalks
                .iter()
                .map(|c| {
                    vec![vec![
                        Span::node(c.from),
                        Span::text(format!("  {}  ", c.mapping)),
                        Span::node(c.to),
                    ]]
                })
                .collect(),
        ));
    }
    Doc::of(blocks)
}
