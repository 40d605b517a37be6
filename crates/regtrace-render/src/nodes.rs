//! Answers about nodes: `show`, `list`, `search`, `stats` and `path`, each as a table, JSON and
//! CSV.

use regtrace_app::nodes::{Found, Paths, Related, Shown, Stats, Walk};
use regtrace_core::{Node, NodeKind, Status};
use serde::Serialize;

use crate::doc::terminal::{self, Options};
use crate::doc::{Block, Doc, Span, Table, one};
use crate::escape::csv_text;
use crate::words::{Phrase, Word};

/// One relation of a node, seen from that node, as `show` prints it in JSON.
#[derive(Debug, Serialize)]
struct RelationJson<'g> {
    /// The relation name.
    relation: &'g str,
    /// Which way a change flows along it (from the catalog).
    impact: &'static str,
    /// The node at the other end.
    id: &'g str,
    kind: &'static str,
    #[serde(flatten)]
    titles: crate::json::Titles<'g>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    /// Provenance of the link.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'g str>,
}

impl<'g> RelationJson<'g> {
    fn new(r: &'g Related) -> Self {
        RelationJson {
            relation: &r.relation,
            impact: r.impact,
            id: &r.id,
            kind: r.kind.as_str(),
            titles: crate::json::Titles {
                title: &r.title,
                title_ja: r.title_ja.as_deref(),
            },
            status: r.status.map(|s| s.as_str()),
            source: r.source.as_deref(),
        }
    }
}

fn relations(shown: &Shown) -> (Vec<RelationJson<'_>>, Vec<RelationJson<'_>>) {
    (
        shown.outgoing.iter().map(RelationJson::new).collect(),
        shown.incoming.iter().map(RelationJson::new).collect(),
    )
}

/// `show` as JSON: the node and its relations both ways.
pub fn show_json(shown: &Shown, pretty: bool) -> String {
    #[derive(Serialize)]
    struct ShowJson<'g> {
        node: &'g Node,
        outgoing: Vec<RelationJson<'g>>,
        incoming: Vec<RelationJson<'g>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        reviews: Vec<ReviewJson<'g>>,
    }
    #[derive(Serialize)]
    struct ReviewJson<'g> {
        review: i64,
        event: i64,
        opened_at: &'g str,
        state: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        outcome: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        decided_by: Option<&'g str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        decided_on: Option<&'g str>,
    }
    let (outgoing, incoming) = relations(shown);
    crate::json::text(
        &ShowJson {
            node: &shown.node,
            outgoing,
            incoming,
            reviews: shown
                .reviews
                .iter()
                .map(|r| ReviewJson {
                    review: r.id,
                    event: r.event,
                    opened_at: &r.opened_at,
                    state: if r.decision.is_some() { "closed" } else { "open" },
                    outcome: r.decision.as_ref().map(|d| d.outcome.as_str()),
                    decided_by: r.decision.as_ref().map(|d| d.by.as_str()),
                    decided_on: r.decision.as_ref().map(|d| d.day()),
                })
                .collect(),
        },
        pretty,
    )
}

/// `show` as CSV: one row per relation.
pub fn show_csv(shown: &Shown) -> String {
    let (outgoing, incoming) = relations(shown);
    let rows = outgoing
        .iter()
        .map(|r| ("outgoing", r))
        .chain(incoming.iter().map(|r| ("incoming", r)))
        .map(|(direction, r)| {
            [
                direction,
                r.relation,
                r.id,
                r.kind,
                r.titles.title,
                r.titles.title_ja.unwrap_or_default(),
            ]
        });
    csv_text(
        &["direction", "relation", "id", "kind", "title", "title_ja"],
        rows,
    )
}

