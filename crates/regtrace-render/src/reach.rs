//! `impact` and `deps` answers: a table grouped by kind with each hit's reason chain, CSV, and
//! JSON (the output contract of both commands). A million-hit JSON answer is written in
//! parallel chunks, never whole in memory.

use std::collections::BTreeMap;
use std::io::Write;

use regtrace_app::reach::ReachAnswer;
use regtrace_core::{Chain, Direction, EdgeIx, GraphView, Hit, NodeIx, NodeKind, Reach, Verdicts};
use serde::Serialize;

use crate::doc::{Block, Doc, Line, Span, one};
use crate::escape::csv_text;
use crate::words::{Phrase, Word};

/// The order kinds are listed in: what users review first.
pub const KIND_ORDER: &[NodeKind] = &[
    NodeKind::Guideline,
    NodeKind::EvaluationIndex,
    NodeKind::Device,
    NodeKind::EvaluationItem,
    NodeKind::TestMethod,
    NodeKind::Requirement,
    NodeKind::Clause,
    NodeKind::Standard,
    NodeKind::StandardFamily,
    NodeKind::Regulation,
    NodeKind::Policy,
    NodeKind::Programme,
    NodeKind::Field,
    NodeKind::Organization,
    NodeKind::WorkingGroup,
    NodeKind::Section,
];

/// A kind's place in [`KIND_ORDER`].
pub fn kind_rank(kind: NodeKind) -> usize {
    KIND_ORDER
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KIND_ORDER.len())
}

/// The most hops of a reason path an answer spells out. A longer path keeps its last
/// `PATH_HOPS` hops and says how many came before (`elided`); the node where it is cut is a hit
/// of its own, whose path goes on. So an answer's size grows with its hits, not with the square
/// of the depth (a 100,000-link chain wrote 10 GB of JSON).
pub const PATH_HOPS: usize = 32;

/// One hit as printed in JSON: the output contract of `impact` and `deps`.
#[derive(Serialize)]
struct HitJson<'g> {
    id: &'g str,
    kind: &'static str,
    distance: u32,
    /// Ids from the start node to this one (from the node where the path is cut, when
    /// `elided`).
    path: Vec<&'g str>,
    /// The relation of each hop of `path`.
    relations: Vec<&'g str>,
    /// Hops left out before `path` (present only for paths longer than [`PATH_HOPS`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    elided: Option<u32>,
    #[serde(flatten)]
    titles: crate::json::Titles<'g>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    /// Why the hit is probably unaffected (impact of a superseded edition whose clause the
    /// newer edition carries over); absent: it needs a full review.
    #[serde(skip_serializing_if = "Option::is_none")]
    probably_unaffected: Option<String>,
    /// With `--causes`: every distinct chain from a start node to the hit, up to the bound
    /// asked, the one of `path` first.
    #[serde(skip_serializing_if = "Option::is_none")]
    causes: Option<Vec<CauseJson<'g>>>,
}

/// One cause chain of a hit.
#[derive(Serialize)]
struct CauseJson<'g> {
    path: Vec<&'g str>,
    relations: Vec<&'g str>,
    /// The chain in the reason-chain notation, from the hit back to its cause.
    #[serde(serialize_with = "as_text")]
    reason: Chain,
}

/// A chain as JSON: its text in the one notation.
fn as_text<S: serde::Serializer>(chain: &Chain, to: S) -> Result<S::Ok, S::Error> {
    to.collect_str(chain)
}

/// Every distinct cause chain of `hit`, at most `limit` (see [`regtrace_core::query::causes`]).
fn causes_json<'g, G: GraphView>(graph: &'g G, reach: &Reach, hit: &Hit, limit: usize) -> Vec<CauseJson<'g>> {
    regtrace_core::query::causes(graph, reach, hit.node, limit, PATH_HOPS)
        .into_iter()
        .map(|(nodes, edges)| {
            let mut back_nodes = nodes.clone();
            let mut back_edges = edges.clone();
            back_nodes.reverse();
            back_edges.reverse();
            CauseJson {
                path: nodes.iter().map(|n| graph.id(*n)).collect(),
                relations: edges
                    .iter()
                    .map(|e| graph.relation_name(graph.ends(*e).relation))
                    .collect(),
                reason: Chain::of_walk(graph, &back_nodes, &back_edges),
            }
        })
        .collect()
}

