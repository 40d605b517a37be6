//! `impact`, `deps`, `path` and `search`: the questions regtrace exists to answer.

use std::collections::BTreeMap;

use regtrace_core::{
    Direction, EdgeIx, GraphView, Lang, NodeIx, NodeKind, Reach, ReachOptions, Subgraph, Verdicts,
};
use serde::Serialize;

use regtrace_render::{Diagram, DiagramOptions, Flow};

use crate::commands::{DataSource, parse_as_of, parse_words, resolve, resolve_all};
use crate::error::CliError;
use crate::output::{self, LangArg};

/// Formats of `impact` and `deps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReachFormat {
    /// Grouped by kind, each hit with its reason chain.
    Table,
    /// `{"changed"|"roots": [...], "impacted": [{"id", "kind", "distance", "path", ...}]}`.
    Json,
    /// One row per hit, with its path.
    Csv,
    /// A Graphviz digraph of the start nodes, the hits and the edges on their reason paths.
    Dot,
}

/// Options of `impact` and `deps`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReachArgs {
    /// Start node ids (case-sensitive).
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// List only nodes of this kind (repeatable); the traversal still passes through every kind.
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
    /// Follow at most this many hops.
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,
    /// Answer as of this date (YYYY-MM-DD): skip nodes not yet or no longer in force then,
    /// and superseded editions once their successor is in force. See docs/QUERIES.md.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReachFormat::Table)]
    pub format: ReachFormat,
    /// Language of titles in table, CSV and DOT output (JSON carries both).
    #[arg(long, value_enum, env = "REGTRACE_LANG")]
    pub lang: Option<LangArg>,
    /// List at most this many hits (the counts still cover all).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Print only the counts per kind.
    #[arg(long)]
    pub summary: bool,
}

/// The order kinds are listed in: what users review first.
const KIND_ORDER: &[NodeKind] = &[
    NodeKind::Guideline,
    NodeKind::EvaluationIndex,
    NodeKind::Device,
    NodeKind::EvaluationItem,
    NodeKind::TestMethod,
    NodeKind::Clause,
    NodeKind::Standard,
    NodeKind::StandardFamily,
    NodeKind::Regulation,
    NodeKind::Policy,
    NodeKind::Programme,
    NodeKind::Field,
    NodeKind::Organization,
    NodeKind::WorkingGroup,
];

fn kind_rank(kind: NodeKind) -> usize {
    KIND_ORDER
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KIND_ORDER.len())
}

/// One hit as printed in JSON: the output contract of `impact` and `deps`.
#[derive(Serialize)]
struct HitJson<'g> {
    id: &'g str,
    kind: &'static str,
    distance: u32,
    /// Ids from the start node to this one.
    path: Vec<&'g str>,
    /// The relation of each hop of `path`.
    relations: Vec<&'g str>,
    title: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_ja: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    /// Why the hit is probably unaffected (impact of a superseded edition whose clause the
    /// newer edition carries over); absent: it needs a full review.
    #[serde(skip_serializing_if = "Option::is_none")]
    probably_unaffected: Option<String>,
}

/// The JSON document of `impact` (`changed`) and `deps` (`roots`).
#[derive(Serialize)]
struct ReachJson<'g, 'c, H: Serialize> {
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<Vec<&'g str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roots: Option<Vec<&'g str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<String>,
    /// Hits listed (after --kind), before --limit.
    total: usize,
    /// Hits per kind (after --kind).
    counts: &'c BTreeMap<&'static str, usize>,
    /// Hits (after --kind) that are probably unaffected; absent when none are.
    #[serde(skip_serializing_if = "Option::is_none")]
    probably_unaffected: Option<usize>,
    /// Ordered by distance, then id; left out with --summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    impacted: Option<H>,
}

/// The hits of a JSON answer, built one at a time as they are written: a million-hit answer
/// never exists in memory whole.
struct HitsJson<'a, G: GraphView> {
    graph: &'a G,
    reach: &'a Reach,
    verdicts: &'a Verdicts,
    shown: &'a [&'a regtrace_core::Hit],
}

impl<G: GraphView> Serialize for HitsJson<'_, G> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.shown
                .iter()
                .map(|h| hit_json(self.graph, self.reach, self.verdicts, h.node, h.distance)),
        )
    }
}