/// `show` as a document: the fields, then the relations both ways, then the node's reviews.
pub fn show_document(shown: &Shown) -> Doc {
    let node = &shown.node;
    let mut fields = Table::new(&[Word::FieldName, Word::Value]);
    let mut field = |name: Span, value: Span| fields.row(vec![one(name), one(value)]);
    field(Span::Say(Word::Id), Span::code(&node.id));
    field(Span::Say(Word::Kind), Span::Kind(node.kind));
    field(Span::Say(Word::Title), Span::text(&node.title));
    field(
        Span::Say(Word::TitleJa),
        Span::text(node.title_ja.as_deref().unwrap_or("—")),
    );
    field(
        Span::Say(Word::Status),
        node.status.map_or_else(|| Span::text("—"), Span::Status),
    );
    for (name, value) in [
        (Word::Designation, &node.designation),
        (Word::Edition, &node.edition),
        (Word::Body, &node.body),
    ] {
        if let Some(value) = value {
            field(Span::Say(name), Span::text(value));
        }
    }
    for (name, date) in node.dates.iter() {
        let name = crate::words::date_field(name).map_or_else(|| Span::text(name), Span::Say);
        field(name, Span::text(date.to_string()));
    }
    if let Some(source) = &node.source {
        field(Span::Say(Word::Source), Span::text(source));
    }
    for (key, value) in &node.attributes {
        field(Span::text(format!("· {key}")), Span::text(value));
    }
    let mut blocks = vec![Block::Table(fields)];
    for (outgoing, arrow, relations) in [(true, " →", &shown.outgoing), (false, " ←", &shown.incoming)] {
        blocks.push(Block::Heading(one(Span::Phrase(Phrase::RelationsOf {
            outgoing,
            count: relations.len(),
        }))));
        if relations.is_empty() {
            continue;
        }
        let mut table = Table::new(&[Word::Relation, Word::Id, Word::Kind, Word::Title]);
        for r in relations.iter() {
            table.row(vec![
                vec![
                    Span::relation(&r.relation, r.relation_ja.as_deref()),
                    Span::text(arrow),
                ],
                one(Span::node(&r.id)),
                one(Span::Kind(r.kind)),
                one(Span::titles(&r.title, r.title_ja.as_deref())),
            ]);
        }
        blocks.push(Block::Table(table));
    }
    if !shown.reviews.is_empty() {
        blocks.push(Block::Heading(one(Span::Phrase(Phrase::ReviewsOf(
            shown.reviews.len(),
        )))));
        let mut table = Table::new(&[Word::Review, Word::Event, Word::Opened, Word::State]);
        for r in &shown.reviews {
            let mut state = vec![crate::history::review_state(r)];
            if r.decision.is_none() && r.probably_unaffected.is_some() {
                state.extend([
                    Span::text(" ("),
                    Span::Say(Word::ProbablyUnaffected),
                    Span::text(")"),
                ]);
            }
            table.row(vec![
                one(Span::text(format!("#{}", r.id))),
                one(Span::text(format!("#{}", r.event))),
                one(Span::text(r.opened_at.get(..10).unwrap_or(&r.opened_at))),
                state,
            ]);
        }
        blocks.push(Block::Table(table));
    }
    Doc {
        title: Vec::new(),
        blocks,
    }
}

/// `show` for people.
pub fn show_table(shown: &Shown, options: Options) -> String {
    terminal::write(&show_document(shown), options)
}

/// Nodes as JSON: an array of node records.
pub fn nodes_json(nodes: &[Node], pretty: bool) -> String {
    crate::json::text(&nodes, pretty)
}

/// Nodes as CSV: id, kind, status and both titles.
pub fn nodes_csv<'n>(nodes: impl IntoIterator<Item = &'n Node>) -> String {
    csv_text(
        &["id", "kind", "status", "title", "title_ja"],
        nodes.into_iter().map(|n| {
            [
                n.id.as_str(),
                n.kind.as_str(),
                n.status.map_or("", |s| s.as_str()),
                n.title.as_str(),
                n.title_ja.as_deref().unwrap_or(""),
            ]
        }),
    )
}

/// One row of a table of nodes: id, kind, status (`None`: no status column) and titles.
type NodeRow<'n> = (
    &'n str,
    NodeKind,
    Option<Option<Status>>,
    &'n str,
    Option<&'n str>,
);

fn node_row(n: &Node, status: bool) -> NodeRow<'_> {
    let status = status.then_some(n.status);
    (&n.id, n.kind, status, &n.title, n.title_ja.as_deref())
}