/// The last [`PATH_HOPS`] hops of a hit's reason path, as nodes from the first kept to the hit and
/// the edge of each hop, and how many hops came before.
fn kept_path(reach: &Reach, hit: &Hit) -> (Vec<NodeIx>, Vec<EdgeIx>, u32) {
    let back: Vec<(NodeIx, Option<EdgeIx>)> = reach.path_back(hit.node).take(PATH_HOPS + 1).collect();
    let nodes: Vec<NodeIx> = back.iter().rev().map(|(n, _)| *n).collect();
    let edges: Vec<EdgeIx> = back.iter().rev().skip(1).filter_map(|(_, e)| *e).collect();
    let elided = hit.distance.saturating_sub(edges.len() as u32);
    (nodes, edges, elided)
}

fn hit_json<'g, G: GraphView>(
    graph: &'g G,
    reach: &Reach,
    verdicts: &Verdicts,
    hit: &Hit,
    causes: Option<usize>,
) -> HitJson<'g> {
    let (nodes, edges, elided) = kept_path(reach, hit);
    HitJson {
        id: graph.id(hit.node),
        kind: graph.kind(hit.node).as_str(),
        distance: hit.distance,
        path: nodes.iter().map(|x| graph.id(*x)).collect(),
        relations: edges
            .iter()
            .map(|e| graph.relation_name(graph.ends(*e).relation))
            .collect(),
        elided: (elided > 0).then_some(elided),
        titles: crate::json::Titles {
            title: graph.title(hit.node),
            title_ja: graph.title_ja(hit.node),
        },
        status: graph.status(hit.node).map(|s| s.as_str()),
        probably_unaffected: verdicts.unaffected(hit.node).map(|u| u.reason(graph)),
        causes: causes.map(|limit| causes_json(graph, reach, hit, limit)),
    }
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
    /// With --as-of: the nodes met but not entered because they were not in force then.
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<Vec<SkippedJson>>,
    /// What the source says rests on a start node but the data does not name; absent when
    /// nothing is known to be missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    known_gaps: Vec<GapJson<'c>>,
    /// Ordered by distance, then id; left out with --summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    impacted: Option<H>,
}

/// A start node's known gap: `{"node": ID, "gap": TEXT}`.
#[derive(Serialize)]
struct GapJson<'a> {
    node: &'a str,
    gap: &'a str,
}

/// A node skipped as not in force on the date asked.
#[derive(Serialize)]
struct SkippedJson {
    id: String,
    kind: &'static str,
    reason: String,
}

fn skipped<G: GraphView>(answer: &ReachAnswer<G>) -> Vec<SkippedJson> {
    let graph = &answer.graph;
    answer
        .reach
        .skipped
        .iter()
        .map(|s| SkippedJson {
            id: graph.id(s.node).to_owned(),
            kind: graph.kind(s.node).as_str(),
            reason: s.why.describe(graph),
        })
        .collect()
}

/// The hits of a JSON answer, built one at a time as they are written.
struct HitsJson<'a, G: GraphView> {
    answer: &'a ReachAnswer<G>,
    causes: Option<usize>,
}

impl<G: GraphView> Serialize for HitsJson<'_, G> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let a = self.answer;
        serializer.collect_seq(
            a.shown()
                .iter()
                .map(|h| hit_json(&a.graph, &a.reach, &a.verdicts, h, self.causes)),
        )
    }
}

/// Each relation's name as a JSON string, by relation id.
fn relation_names<G: GraphView>(graph: &G) -> Vec<Vec<u8>> {
    (0..graph.relation_count())
        .map(|r| {
            let mut name = Vec::new();
            let relation = regtrace_core::RelationId(r as u16);
            regtrace_core::text::push_json_str(&mut name, graph.relation_name(relation));
            name
        })
        .collect()
}