impl<G: GraphView> HitsJson<'_, G> {
    /// Each relation's name as a JSON string, by relation id.
    fn relation_names(&self) -> Vec<Vec<u8>> {
        (0..self.graph.relation_count())
            .map(|r| {
                let mut name = Vec::new();
                let relation = regtrace_core::RelationId(r as u16);
                regtrace_core::text::push_json_str(&mut name, self.graph.relation_name(relation));
                name
            })
            .collect()
    }

    /// Appends `hit` as compact JSON: byte for byte what serde writes for its [`HitJson`] (a
    /// test holds the two equal), without building the record. At a million hits, serde's
    /// generic path, the two vectors of each path and the per-string checks were most of the
    /// cost of `impact --format json` (docs/PERFORMANCE.md). `path` is scratch space.
    fn push_hit(
        &self,
        out: &mut Vec<u8>,
        relations: &[Vec<u8>],
        path: &mut Vec<(NodeIx, Option<EdgeIx>)>,
        hit: &regtrace_core::Hit,
    ) {
        use regtrace_core::text::push_json_str;
        let graph = self.graph;
        let node = hit.node;
        out.extend_from_slice(b"{\"id\":");
        push_json_str(out, graph.id(node));
        out.extend_from_slice(b",\"kind\":");
        push_json_str(out, graph.kind(node).as_str());
        out.extend_from_slice(b",\"distance\":");
        // Writing to a Vec cannot fail; no String per hit.
        let _ = std::io::Write::write_fmt(out, format_args!("{}", hit.distance));
        path.clear();
        path.extend(self.reach.path_back(node));
        out.extend_from_slice(b",\"path\":[");
        for (i, (n, _)) in path.iter().rev().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_json_str(out, graph.id(*n));
        }
        out.extend_from_slice(b"],\"relations\":[");
        for (i, edge) in path.iter().rev().filter_map(|(_, e)| *e).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let relation = graph.ends(edge).relation;
            match relations.get(relation.0 as usize) {
                Some(name) => out.extend_from_slice(name),
                None => push_json_str(out, graph.relation_name(relation)),
            }
        }
        out.extend_from_slice(b"],\"title\":");
        push_json_str(out, graph.title(node));
        if let Some(title_ja) = graph.title_ja(node) {
            out.extend_from_slice(b",\"title_ja\":");
            push_json_str(out, title_ja);
        }
        if let Some(status) = graph.status(node) {
            out.extend_from_slice(b",\"status\":");
            push_json_str(out, status.as_str());
        }
        if let Some(unaffected) = self.verdicts.unaffected(node) {
            out.extend_from_slice(b",\"probably_unaffected\":");
            push_json_str(out, &unaffected.reason(graph));
        }
        out.push(b'}');
    }
}

/// Writes `document` with its hits as compact JSON, the hits formatted in parallel in chunks
/// and written in order: the same bytes as `text::write_json`, in a fraction of the time
/// for a million hits, and never more than a few chunks in memory.
fn write_compact_with_hits<G: GraphView + Sync, H: Serialize>(
    document: &ReachJson<'_, '_, H>,
    hits: &HitsJson<'_, G>,
) {
    use rayon::prelude::*;
    use std::io::Write;

    const CHUNK: usize = 4096;
    // `impacted` is the document's last field: write the rest, then the array in its place.
    let head = regtrace_core::text::json_string(document, false).into_bytes();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let mut write = || -> std::io::Result<()> {
        out.write_all(&head[..head.len().saturating_sub(1)])?;
        out.write_all(b",\"impacted\":[")?;
        let relations = hits.relation_names();
        let chunks: Vec<&[&regtrace_core::Hit]> = hits.shown.chunks(CHUNK).collect();
        let batch = 4 * rayon::current_num_threads().max(1);
        for (b, group) in chunks.chunks(batch).enumerate() {
            let texts: Vec<Vec<u8>> = group
                .par_iter()
                .map(|chunk| {
                    let mut text = Vec::with_capacity(chunk.len() * 192);
                    let mut path = Vec::new();
                    for (i, h) in chunk.iter().enumerate() {
                        if i > 0 {
                            text.push(b',');
                        }
                        hits.push_hit(&mut text, &relations, &mut path, h);
                    }
                    text
                })
                .collect();
            for (i, text) in texts.iter().enumerate() {
                if b > 0 || i > 0 {
                    out.write_all(b",")?;
                }
                out.write_all(text)?;
            }
        }
        out.write_all(b"]}\n")?;
        out.flush()
    };
    if write().is_err() {
        // The reader went away; nothing more to say, and no reason to fail.
    }
}