/// A table of nodes: id, kind, status (if asked) and title.
fn node_table<'n>(nodes: impl IntoIterator<Item = NodeRow<'n>>, status: bool) -> Table {
    let heads: &[Word] = if status {
        &[Word::Id, Word::Kind, Word::Status, Word::Title]
    } else {
        &[Word::Id, Word::Kind, Word::Title]
    };
    let mut table = Table::new(heads);
    for (id, kind, status, title, title_ja) in nodes {
        let mut row = vec![one(Span::node(id)), one(Span::Kind(kind))];
        if let Some(status) = status {
            row.push(one(status.map_or_else(|| Span::text("—"), Span::Status)));
        }
        row.push(one(Span::titles(title, title_ja)));
        table.row(row);
    }
    table
}

/// `list` for people: `nodes`, the first of `total`.
pub fn list_table(nodes: &[Node], total: usize, options: Options) -> String {
    let doc = Doc {
        title: Vec::new(),
        blocks: vec![
            Block::Table(node_table(nodes.iter().map(|n| node_row(n, true)), true)),
            Block::Para(one(Span::Phrase(Phrase::NodesTotal {
                total,
                shown: (total > nodes.len()).then_some(nodes.len()),
            }))),
        ],
    };
    terminal::write(&doc, options)
}

/// `search` as JSON: the query, how many matched, and the nodes shown.
pub fn search_json(found: &Found, pretty: bool) -> String {
    crate::json::text(
        &serde_json::json!({ "query": found.query, "total": found.total, "nodes": found.nodes }),
        pretty,
    )
}

/// `search` as CSV.
pub fn search_csv(found: &Found) -> String {
    nodes_csv(found.nodes.iter())
}

/// `search` as a document: the nodes found, then how many.
pub fn search_document(found: &Found) -> Doc {
    Doc::of(vec![
        Block::Table(node_table(found.nodes.iter().map(|n| node_row(n, false)), false)),
        Block::Para(one(Span::Phrase(Phrase::Found {
            total: found.total,
            shown: (found.total > found.nodes.len()).then_some(found.nodes.len()),
        }))),
    ])
}

/// `search` for people.
pub fn search_table(found: &Found, options: Options) -> String {
    terminal::write(&search_document(found), options)
}

#[derive(Serialize)]
struct KindJson<'a> {
    total: usize,
    by_status: &'a std::collections::BTreeMap<&'static str, usize>,
}

/// `stats` as JSON.
pub fn stats_json(stats: &Stats, pretty: bool) -> String {
    #[derive(Serialize)]
    struct StatsJson<'a> {
        source: &'a str,
        nodes: usize,
        edges: usize,
        kinds: std::collections::BTreeMap<&'static str, KindJson<'a>>,
        relations: &'a std::collections::BTreeMap<String, usize>,
        /// With a database: whether its query snapshot belongs to its current data.
        #[serde(skip_serializing_if = "Option::is_none")]
        snapshot: Option<&'static str>,
    }
    crate::json::text(
        &StatsJson {
            source: &stats.source,
            nodes: stats.nodes,
            edges: stats.edges,
            kinds: stats
                .kinds
                .iter()
                .map(|(k, c)| {
                    (
                        *k,
                        KindJson {
                            total: c.total,
                            by_status: &c.by_status,
                        },
                    )
                })
                .collect(),
            relations: &stats.relations,
            snapshot: stats.snapshot.map(|s| s.as_str()),
        },
        pretty,
    )
}

/// `stats` as CSV: one row per kind and status, then one per relation.
pub fn stats_csv(stats: &Stats) -> String {
    let kind_rows = stats.kinds.iter().flat_map(|(kind, count)| {
        count.by_status.iter().map(move |(status, n)| {
            [
                "node".to_owned(),
                kind.to_string(),
                status.to_string(),
                n.to_string(),
            ]
        })
    });
    let relation_rows = stats
        .relations
        .iter()
        .map(|(name, n)| ["edge".to_owned(), name.clone(), String::new(), n.to_string()]);
    csv_text(
        &["what", "kind_or_relation", "status", "count"],
        kind_rows.chain(relation_rows),
    )
}