/// Appends `hit` as compact JSON: byte for byte what serde writes for its [`HitJson`] (a test
/// holds the two equal), without building the record. At a million hits, serde's generic path,
/// the two vectors of each path and the per-string checks were most of the cost of
/// `impact --format json` (docs/PERFORMANCE.md). `path` is scratch space.
fn push_hit<G: GraphView>(
    out: &mut Vec<u8>,
    answer: &ReachAnswer<G>,
    relations: &[Vec<u8>],
    path: &mut Vec<(NodeIx, Option<EdgeIx>)>,
    hit: &Hit,
) {
    use regtrace_core::text::push_json_str;
    let graph = &answer.graph;
    let node = hit.node;
    out.extend_from_slice(b"{\"id\":");
    push_json_str(out, graph.id(node));
    out.extend_from_slice(b",\"kind\":");
    push_json_str(out, graph.kind(node).as_str());
    out.extend_from_slice(b",\"distance\":");
    // Writing to a Vec cannot fail; no String per hit.
    let _ = std::io::Write::write_fmt(out, format_args!("{}", hit.distance));
    path.clear();
    path.extend(answer.reach.path_back(node).take(PATH_HOPS + 1));
    out.extend_from_slice(b",\"path\":[");
    for (i, (n, _)) in path.iter().rev().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json_str(out, graph.id(*n));
    }
    out.extend_from_slice(b"],\"relations\":[");
    // The first node kept has no hop before it in the answer, whatever its own edge.
    let mut hops = 0u32;
    for (i, edge) in path.iter().rev().skip(1).filter_map(|(_, e)| *e).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        hops += 1;
        let relation = graph.ends(edge).relation;
        match relations.get(relation.0 as usize) {
            Some(name) => out.extend_from_slice(name),
            None => push_json_str(out, graph.relation_name(relation)),
        }
    }
    out.push(b']');
    let elided = hit.distance.saturating_sub(hops);
    if elided > 0 {
        let _ = std::io::Write::write_fmt(out, format_args!(",\"elided\":{elided}"));
    }
    out.extend_from_slice(b",\"title\":");
    push_json_str(out, graph.title(node));
    if let Some(title_ja) = graph.title_ja(node) {
        out.extend_from_slice(b",\"title_ja\":");
        push_json_str(out, title_ja);
    }
    if let Some(status) = graph.status(node) {
        out.extend_from_slice(b",\"status\":");
        push_json_str(out, status.as_str());
    }
    if let Some(unaffected) = answer.verdicts.unaffected(node) {
        out.extend_from_slice(b",\"probably_unaffected\":");
        push_json_str(out, &unaffected.reason(graph));
    }
    out.push(b'}');
}

/// Writes the answer as JSON to `out`: indented when `pretty`, else compact with the hits
/// formatted in parallel chunks and written in order (the same bytes serde writes, in a
/// fraction of the time for a million hits, and never more than a few chunks in memory).
/// With `summary`, the counts only.
pub fn write_json<G: GraphView>(
    out: &mut impl Write,
    answer: &ReachAnswer<G>,
    summary: bool,
    pretty: bool,
    causes: Option<usize>,
) -> std::io::Result<()> {
    let graph = &answer.graph;
    let root_ids: Vec<&str> = answer.reach.roots.iter().map(|r| graph.id(*r)).collect();
    let ids = || Some(root_ids.clone());
    let document = ReachJson {
        changed: (answer.direction == Direction::Impact).then(ids).flatten(),
        roots: (answer.direction == Direction::Dependencies).then(ids).flatten(),
        as_of: answer.options.as_of.map(|d| d.to_string()),
        total: answer.listed.len(),
        counts: &answer.counts,
        probably_unaffected: (answer.unaffected > 0).then_some(answer.unaffected),
        skipped: answer.options.as_of.map(|_| skipped(answer)),
        known_gaps: answer
            .known_gaps
            .iter()
            .map(|(node, gap)| GapJson { node, gap })
            .collect(),
        impacted: None::<HitsJson<G>>,
    };
    if summary {
        return crate::json::write(out, &document, pretty);
    }
    // The fast writer spells out one path per hit; the cause chains go through serde.
    if pretty || causes.is_some() {
        return crate::json::write(
            out,
            &ReachJson {
                impacted: Some(HitsJson { answer, causes }),
                ..document
            },
            pretty,
        );
    }
    write_compact_with_hits(out, &document, answer)
}

