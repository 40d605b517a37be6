//! Answers about nodes: `show`, `list`, `search`, `stats` and `path`, each as a table, JSON and
//! CSV.

use regtrace_app::nodes::{Found, Paths, Related, Shown, Stats, Walk};
use regtrace_core::{Lang, Node};
use serde::Serialize;

use crate::escape::csv_text;
use crate::terminal;

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
    title: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_ja: Option<&'g str>,
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
            title: &r.title,
            title_ja: r.title_ja.as_deref(),
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
                r.title,
                r.title_ja.unwrap_or_default(),
            ]
        });
    csv_text(
        &["direction", "relation", "id", "kind", "title", "title_ja"],
        rows,
    )
}

/// `show` for people: the fields, then the relations both ways.
pub fn show_table(shown: &Shown, lang: Lang) -> String {
    let node = &shown.node;
    let mut fields = terminal::table(&["field", "value"]);
    fields.add_row(vec!["id", &node.id]);
    fields.add_row(vec!["kind", node.kind.as_str()]);
    fields.add_row(vec!["title", &node.title]);
    fields.add_row(vec!["title_ja", node.title_ja.as_deref().unwrap_or("—")]);
    fields.add_row(vec!["status", node.status.map_or("—", |s| s.as_str())]);
    for (name, value) in [
        ("designation", &node.designation),
        ("edition", &node.edition),
        ("body", &node.body),
    ] {
        if let Some(value) = value {
            fields.add_row(vec![name, value]);
        }
    }
    for (name, date) in node.dates.iter() {
        fields.add_row(vec![name.to_owned(), date.to_string()]);
    }
    if let Some(source) = &node.source {
        fields.add_row(vec!["source", source]);
    }
    for (key, value) in &node.attributes {
        fields.add_row(vec![format!("· {key}"), value.clone()]);
    }
    let mut text = terminal::render(&fields);
    let (outgoing, incoming) = relations(shown);
    for (heading, arrow, relations) in [("outgoing", "→", &outgoing), ("incoming", "←", &incoming)] {
        text.push_str(&format!("\n{} relations ({}):\n", heading, relations.len()));
        if relations.is_empty() {
            continue;
        }
        let mut table = terminal::table(&["relation", "", "id", "kind", "title"]);
        for r in relations.iter() {
            let title = match lang {
                Lang::Ja => r.title_ja.unwrap_or(r.title),
                Lang::En => r.title,
            };
            table.add_row(vec![r.relation, arrow, r.id, r.kind, title]);
        }
        text.push_str(&terminal::render(&table));
    }
    if !shown.reviews.is_empty() {
        text.push_str(&format!("\nreviews ({}):\n", shown.reviews.len()));
        let mut table = terminal::table(&["review", "event", "opened", "state"]);
        for r in &shown.reviews {
            let state = match &r.decision {
                Some(d) => format!("closed {}: {} by {}", d.day(), d.outcome.as_str(), d.by),
                None if r.probably_unaffected.is_some() => "open (probably unaffected)".to_owned(),
                None => "open".to_owned(),
            };
            table.add_row(vec![
                format!("#{}", r.id),
                format!("#{}", r.event),
                r.opened_at.get(..10).unwrap_or(&r.opened_at).to_owned(),
                state,
            ]);
        }
        text.push_str(&terminal::render(&table));
    }
    text
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

/// `list` for people: `nodes`, the first of `total`.
pub fn list_table(nodes: &[Node], total: usize, lang: Lang) -> String {
    let mut table = terminal::table(&["id", "kind", "status", "title"]);
    for n in nodes {
        table.add_row(vec![
            n.id.as_str(),
            n.kind.as_str(),
            n.status.map_or("—", |s| s.as_str()),
            n.title_in(lang),
        ]);
    }
    let more = if total > nodes.len() {
        format!(
            " ({} shown, the first by id; --limit N to see more, --limit 0 for all)",
            nodes.len()
        )
    } else {
        String::new()
    };
    format!("{}{total} nodes{more}\n", terminal::render(&table))
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

/// `search` for people.
pub fn search_table(found: &Found, lang: Lang) -> String {
    let mut table = terminal::table(&["id", "kind", "title"]);
    for n in &found.nodes {
        table.add_row(vec![n.id.as_str(), n.kind.as_str(), n.title_in(lang)]);
    }
    let more = if found.total > found.nodes.len() {
        format!(" ({} shown; --limit to see more)", found.nodes.len())
    } else {
        String::new()
    };
    format!("{}{} found{more}\n", terminal::render(&table), found.total)
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
pub fn stats_table(stats: &Stats) -> String {
    let mut text = format!("{}: {} nodes, {} edges\n", stats.source, stats.nodes, stats.edges);
    match stats.snapshot.map(|s| s.as_str()) {
        Some("current") => text.push_str("query snapshot: current\n"),
        Some(state) => text.push_str(&format!(
            "query snapshot: {state}; queries load the rows instead (slower on large data); \
             `regtrace verify --repair` rebuilds it\n"
        )),
        None => {}
    }
    text.push('\n');
    let mut table = terminal::table(&["kind", "count", "by status"]);
    for (kind, count) in &stats.kinds {
        let by: Vec<String> = count.by_status.iter().map(|(s, n)| format!("{s} {n}")).collect();
        table.add_row(vec![kind.to_string(), count.total.to_string(), by.join(", ")]);
    }
    text.push_str(&terminal::render(&table));
    text.push('\n');
    let mut table = terminal::table(&["relation", "count", "impact"]);
    for (name, count) in &stats.relations {
        let impact = stats.impacts.get(name).copied().unwrap_or("");
        table.add_row(vec![name.clone(), count.to_string(), impact.to_owned()]);
    }
    text.push_str(&terminal::render(&table));
    text
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
pub fn path_table(paths: &Paths, lang: Lang) -> String {
    let r = &paths.request;
    if paths.walks.is_empty() {
        let within = if r.all {
            format!(" within {} hops", r.max_hops)
        } else {
            String::new()
        };
        return format!("{} and {} are not connected{within}\n", r.from, r.to);
    }
    let mut text = String::new();
    for w in &paths.walks {
        let hops = w.edges.len();
        text.push_str(&format!(
            "{}   ({hops} hop{})\n",
            w.chain,
            if hops == 1 { "" } else { "s" }
        ));
    }
    text.push('\n');
    let mut table = terminal::table(&["id", "kind", "title"]);
    for node in &paths.passed {
        table.add_row(vec![node.id.as_str(), node.kind.as_str(), node.title_in(lang)]);
    }
    text.push_str(&terminal::render(&table));
    text
}