/// `regtrace impact` and `regtrace deps`.
///
/// With a database, the answer comes from its memory-mapped snapshot when it has a current one
/// (no node records are built); otherwise, and for DOT (which draws through the full graph),
/// from the graph loaded from the rows. Both give the same answer.
pub fn reach(source: &DataSource, args: &ReachArgs, direction: Direction) -> Result<(), CliError> {
    let kinds: Vec<NodeKind> = parse_words(&args.kind)?;
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let options = ReachOptions {
        max_depth: args.max_depth,
        as_of,
    };
    if args.format != ReachFormat::Dot
        && let Some(snapshot) = source.snapshot()?
        && let Ok(compact) = snapshot.graph()
    {
        return answer(&compact, args, direction, &kinds, &options);
    }
    let graph = source.graph()?;
    if args.format == ReachFormat::Dot {
        let roots = resolve_all(&graph, &args.ids)?;
        let reach = graph.reach(&roots, direction, &options);
        let shown = reach
            .hits
            .iter()
            .filter(|h| kinds.is_empty() || kinds.contains(&graph.node(h.node).kind))
            .take(args.limit.unwrap_or(usize::MAX))
            .map(|h| h.node);
        let subgraph = Subgraph::of_reach(&graph, &reach, shown);
        let options = DiagramOptions {
            lang: LangArg::resolve(args.lang),
            flow: Flow::RightToLeft,
            legend: false,
            ..DiagramOptions::default()
        };
        output::print(&Diagram::new(&graph, &subgraph, options).to_dot());
        return Ok(());
    }
    answer(&graph, args, direction, &kinds, &options)
}