fn write_compact_with_hits<G: GraphView, H: Serialize>(
    out: &mut impl Write,
    document: &ReachJson<'_, '_, H>,
    answer: &ReachAnswer<G>,
) -> std::io::Result<()> {
    use rayon::prelude::*;

    const CHUNK: usize = 4096;
    // `impacted` is the document's last field: write the rest, then the array in its place.
    let head = regtrace_core::text::json_string(document, false).into_bytes();
    out.write_all(&head[..head.len().saturating_sub(1)])?;
    out.write_all(b",\"impacted\":[")?;
    let relations = relation_names(&answer.graph);
    let chunks: Vec<&[Hit]> = answer.shown().chunks(CHUNK).collect();
    let batch = 4 * rayon::current_num_threads().max(1);
    let format = |group: &[&[Hit]]| -> Vec<Vec<u8>> {
        group
            .par_iter()
            .map(|chunk| {
                let mut text = Vec::with_capacity(chunk.len() * 192);
                let mut path = Vec::new();
                for (i, h) in chunk.iter().enumerate() {
                    if i > 0 {
                        text.push(b',');
                    }
                    push_hit(&mut text, answer, &relations, &mut path, h);
                }
                text
            })
            .collect()
    };
    // Batches are formatted on every core by a thread of their own while this one writes the
    // batch before (the output need not be shareable between threads); one batch waits at
    // most, so a million hits are never all in memory.
    std::thread::scope(|scope| {
        let (send, batches) = std::sync::mpsc::sync_channel::<Vec<Vec<u8>>>(1);
        scope.spawn(move || {
            for group in chunks.chunks(batch) {
                if send.send(format(group)).is_err() {
                    return; // The writer stopped (a write failed).
                }
            }
        });
        let mut first = true;
        for texts in batches {
            for text in &texts {
                if !std::mem::take(&mut first) {
                    out.write_all(b",")?;
                }
                out.write_all(text)?;
            }
        }
        Ok::<(), std::io::Error>(())
    })?;
    out.write_all(b"]}\n")
}

/// The hits as a document table (for the report): kind, id, titles, hops and the reason chain,
/// in the one chain notation ([`Chain`]): from the hit back to its cause, each hop as stored.
pub fn hits_table<G: GraphView>(answer: &ReachAnswer<G>) -> crate::doc::Table {
    let mut table = crate::doc::Table::new(&[Word::Kind, Word::Id, Word::Title, Word::Hops, Word::Reason])
        .numbers(&[Word::Hops]);
    for hit in answer.shown() {
        table.row(hit_row(answer, hit).into());
    }
    table
}

/// One hit's cells: kind, id, titles, hops, and its reason chain from the hit back to its cause
/// (with the hops left out, and why it is probably unaffected).
fn hit_row<G: GraphView>(answer: &ReachAnswer<G>, hit_at: &Hit) -> [Line; 5] {
    let hit = hit_json(&answer.graph, &answer.reach, &answer.verdicts, hit_at, None);
    let (mut nodes, mut edges, elided) = kept_path(&answer.reach, hit_at);
    nodes.reverse();
    edges.reverse();
    let mut reason = one(Span::Chain(Chain::of_walk(&answer.graph, &nodes, &edges)));
    if elided > 0 {
        reason.push(Span::Phrase(Phrase::MoreHops(elided as usize)));
    }
    if let Some(why) = hit.probably_unaffected.as_deref() {
        reason.extend([
            Span::text("\n"),
            Span::Say(Word::ProbablyUnaffected),
            Span::text(format!(": {why}")),
        ]);
    }
    [
        one(Span::Kind(answer.graph.kind(hit_at.node))),
        one(Span::node(hit.id)),
        one(Span::titles(hit.titles.title, hit.titles.title_ja)),
        one(Span::Count(hit.distance as usize)),
        reason,
    ]
}

/// The hits as a table: one row per hit with its id, kind, distance, titles, status, path and
/// relations (and, when any hit is probably unaffected, why). CSV and XLSX write this table.
fn rows<G: GraphView>(answer: &ReachAnswer<G>) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let with_verdicts = answer.unaffected > 0;
    let rows = answer
        .shown()
        .iter()
        .map(|h| {
            let hit = hit_json(&answer.graph, &answer.reach, &answer.verdicts, h, None);
            let mut row = vec![
                hit.id.to_owned(),
                hit.kind.to_owned(),
                hit.distance.to_string(),
                hit.titles.title.to_owned(),
                hit.titles.title_ja.unwrap_or_default().to_owned(),
                hit.status.unwrap_or_default().to_owned(),
                match hit.elided {
                    Some(_) => format!("… > {}", hit.path.join(" > ")),
                    None => hit.path.join(" > "),
                },
                match hit.elided {
                    Some(_) => format!("… > {}", hit.relations.join(" > ")),
                    None => hit.relations.join(" > "),
                },
            ];
            if with_verdicts {
                row.push(hit.probably_unaffected.unwrap_or_default());
            }
            row
        })
        .collect();
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
    if with_verdicts {
        header.push("probably_unaffected");
    }
    (header, rows)
}