/// `stats` for people.
pub fn stats_table(stats: &Stats, options: Options) -> String {
    let mut blocks = vec![Block::Para(one(Span::Phrase(Phrase::DataSize {
        source: stats.source.clone(),
        nodes: stats.nodes,
        edges: stats.edges,
    })))];
    if let Some(state) = stats.snapshot {
        blocks.push(Block::Para(one(Span::Phrase(Phrase::SnapshotState {
            state: state.as_str().to_owned(),
        }))));
    }
    let mut kinds = Table::new(&[Word::Kind, Word::Count, Word::ByStatus]).numbers(&[Word::Count]);
    for (kind, count) in &stats.kinds {
        let mut by = Vec::new();
        for (i, (s, n)) in count.by_status.iter().enumerate() {
            if i > 0 {
                by.push(Span::text(", "));
            }
            by.push(match *s {
                "none" => Span::Say(Word::NoStatus),
                s => s.parse().map_or_else(|_| Span::text(s), Span::Status),
            });
            by.push(Span::text(format!(" {n}")));
        }
        let kind = kind.parse().map_or_else(|_| Span::text(*kind), Span::Kind);
        kinds.row(vec![one(kind), one(Span::Count(count.total)), by]);
    }
    blocks.push(Block::Table(kinds));
    let mut relations = Table::new(&[Word::Relation, Word::Count, Word::Impact]).numbers(&[Word::Count]);
    for (name, count) in &stats.relations {
        let impact = stats.impacts.get(name).copied().unwrap_or("");
        relations.row(vec![
            one(Span::relation(name, stats.relations_ja.get(name))),
            one(Span::Count(*count)),
            one(crate::words::impact_word(impact).map_or_else(|| Span::code(impact), Span::Say)),
        ]);
    }
    blocks.push(Block::Table(relations));
    terminal::write(&Doc::of(blocks), options)
}

#[derive(Serialize)]
struct HopJson<'g> {
    from: &'g str,
    relation: &'g str,
    to: &'g str,
}

fn hops(walk: &Walk) -> Vec<HopJson<'_>> {
    walk.hops
        .iter()
        .map(|(from, relation, to)| HopJson { from, relation, to })
        .collect()
}

/// `path` as JSON: each chain's nodes and hops (edges as stored).
pub fn path_json(paths: &Paths, pretty: bool) -> String {
    #[derive(Serialize)]
    struct PathJson<'g> {
        nodes: &'g [String],
        hops: Vec<HopJson<'g>>,
    }
    let list: Vec<PathJson> = paths
        .walks
        .iter()
        .map(|w| PathJson {
            nodes: &w.ids,
            hops: hops(w),
        })
        .collect();
    let r = &paths.request;
    crate::json::text(
        &serde_json::json!({ "from": r.from, "to": r.to, "paths": list }),
        pretty,
    )
}

/// `path` as CSV: one row per hop.
pub fn path_csv(paths: &Paths) -> String {
    csv_text(
        &["path", "step", "from", "relation", "to"],
        paths.walks.iter().enumerate().flat_map(|(p, w)| {
            w.hops.iter().enumerate().map(move |(s, (from, relation, to))| {
                [
                    (p + 1).to_string(),
                    (s + 1).to_string(),
                    from.clone(),
                    relation.clone(),
                    to.clone(),
                ]
            })
        }),
    )
}

/// `path` for people: one chain per line, then the titles of the nodes on them.
pub fn path_table(paths: &Paths, options: Options) -> String {
    terminal::write(&path_document(paths), options)
}

/// `path` as a document: each path's chain (from its first node to its second, each hop as
/// stored) and length, then the nodes passed.
pub fn path_document(paths: &Paths) -> Doc {
    let r = &paths.request;
    let mut blocks = Vec::new();
    if paths.walks.is_empty() {
        blocks.push(Block::Para(one(Span::Phrase(Phrase::NotConnected {
            from: r.from.clone(),
            to: r.to.clone(),
            within: r.all.then_some(r.max_hops),
        }))));
    }
    for w in &paths.walks {
        blocks.push(Block::Para(vec![
            Span::Chain(w.chain.clone()),
            Span::text("   "),
            Span::Phrase(Phrase::Hops(w.edges.len())),
        ]));
    }
    if !paths.walks.is_empty() {
        let passed = paths.passed.iter().map(|n| {
            (
                n.id.as_str(),
                n.kind,
                None,
                n.title.as_str(),
                n.title_ja.as_deref(),
            )
        });
        blocks.push(Block::Table(node_table(passed, false)));
    }
    Doc::of(blocks)
}