/// The answer of `impact` or `deps` in table, JSON or CSV, from any graph view.
fn answer<G: GraphView + Sync>(
    graph: &G,
    args: &ReachArgs,
    direction: Direction,
    kinds: &[NodeKind],
    options: &ReachOptions,
) -> Result<(), CliError> {
    let roots = resolve_all(graph, &args.ids)?;
    let reach = regtrace_core::query::reach(graph, &roots, direction, options);
    let verdicts = regtrace_core::editions::verdicts(graph, &reach, options);
    let listed: Vec<&regtrace_core::Hit> = reach
        .hits
        .iter()
        .filter(|h| kinds.is_empty() || kinds.contains(&graph.kind(h.node)))
        .collect();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for hit in &listed {
        *counts.entry(graph.kind(hit.node).as_str()).or_default() += 1;
    }
    let unaffected = listed
        .iter()
        .filter(|h| verdicts.unaffected(h.node).is_some())
        .count();
    let shown = &listed[..args.limit.unwrap_or(usize::MAX).min(listed.len())];
    let lang = LangArg::resolve(args.lang);
    let root_ids: Vec<&str> = reach.roots.iter().map(|r| graph.id(*r)).collect();

    match args.format {
        ReachFormat::Json => {
            let ids = || Some(root_ids.clone());
            let hits = HitsJson {
                graph,
                reach: &reach,
                verdicts: &verdicts,
                shown,
            };
            let document = ReachJson {
                changed: (direction == Direction::Impact).then(ids).flatten(),
                roots: (direction == Direction::Dependencies).then(ids).flatten(),
                as_of: options.as_of.map(|d| d.to_string()),
                total: listed.len(),
                counts: &counts,
                probably_unaffected: (unaffected > 0).then_some(unaffected),
                impacted: None::<HitsJson<G>>,
            };
            if args.summary {
                output::write_json(&document);
            } else if output::pretty_json() {
                output::write_json(&ReachJson {
                    impacted: Some(hits),
                    ..document
                });
            } else {
                write_compact_with_hits(&document, &hits);
            }
        }
        ReachFormat::Csv => {
            let rows = shown.iter().map(|h| {
                let hit = hit_json(graph, &reach, &verdicts, h.node, h.distance);
                let mut row = vec![
                    hit.id.to_owned(),
                    hit.kind.to_owned(),
                    hit.distance.to_string(),
                    hit.title.to_owned(),
                    hit.title_ja.unwrap_or_default().to_owned(),
                    hit.status.unwrap_or_default().to_owned(),
                    hit.path.join(" > "),
                    hit.relations.join(" > "),
                ];
                if unaffected > 0 {
                    row.push(hit.probably_unaffected.unwrap_or_default());
                }
                row
            });
            let mut header = vec![
                "id",
                "kind",
                "distance",
                "title",
                "title_ja",
                "status",
                "path",
                "relations",
            ];
            if unaffected > 0 {
                header.push("probably_unaffected");
            }
            output::print(&output::csv_text(&header, rows));
        }
        ReachFormat::Dot => unreachable!("DOT is drawn from the full graph by `reach`"),
        ReachFormat::Table => {
            let mut text = String::new();
            if !args.summary {
                let heading = match direction {
                    Direction::Impact => "Impacted by a change to",
                    Direction::Dependencies => "Dependencies of",
                };
                let names: Vec<String> = reach
                    .roots
                    .iter()
                    .map(|r| format!("{} ({})", graph.id(*r), graph.title_in(*r, lang)))
                    .collect();
                text.push_str(&format!("{heading} {}", names.join(", ")));
                if let Some(date) = options.as_of {
                    text.push_str(&format!(", as of {date}"));
                }
                text.push_str(":\n");
                let mut by_kind: Vec<&&regtrace_core::Hit> = shown.iter().collect();
                by_kind.sort_by_key(|h| kind_rank(graph.kind(h.node)));
                let mut current = None;
                for hit in by_kind {
                    let kind = graph.kind(hit.node);
                    if current != Some(kind) {
                        current = Some(kind);
                        text.push_str(&format!("\n{} ({})\n", kind, counts[kind.as_str()]));
                    }
                    text.push_str(&format!(
                        "  {}  {}\n",
                        graph.id(hit.node),
                        graph.title_in(hit.node, lang)
                    ));
                    text.push_str(&format!("      {}\n", reason(graph, &reach, hit.node, lang)));
                    if let Some(u) = verdicts.unaffected(hit.node) {
                        text.push_str(&format!("      probably unaffected: {}\n", u.reason(graph)));
                    }
                }
                if shown.len() < listed.len() {
                    text.push_str(&format!(
                        "\n… {} more not shown (--limit {})\n",
                        listed.len() - shown.len(),
                        shown.len()
                    ));
                }
                text.push('\n');
            }
            let mut parts: Vec<(&'static str, usize)> = counts.iter().map(|(k, n)| (*k, *n)).collect();
            parts.sort_by_key(|(k, _)| kind_rank(k.parse().unwrap_or(NodeKind::WorkingGroup)));
            let parts: Vec<String> = parts.iter().map(|(k, n)| format!("{n} {k}")).collect();
            let verb = match direction {
                Direction::Impact => "impacted",
                Direction::Dependencies => "dependencies",
            };
            text.push_str(&format!(
                "{} {verb}{}{}",
                listed.len(),
                if parts.is_empty() { "" } else { ": " },
                parts.join(", ")
            ));
            if unaffected > 0 {
                text.push_str(&format!(
                    "; {unaffected} of them probably unaffected (a clause carried over equivalent_to)"
                ));
            }
            text.push('\n');
            output::print(&text);
        }
    }
    Ok(())
}

fn hit_json<'g, G: GraphView>(
    graph: &'g G,
    reach: &Reach,
    verdicts: &Verdicts,
    node: NodeIx,
    distance: u32,
) -> HitJson<'g> {
    let (nodes, edges) = reach.path(graph, node);
    HitJson {
        id: graph.id(node),
        kind: graph.kind(node).as_str(),
        distance,
        path: nodes.iter().map(|x| graph.id(*x)).collect(),
        relations: edges
            .iter()
            .map(|e| graph.relation_name(graph.ends(*e).relation))
            .collect(),
        title: graph.title(node),
        title_ja: graph.title_ja(node),
        status: graph.status(node).map(|s| s.as_str()),
        probably_unaffected: verdicts.unaffected(node).map(|u| u.reason(graph)),
    }
}