/// The hits as CSV, one row per hit (see [`rows`]).
pub fn csv<G: GraphView>(answer: &ReachAnswer<G>) -> String {
    let (header, rows) = rows(answer);
    csv_text(&header, rows)
}

/// The hits as an Excel workbook: a sheet `impact` (or `dependencies`) with the rows of the
/// CSV, every cell text, never a formula.
pub fn xlsx<G: GraphView>(answer: &ReachAnswer<G>, out: impl Write + Send) -> std::io::Result<()> {
    let (header, rows) = rows(answer);
    let name = match answer.direction {
        Direction::Impact => "impact",
        Direction::Dependencies => "dependencies",
    };
    let mut workbook = rust_xlsxwriter::Workbook::new();
    // The distance is a number (to sort and filter by); the rest text.
    use crate::workbook::Cell::{Number, Text};
    crate::workbook::typed_sheet(&mut workbook, name, &header, &[Text, Text, Number], &rows)
        .and_then(|()| workbook.save_to_writer(out))
        .map_err(|error| match error {
            rust_xlsxwriter::XlsxError::IoError(e) => e,
            other => std::io::Error::other(other),
        })
}

/// For people: the hits grouped by kind, each with its title and reason chain, then the counts
/// (with `summary`, the counts only).
pub fn document<G: GraphView>(answer: &ReachAnswer<G>, summary: bool, causes: Option<usize>) -> Doc {
    let graph = &answer.graph;
    let mut blocks = Vec::new();
    if !summary {
        let mut heading = one(Span::Say(match answer.direction {
            Direction::Impact => Word::ImpactedBy,
            Direction::Dependencies => Word::DependenciesOf,
        }));
        for (i, root) in answer.reach.roots.iter().enumerate() {
            heading.push(Span::text(if i == 0 { " " } else { ", " }));
            heading.push(Span::node(graph.id(*root)));
            heading.push(Span::text(" ("));
            heading.push(Span::titles(graph.title(*root), graph.title_ja(*root)));
            heading.push(Span::text(")"));
        }
        if let Some(date) = answer.options.as_of {
            heading.extend([Span::Say(Word::AsOf), Span::text(format!(" {date}"))]);
        }
        heading.push(Span::text(":"));
        blocks.push(Block::Para(heading));
        let mut by_kind: Vec<&Hit> = answer.shown().iter().collect();
        by_kind.sort_by_key(|h| kind_rank(graph.kind(h.node)));
        let mut items = Vec::new();
        let mut current = None;
        for hit in by_kind {
            let kind = graph.kind(hit.node);
            if current != Some(kind) {
                if !items.is_empty() {
                    blocks.push(Block::List(std::mem::take(&mut items)));
                }
                current = Some(kind);
                blocks.push(Block::Heading(vec![
                    Span::Kind(kind),
                    Span::Phrase(Phrase::Counted(answer.counts[kind.as_str()])),
                ]));
            }
            let (mut nodes, mut edges, elided) = kept_path(&answer.reach, hit);
            nodes.reverse();
            edges.reverse();
            let chain = Chain::of_walk(graph, &nodes, &edges);
            let mut lines = vec![
                vec![
                    Span::node(graph.id(hit.node)),
                    Span::text("  "),
                    Span::titles(graph.title(hit.node), graph.title_ja(hit.node)),
                ],
                one(Span::Chain(chain)),
            ];
            if elided > 0 {
                lines[1].push(Span::Phrase(Phrase::MoreHops(elided as usize)));
            }
            if let Some(u) = answer.verdicts.unaffected(hit.node) {
                lines.push(vec![
                    Span::Say(Word::ProbablyUnaffected),
                    Span::text(": "),
                    Span::Phrase(Phrase::Unaffected {
                        clause: graph.id(u.clause).to_owned(),
                        edition: graph.id(u.edition).to_owned(),
                        counterpart: graph.id(u.counterpart).to_owned(),
                    }),
                ]);
            }
            if let Some(limit) = causes {
                for cause in causes_json(graph, &answer.reach, hit, limit).iter().skip(1) {
                    lines.push(vec![
                        Span::Say(Word::Also),
                        Span::text(": "),
                        Span::Chain(cause.reason.clone()),
                    ]);
                }
            }
            items.push(lines);
        }
        if !items.is_empty() {
            blocks.push(Block::List(items));
        }
        if answer.shown < answer.listed.len() {
            blocks.push(Block::Para(one(Span::Phrase(Phrase::MoreNotShown {
                more: answer.listed.len() - answer.shown,
                shown: answer.shown,
            }))));
        }
    }
    let mut kinds: Vec<(NodeKind, usize)> = answer
        .counts
        .iter()
        .filter_map(|(k, n)| k.parse().ok().map(|k| (k, *n)))
        .collect();
    kinds.sort_by_key(|(k, _)| kind_rank(*k));
    blocks.push(Block::Para(one(Span::Phrase(Phrase::Reached {
        impact: answer.direction == Direction::Impact,
        total: answer.listed.len(),
        kinds,
        unaffected: answer.unaffected,
    }))));
    blocks.extend(notes(answer, false));
    Doc {
        title: Vec::new(),
        blocks,
    }
}

/// What an answer says beside its hits: each start node's known gap, and what was not followed
/// for not being in force on the day asked (in one sentence, or with `listed` one item each).
fn notes<G: GraphView>(answer: &ReachAnswer<G>, listed: bool) -> Vec<Block> {
    let mut blocks: Vec<Block> = answer
        .known_gaps
        .iter()
        .map(|(node, gap)| {
            Block::Para(vec![
                Span::Say(Word::KnownGap),
                Span::text(" ("),
                Span::node(node),
                Span::text("): "),
                Span::text(gap),
            ])
        })
        .collect();
    if let Some(date) = answer.options.as_of {
        let skipped: Vec<(String, String)> = skipped(answer).into_iter().map(|s| (s.id, s.reason)).collect();
        if listed && !skipped.is_empty() {
            blocks.push(Block::Para(vec![
                Span::Say(Word::NotFollowed),
                Span::Phrase(Phrase::Counted(skipped.len())),
            ]));
            let items = skipped
                .into_iter()
                .map(|(id, why)| vec![vec![Span::Node(id), Span::text(": "), Span::Text(why)]])
                .collect();
            blocks.push(Block::List(items));
        } else if let Some(said) = crate::history::skipped(&skipped, &date.to_string()) {
            blocks.push(Block::Para(one(Span::Phrase(said))));
        }
    }
    blocks
}

/// A page of hits (the web explorer's): the notes of [`notes`], then the shown hits grouped by
/// kind, each kind a heading and a table of id, titles, hops and reason chain.
pub fn page_document<G: GraphView>(answer: &ReachAnswer<G>) -> Doc {
    let graph = &answer.graph;
    let mut blocks = notes(answer, true);
    let mut shown: Vec<&Hit> = answer.shown().iter().collect();
    // Stable: within a kind, hits stay by distance then id.
    shown.sort_by_key(|h| kind_rank(graph.kind(h.node)));
    for group in shown.chunk_by(|a, b| graph.kind(a.node) == graph.kind(b.node)) {
        let kind = graph.kind(group[0].node);
        blocks.push(Block::Heading(vec![
            Span::Kind(kind),
            Span::Phrase(Phrase::Counted(answer.counts[kind.as_str()])),
        ]));
        let mut table =
            crate::doc::Table::new(&[Word::Id, Word::Title, Word::Hops, Word::Reason]).numbers(&[Word::Hops]);
        for hit in group {
            let [_kind, id, titles, hops, reason] = hit_row(answer, hit);
            table.row(vec![id, titles, hops, reason]);
        }
        blocks.push(Block::Table(table));
    }
    Doc::of(blocks)
}