/// A node as it appears inside a reason chain: its title, with its date if the title lacks it.
fn chain_label<G: GraphView>(graph: &G, node: NodeIx, lang: Lang) -> String {
    let title = graph.title_in(node, lang);
    match graph.dates(node).iter().next() {
        Some((_, date)) if !title.contains(&date.to_string()) => format!("{title} ({date})"),
        _ => title.to_owned(),
    }
}

/// The reason of a hit as a readable chain. Impact reads back from the hit to the change
/// (`← governed_by ← law`, after the hit); dependencies read forward from the root's id to the
/// hit (`gl-1 → requires → item`).
fn reason<G: GraphView>(graph: &G, reach: &Reach, node: NodeIx, lang: Lang) -> String {
    let (nodes, edges) = reach.path(graph, node);
    let relation = |e: &EdgeIx| graph.relation_name(graph.ends(*e).relation);
    let mut text = String::new();
    match reach.direction() {
        Direction::Impact => {
            for (i, e) in edges.iter().enumerate().rev() {
                text.push_str(&format!(
                    "← {} ← {}",
                    relation(e),
                    chain_label(graph, nodes[i], lang)
                ));
                if i > 0 {
                    text.push(' ');
                }
            }
        }
        Direction::Dependencies => {
            text.push_str(graph.id(nodes[0]));
            for (i, e) in edges.iter().enumerate() {
                text.push_str(&format!(
                    " → {} → {}",
                    relation(e),
                    chain_label(graph, nodes[i + 1], lang)
                ));
            }
        }
    }
    text
}

/// `regtrace path`.
pub fn path(
    source: &DataSource,
    from: &str,
    to: &str,
    all: bool,
    max: usize,
    max_hops: usize,
    format: output::Format,
) -> Result<(), CliError> {
    let graph = source.graph()?;
    let (a, b) = (resolve(&graph, from)?, resolve(&graph, to)?);
    let paths: Vec<Vec<EdgeIx>> = if all {
        graph.all_paths(a, b, max_hops, max)
    } else {
        graph.shortest_path(a, b).into_iter().collect()
    };

    #[derive(Serialize)]
    struct Hop<'g> {
        from: &'g str,
        relation: &'g str,
        to: &'g str,
    }
    // Each path as its hops (edges as stored) and the nodes it walks through, from `from`.
    let walked: Vec<(Vec<Hop>, Vec<NodeIx>)> = paths
        .iter()
        .map(|edges| {
            let mut at = a;
            let mut nodes = vec![a];
            let hops = edges
                .iter()
                .map(|e| {
                    let link = graph.link(*e);
                    at = if link.from == at { link.to } else { link.from };
                    nodes.push(at);
                    Hop {
                        from: &graph.node(link.from).id,
                        relation: &graph.catalog().get(link.relation).name,
                        to: &graph.node(link.to).id,
                    }
                })
                .collect();
            (hops, nodes)
        })
        .collect();

    let text = match format {
        output::Format::Json => {
            #[derive(Serialize)]
            struct PathJson<'g> {
                nodes: Vec<&'g str>,
                hops: Vec<Hop<'g>>,
            }
            let paths: Vec<PathJson> = walked
                .into_iter()
                .map(|(hops, nodes)| PathJson {
                    nodes: nodes.iter().map(|n| graph.node(*n).id.as_str()).collect(),
                    hops,
                })
                .collect();
            output::json_text(&serde_json::json!({ "from": from, "to": to, "paths": paths }))
        }
        output::Format::Csv => output::csv_text(
            &["path", "step", "from", "relation", "to"],
            walked.iter().enumerate().flat_map(|(p, (hops, _))| {
                hops.iter().enumerate().map(move |(s, h)| {
                    vec![
                        (p + 1).to_string(),
                        (s + 1).to_string(),
                        h.from.to_owned(),
                        h.relation.to_owned(),
                        h.to.to_owned(),
                    ]
                })
            }),
        ),
        output::Format::Table => {
            if walked.is_empty() {
                format!(
                    "{from} and {to} are not connected{}\n",
                    if all {
                        format!(" within {max_hops} hops")
                    } else {
                        String::new()
                    }
                )
            } else {
                let mut text = String::new();
                for (hops, nodes) in &walked {
                    let mut line = graph.node(nodes[0]).id.clone();
                    for (hop, next) in hops.iter().zip(&nodes[1..]) {
                        let next_id = &graph.node(*next).id;
                        if hop.to == next_id.as_str() {
                            line.push_str(&format!(" —{}→ {next_id}", hop.relation));
                        } else {
                            line.push_str(&format!(" ←{}— {next_id}", hop.relation));
                        }
                    }
                    text.push_str(&format!("{line}   ({} hops)\n", hops.len()));
                }
                text
            }
        }
    };
    output::print(&text);
    Ok(())
}

/// `regtrace search`.
pub fn search(
    source: &DataSource,
    text: &str,
    kinds: &[String],
    limit: usize,
    view: &output::View,
) -> Result<(), CliError> {
    let kinds: Vec<NodeKind> = parse_words(kinds)?;
    let graph = source.graph()?;
    let found: Vec<(NodeIx, regtrace_core::search::Match)> = graph
        .search(text)
        .into_iter()
        .filter(|(n, _)| kinds.is_empty() || kinds.contains(&graph.node(*n).kind))
        .collect();
    let shown = &found[..limit.min(found.len())];
    let nodes: Vec<&regtrace_core::Node> = shown.iter().map(|(n, _)| graph.node(*n)).collect();
    let text = match view.format {
        output::Format::Json => {
            output::json_text(&serde_json::json!({ "query": text, "total": found.len(), "nodes": nodes }))
        }
        output::Format::Csv => output::nodes_csv(&nodes),
        output::Format::Table => {
            let mut table = output::table(&["id", "kind", "title"]);
            for n in &nodes {
                table.add_row(vec![n.id.as_str(), n.kind.as_str(), n.title_in(view.lang())]);
            }
            let more = if found.len() > shown.len() {
                format!(" ({} shown; --limit to see more)", shown.len())
            } else {
                String::new()
            };
            format!("{}{} found{more}\n", output::render_table(&table), found.len())
        }
    };
    output::print(&text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture(name: &str) -> regtrace_core::Graph {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(name);
        regtrace_source::load(&[path], None).expect("the fixture is valid")
    }

    /// The hand-written hit JSON is serde's, byte for byte: every hit of the impact and the
    /// dependencies of every node of the seed, the hostile fixture (quotes, controls, bidi
    /// overrides, formulas) and the editions fixture (probably-unaffected verdicts as of 2019).
    #[test]
    fn hits_written_by_hand_are_what_serde_writes() {
        let graphs = [
            (regtrace_source::embedded::seed().expect("seed"), None),
            (fixture("hostile"), None),
            (fixture("editions"), chrono::NaiveDate::from_ymd_opt(2019, 6, 1)),
        ];
        let mut compared = 0;
        let mut unaffected = 0;
        for (graph, as_of) in &graphs {
            let options = ReachOptions {
                max_depth: None,
                as_of: *as_of,
            };
            for root in 0..graph.node_count() {
                for direction in [Direction::Impact, Direction::Dependencies] {
                    let reach = graph.reach(&[NodeIx(root as u32)], direction, &options);
                    let verdicts = regtrace_core::editions::verdicts(graph, &reach, &options);
                    let shown: Vec<&regtrace_core::Hit> = reach.hits.iter().collect();
                    let hits = HitsJson {
                        graph,
                        reach: &reach,
                        verdicts: &verdicts,
                        shown: &shown,
                    };
                    let relations = hits.relation_names();
                    let mut path = Vec::new();
                    for hit in &shown {
                        let mut by_hand = Vec::new();
                        hits.push_hit(&mut by_hand, &relations, &mut path, hit);
                        let by_serde = hit_json(graph, &reach, &verdicts, hit.node, hit.distance);
                        unaffected += usize::from(by_serde.probably_unaffected.is_some());
                        assert_eq!(
                            String::from_utf8(by_hand).expect("UTF-8"),
                            regtrace_core::text::json_string(&by_serde, false)
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 200, "only {compared} hits compared");
        assert!(unaffected > 0, "no probably-unaffected hit compared");
    }
}