/// For people, on a terminal: see [`document`].
pub fn table<G: GraphView>(
    answer: &ReachAnswer<G>,
    options: crate::doc::terminal::Options,
    summary: bool,
    causes: Option<usize>,
) -> String {
    crate::doc::terminal::write(&document(answer, summary, causes), options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use regtrace_app::reach::{ReachRequest, answer};
    use regtrace_core::ReachOptions;
    use std::path::PathBuf;

    fn fixture(name: &str) -> regtrace_core::Graph {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(name);
        regtrace_source::load(&[path], None).expect("the fixture is valid")
    }

    /// Standards S0 to S`last`, each S`i` after S0 citing S`cited(i)`.
    fn standards(last: usize, cited: impl Fn(usize) -> usize) -> regtrace_core::Graph {
        let ids: Vec<String> = (0..=last).map(|i| format!("S{i}")).collect();
        let nodes = ids
            .iter()
            .map(|id| regtrace_core::Node::new(id.as_str(), regtrace_core::NodeKind::Standard, id.as_str()))
            .collect();
        let edges: Vec<regtrace_core::Edge> = (1..=last)
            .map(|i| regtrace_core::Edge::new(ids[i].as_str(), "cites", ids[cited(i)].as_str()))
            .collect();
        regtrace_core::Graph::build(regtrace_source::embedded::catalog(), nodes, edges)
            .expect("a valid graph")
    }

    /// What a change to S0 impacts.
    fn impact_of_s0(graph: &regtrace_core::Graph) -> regtrace_app::reach::ReachAnswer<&regtrace_core::Graph> {
        let request = ReachRequest {
            ids: vec!["S0".into()],
            direction: Direction::Impact,
            kinds: vec![],
            options: ReachOptions::default(),
            limit: None,
            offset: 0,
        };
        answer(graph, &request).expect("S0 exists")
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
            for root in 0..graph.node_count() {
                for direction in [Direction::Impact, Direction::Dependencies] {
                    let request = ReachRequest {
                        ids: vec![graph.node(NodeIx(root as u32)).id.clone()],
                        direction,
                        kinds: vec![],
                        options: ReachOptions {
                            max_depth: None,
                            as_of: *as_of,
                            ..Default::default()
                        },
                        limit: None,
                        offset: 0,
                    };
                    let a = answer(graph, &request).expect("the id exists");
                    let relations = relation_names(&a.graph);
                    let mut path = Vec::new();
                    for hit in a.shown() {
                        let mut by_hand = Vec::new();
                        push_hit(&mut by_hand, &a, &relations, &mut path, hit);
                        let by_serde = hit_json(&a.graph, &a.reach, &a.verdicts, hit, None);
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
        // A chain longer than the paths spelled out: hits near the end are cut, and still the same.
        let n = PATH_HOPS * 3;
        let chain = standards(n - 1, |i| i - 1);
        let a = impact_of_s0(&chain);
        let relations = relation_names(&a.graph);
        let mut path = Vec::new();
        let mut cut = 0;
        for hit in a.shown() {
            let mut by_hand = Vec::new();
            push_hit(&mut by_hand, &a, &relations, &mut path, hit);
            let by_serde = hit_json(&a.graph, &a.reach, &a.verdicts, hit, None);
            assert!(by_serde.path.len() <= PATH_HOPS + 1);
            cut += usize::from(by_serde.elided.is_some());
            assert_eq!(
                String::from_utf8(by_hand).expect("UTF-8"),
                regtrace_core::text::json_string(&by_serde, false)
            );
        }
        assert_eq!(cut, n - 1 - PATH_HOPS);
        assert!(unaffected > 0, "no probably-unaffected hit compared");
    }

    /// The compact document, its hits formatted in batches on other threads while earlier ones
    /// are written, holds the same JSON as serde's indented one, across many batches.
    #[test]
    fn a_large_answer_written_in_batches_is_serdes_document() {
        let n = 9 * 4096 * rayon::current_num_threads().max(1) + 77;
        // Every other standard cites S0, the rest cite the one before them: two distances.
        let graph = standards(n, |i| if i % 2 == 1 { 0 } else { i - 1 });
        let a = impact_of_s0(&graph);
        assert_eq!(a.shown().len(), n);
        let (mut fast, mut pretty) = (Vec::new(), Vec::new());
        write_json(&mut fast, &a, false, false, None).expect("written");
        write_json(&mut pretty, &a, false, true, None).expect("written");
        assert_eq!(fast.iter().filter(|&&b| b == b'\n').count(), 1, "one line");
        let value = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).expect("JSON");
        assert_eq!(value(&fast), value(&pretty));

        // A write that fails (a closed pipe) stops the formatting thread instead of leaving it
        // waiting: the error comes back.
        struct Closes(usize);
        impl Write for Closes {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                if self.0 < buf.len() {
                    return Err(std::io::ErrorKind::BrokenPipe.into());
                }
                self.0 -= buf.len();
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let failed = write_json(&mut Closes(fast.len() / 3), &a, false, false, None);
        assert_eq!(failed.map_err(|e| e.kind()), Err(std::io::ErrorKind::BrokenPipe));
    }
}
