//! The JSON document: the whole data set (catalog, nodes, edges) in one file, for scripts and
//! for lossless export and re-import.
//!
//! ```json
//! {"format": "regtrace", "version": 1,
//!  "relations": [{"name": "cites", "from": ["*"], "to": ["standard"], "impact": "to_source", ...}],
//!  "nodes": [{"id": "STD-1", "kind": "standard", "title": "...", ...}],
//!  "edges": [{"from": "GL-1", "to": "STD-1", "relation": "cites"}]}
//! ```
//! Node fields are those of the TOML format; `relations` is optional (the catalog in force is
//! used without it). Each element is written on a line of its own so exports diff well.

use std::collections::BTreeMap;
use std::sync::Arc;

use regtrace_core::diagnostics::LineIndex;
use regtrace_core::{Diagnostic, Diagnostics, EdgeList, Graph, Location, Node, RelationSpec, Subgraph};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::draft::{Field, NodeDraft, RawEdge};

/// The value of the `format` key.
pub const FORMAT: &str = "regtrace";
/// The document version this build writes (and the newest it reads). Version 2 added the
/// catalog's fingerprints, the data set's own audit rules and the kept history (`events`,
/// `reviews`), all optional; version 1 documents read as before.
pub const VERSION: u32 = 2;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document<'a> {
    format: String,
    version: u32,
    #[serde(borrow, default)]
    relations: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    nodes: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    edges: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    fingerprints: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    review_kinds: Option<Vec<String>>,
    #[serde(borrow, default)]
    audit_rules: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    events: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    reviews: Vec<&'a RawValue>,
}

/// An audit rules file carried by a document.
#[derive(serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    file: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    id: Option<String>,
    kind: Option<String>,
    title: Option<String>,
    title_ja: Option<String>,
    status: Option<String>,
    designation: Option<String>,
    edition: Option<String>,
    body: Option<String>,
    published: Option<String>,
    enacted: Option<String>,
    effective: Option<String>,
    withdrawn: Option<String>,
    source: Option<String>,
    #[serde(default, deserialize_with = "attributes_once")]
    attributes: BTreeMap<String, String>,
    /// `"deleted": true`: remove the stored node (`import --merge`).
    #[serde(default)]
    deleted: bool,
}

/// The `attributes` object, refusing a name given twice (serde_json would keep the last value
/// and drop the other without a word).
fn attributes_once<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    struct Once;
    impl<'de> serde::de::Visitor<'de> for Once {
        type Value = BTreeMap<String, String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of attribute names and text values")
        }
        fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
            let mut attributes = BTreeMap::new();
            while let Some((name, value)) = map.next_entry::<String, String>()? {
                if attributes.contains_key(&name) {
                    return Err(serde::de::Error::custom(format!(
                        "the attribute `{name}` is given twice; keep one of the two values"
                    )));
                }
                attributes.insert(name, value);
            }
            Ok(attributes)
        }
    }
    deserializer.deserialize_map(Once)
}

/// What a JSON document held besides its nodes and edges.
#[derive(Default)]
pub struct Read {
    /// The catalog entries the document carried, with their places.
    pub relations: Option<Vec<(Option<Location>, RelationSpec)>>,
    /// The catalog's fingerprints, if it carried them.
    pub fingerprints: Option<Vec<(Option<Location>, regtrace_core::fingerprint::FingerprintSpec)>>,
    /// The catalog's review kinds, if it stated them.
    pub review_kinds: Option<Vec<regtrace_core::NodeKind>>,
    /// The data set's own audit rules files, as (file, text).
    pub audit_rules: Vec<(String, String)>,
    /// The kept history, if it carried one (`events`, possibly empty).
    pub history: Option<regtrace_core::record::History>,
}

/// serde_json's message without the " at line L column C" it appends: the diagnostic carries
/// the place itself, counted in the whole file.
fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    }
}

/// Reads a JSON document, appending its nodes and edges and every problem found.
pub(crate) fn read(
    file: &Arc<str>,
    text: &str,
    nodes: &mut Vec<Node>,
    edges: &mut EdgeList,
    deleted: &mut crate::Deleted,
    diagnostics: &mut Diagnostics,
) -> Read {
    let none = Read::default;
    let lines = LineIndex::new(text);
    let at_offset = |offset: usize| {
        let (line, column) = lines.line_column(offset);
        Location::new(file.clone(), Some(line), Some(column))
    };
    // Where a borrowed element starts in the whole text.
    let at_raw = |raw: &RawValue| at_offset(raw.get().as_ptr() as usize - text.as_ptr() as usize);
    let problem = |at: Location, e: serde_json::Error, what: &str| {
        // serde_json counts lines and columns within the element; shift them to the file.
        let location = if e.line() <= 1 {
            Location::new(
                at.file.clone(),
                at.line,
                at.column.map(|c| c + e.column().saturating_sub(1) as u32),
            )
        } else {
            Location::new(
                at.file.clone(),
                at.line.map(|l| l + e.line() as u32 - 1),
                Some(e.column() as u32),
            )
        };
        Diagnostic::new(
            Some(location),
            format!("invalid {what}: {}", without_position(&e)),
        )
    };

    let shape = "a regtrace JSON document is {\"format\": \"regtrace\", \"version\": 1, \"nodes\": [...], \"edges\": [...]} (see `regtrace export --format json`)";
    let first = text.trim_start().chars().next();
    if first.is_some_and(|c| c != '{') {
        // A bare array or value: say what the file holds instead of serde's "expected a map".
        let offset = text.len() - text.trim_start().len();
        let what = if first == Some('[') {
            "an array"
        } else {
            "not an object"
        };
        diagnostics.push(
            Diagnostic::new(
                Some(at_offset(offset)),
                format!("the JSON document is {what}, not a regtrace document"),
            )
            .with_hint(shape),
        );
        return none();
    }
    let document: Document = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            let location = Location::new(
                file.clone(),
                Some(e.line().max(1) as u32),
                Some(e.column().max(1) as u32),
            );
            let message = if e.is_eof() {
                "the JSON document ends too early: is the file truncated?".to_owned()
            } else {
                format!("invalid JSON document: {}", without_position(&e))
            };
            diagnostics.push(Diagnostic::new(Some(location), message).with_hint(shape));
            return none();
        }
    };
    if document.format != FORMAT || !(1..=VERSION).contains(&document.version) {
        let key = if document.format != FORMAT {
            "\"format\""
        } else {
            "\"version\""
        };
        diagnostics.push(
            Diagnostic::new(
                Some(text.find(key).map_or_else(|| at_offset(0), at_offset)),
                format!(
                    "unsupported document format {:?} version {}",
                    document.format, document.version
                ),
            )
            .with_hint(format!(
                "this regtrace reads format \"{FORMAT}\" versions 1 to {VERSION}"
            )),
        );
        return none();
    }

    let relations = document.relations.map(|raws| {
        raws.into_iter()
            .filter_map(|raw| match serde_json::from_str::<RelationSpec>(raw.get()) {
                Ok(spec) => Some((Some(at_raw(raw)), spec)),
                Err(e) => {
                    diagnostics.push(problem(at_raw(raw), e, "relation").with_hint(
                        "a relation is {\"name\": …, \"description\": …, \"from\": [kinds], \"to\": [kinds], \"impact\": \"to_source\"|\"to_target\"|\"none\"} as `regtrace export` writes it",
                    ));
                    None
                }
            })
            .collect()
    });

    for raw in document.nodes {
        let at = at_raw(raw);
        if !raw.get().starts_with('{') {
            diagnostics.push(
                Diagnostic::new(Some(at), "a node must be a JSON object")
                    .with_hint("write each node as {\"id\": …, \"kind\": …, \"title\": …}"),
            );
            continue;
        }
        let node: RawNode = match serde_json::from_str(raw.get()) {
            Ok(n) => n,
            Err(e) => {
                diagnostics.push(
                    problem(at, e, "node")
                        .with_hint("a node has id, kind, title and the optional fields of the TOML format; attribute values are strings"),
                );
                continue;
            }
        };
        if node.deleted {
            match node.id {
                Some(id) => deleted.nodes.push((id, at)),
                None => diagnostics.push(
                    Diagnostic::new(Some(at), "missing required field `id`").with_hint(
                        "a node marked \"deleted\": true needs the `id` of the stored node to remove",
                    ),
                ),
            }
            continue;
        }
        let field = |v: Option<String>| v.map(|v| Field::new(v, at.clone()));
        let mut draft = NodeDraft::new(at.clone());
        draft.id = field(node.id);
        draft.kind = field(node.kind);
        draft.title = field(node.title);
        for (name, value) in [
            ("title_ja", node.title_ja),
            ("status", node.status),
            ("designation", node.designation),
            ("edition", node.edition),
            ("body", node.body),
            ("published", node.published),
            ("enacted", node.enacted),
            ("effective", node.effective),
            ("withdrawn", node.withdrawn),
            ("source", node.source),
        ] {
            if let Some(value) = field(value) {
                draft.set_known(name, value);
            }
        }
        draft.attributes = node.attributes;
        if let Some(node) = draft.finish(diagnostics) {
            nodes.push(node);
        }
    }

    for raw in document.edges {
        let at = at_raw(raw);
        if !raw.get().starts_with('{') {
            diagnostics.push(
                Diagnostic::new(Some(at), "an edge must be a JSON object")
                    .with_hint("write each edge as {\"from\": ID, \"to\": ID, \"relation\": NAME}"),
            );
            continue;
        }
        match serde_json::from_str::<RawEdge>(raw.get()) {
            Ok(e) => e.add_to(at, edges, deleted),
            Err(e) => diagnostics.push(
                problem(at, e, "edge").with_hint("an edge is {\"from\": ID, \"to\": ID, \"relation\": NAME}"),
            ),
        }
    }
    // The rest is read element by element, each problem with its place.
    let parse_all = |raws: Vec<&RawValue>| -> Vec<(Location, String)> {
        raws.into_iter()
            .map(|raw| (at_raw(raw), raw.get().to_owned()))
            .collect()
    };
    let fingerprints = document.fingerprints.map(|raws| {
        parse_all(raws)
            .into_iter()
            .filter_map(|(at, text)| match serde_json::from_str(&text) {
                Ok(spec) => Some((Some(at), spec)),
                Err(e) => {
                    diagnostics.push(problem(at, e, "fingerprint").with_hint(
                        "a fingerprint is {\"kind\": KIND, \"fields\": [FIELD, …]} as `regtrace export` writes it",
                    ));
                    None
                }
            })
            .collect()
    });
    let audit_rules = parse_all(document.audit_rules)
        .into_iter()
        .filter_map(|(at, text)| match serde_json::from_str::<RulesFile>(&text) {
            Ok(rules) => Some((rules.file, rules.text)),
            Err(e) => {
                diagnostics.push(
                    problem(at, e, "audit rules file")
                        .with_hint("an audit rules file is {\"file\": NAME, \"text\": TOML}"),
                );
                None
            }
        })
        .collect();
    let history = match document.events {
        None if document.reviews.is_empty() => None,
        events => {
            // Where each record's element starts, to name it (a decision: its review's).
            let mut event_at = std::collections::HashMap::new();
            let mut review_at = std::collections::HashMap::new();
            let events = parse_all(events.unwrap_or_default())
                .into_iter()
                .filter_map(|(at, text)| match serde_json::from_str::<regtrace_core::record::EventRecord>(&text) {
                    Ok(event) => {
                        event_at.entry(event.id).or_insert(at);
                        Some(event)
                    }
                    Err(e) => {
                        diagnostics.push(problem(at, e, "change event").with_hint(
                            "an event is {\"id\", \"node\", \"what\", \"date\", \"recorded_at\"} (and optional note, by) as `regtrace export` writes it",
                        ));
                        None
                    }
                })
                .collect();
            let reviews = parse_all(document.reviews)
                .into_iter()
                .filter_map(|(at, text)| match serde_json::from_str::<regtrace_core::record::ReviewRecord>(&text) {
                    Ok(review) => {
                        review_at.entry(review.id).or_insert(at);
                        Some(review)
                    }
                    Err(e) => {
                        diagnostics.push(problem(at, e, "review").with_hint(
                            "a review is {\"id\", \"event\", \"node\", \"distance\", \"path\", \"relations\", \"opened_at\"} (and optional probably_unaffected, decisions) as `regtrace export` writes it",
                        ));
                        None
                    }
                })
                .collect();
            let history = regtrace_core::record::History { events, reviews };
            for problem in crate::history_dir::check(&history, |place| {
                if place.hash.is_some() {
                    return Some(crate::history_dir::at_hash(file, text, place.hash.as_deref()));
                }
                match place.review {
                    Some(review) => review_at.get(&review).cloned(),
                    None => place.event.and_then(|e| event_at.get(&e).cloned()),
                }
            }) {
                diagnostics.push(problem);
            }
            Some(history)
        }
    };
    let review_kinds = document.review_kinds.and_then(|words| {
        match words.iter().map(|w| w.parse()).collect::<Result<Vec<_>, _>>() {
            Ok(kinds) => Some(kinds),
            Err(unknown) => {
                let place = text
                    .find("\"review_kinds\"")
                    .map_or_else(|| at_offset(0), at_offset);
                diagnostics.push(
                    Diagnostic::new(Some(place), format!("review_kinds: {unknown}"))
                        .with_hint("list node kinds, e.g. [\"guideline\", \"device\"]"),
                );
                None
            }
        }
    });
    Read {
        relations,
        fingerprints,
        review_kinds,
        audit_rules,
        history,
    }
}

/// Writes the whole graph (catalog, nodes, edges) as a JSON document, one element per line.
pub fn write(graph: &Graph, out: &mut impl std::io::Write) -> std::io::Result<()> {
    write_part(graph, &Subgraph::whole(graph), out)
}

/// What a document carries besides the catalog, nodes and edges.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    /// The data set's own audit rules, as (file, text).
    pub audit_rules: &'a [(String, String)],
    /// The kept history (with a database).
    pub history: Option<&'a regtrace_core::record::History>,
}

/// Writes part of a graph: the whole catalog (relations and fingerprints), the subgraph's nodes
/// and edges. The document imports like any other (every edge's ends are among its nodes).
pub fn write_part(graph: &Graph, part: &Subgraph, out: &mut impl std::io::Write) -> std::io::Result<()> {
    write_with(graph, part, Extras::default(), out)
}

/// [`write_part`] with the data set's own audit rules and its kept history: a whole data set as
/// a database holds it, which `import` restores into a new database.
pub fn write_with(
    graph: &Graph,
    part: &Subgraph,
    extras: Extras<'_>,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    /// One array of the document. Items are written to buffers a window at a time, the
    /// window's chunks in parallel (a million nodes or edges), then passed on in order: the
    /// same bytes as one by one, memory bounded by the window. Display-steering characters
    /// (bidi overrides, C1 controls) as \u escapes: the same text read back, harmless if the
    /// file is printed.
    fn section<'a, X: Sync, T: serde::Serialize>(
        out: &mut impl std::io::Write,
        name: &str,
        items: &'a [X],
        item: impl Fn(&'a X) -> T + Sync,
    ) -> std::io::Result<()> {
        use rayon::prelude::*;
        const CHUNK: usize = 4096;
        const WINDOW: usize = 64 * CHUNK;
        write!(out, ",\n\"{name}\": [")?;
        for (w, window) in items.chunks(WINDOW).enumerate() {
            let chunks: Vec<std::io::Result<Vec<u8>>> = window
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(c, chunk)| {
                    let mut buffer = Vec::with_capacity(chunk.len() * 128);
                    for (i, x) in chunk.iter().enumerate() {
                        let first = w == 0 && c == 0 && i == 0;
                        buffer.extend_from_slice(if first { b"\n  " } else { b",\n  " });
                        regtrace_core::text::write_json(&mut buffer, &item(x), false)?;
                    }
                    Ok(buffer)
                })
                .collect();
            for chunk in chunks {
                out.write_all(&chunk?)?;
            }
        }
        write!(out, "\n]")
    }
    write!(out, "{{\"format\": \"{FORMAT}\", \"version\": {VERSION}")?;
    section(out, "relations", graph.catalog().relations(), |r| r.to_spec())?;
    section(out, "fingerprints", graph.catalog().fingerprints().specs(), |f| f)?;
    if let Some(kinds) = graph.catalog().stated_review_kinds() {
        section(out, "review_kinds", kinds, |k| k.as_str())?;
    }
    section(out, "nodes", &part.nodes, |n| graph.node(*n))?;
    section(out, "edges", &part.edges, |e| graph.edge_ref(*e))?;
    if !extras.audit_rules.is_empty() {
        section(out, "audit_rules", extras.audit_rules, |(file, text)| RulesFile {
            file: file.clone(),
            text: text.clone(),
        })?;
    }
    if let Some(history) = extras.history {
        section(out, "events", &history.events, |e| e)?;
        section(out, "reviews", &history.reviews, |r| r)?;
    }
    writeln!(out, "\n}}")
}

/// The regtrace JSON document (`export --format json`): data, catalog, rules and history.
pub(crate) struct Json;

impl crate::format::Importer for Json {
    fn info(&self) -> &'static crate::format::Info {
        &crate::format::Info {
            name: "json",
            summary: "a regtrace JSON document from `export --format json`",
            extensions: &["json"],
            detected: true,
            empty_hint: "write the document with `regtrace export --format json`, or leave the file out",
        }
    }
    fn read(
        &self,
        file: &Arc<str>,
        bytes: crate::Bytes,
        into: &mut crate::Collected,
        diagnostics: &mut Diagnostics,
    ) {
        let bytes = bytes.into_vec();
        let Some(text) = crate::format::text(file, bytes, diagnostics) else {
            return;
        };
        let read = read(
            file,
            &text,
            &mut into.nodes,
            &mut into.edges,
            &mut into.deleted,
            diagnostics,
        );
        let fingerprints = read
            .fingerprints
            .map(regtrace_core::fingerprint::Fingerprints::from_specs)
            .transpose();
        match (
            read.relations.map(regtrace_core::RelationCatalog::from_specs),
            fingerprints,
        ) {
            (Some(Ok(catalog)), Ok(fingerprints)) => {
                let catalog = match fingerprints {
                    Some(fingerprints) => catalog.with_fingerprints(fingerprints),
                    None => catalog,
                };
                into.catalogs
                    .push((file.clone(), catalog.with_review_kinds(read.review_kinds)));
            }
            (Some(Err(problems)), _) | (_, Err(problems)) => diagnostics.extend(problems),
            (None, Ok(_)) => {}
        }
        into.rules.extend(
            read.audit_rules
                .into_iter()
                .map(|(f, t)| (Arc::from(f.as_str()), t)),
        );
        if let Some(history) = read.history {
            into.histories.push((file.clone(), history));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_problems_point_into_the_file() {
        let text = "{\"format\": \"regtrace\", \"version\": 1,\n\"nodes\": [\n  {\"id\": \"A\", \"kind\": \"devise\", \"title\": \"t\"},\n  {\"id\": \"B\", \"kind\": \"device\", \"titl\": \"t\"}\n],\n\"edges\": []}";
        let (mut nodes, mut edges, mut diagnostics) = (Vec::new(), EdgeList::new(), Diagnostics::default());
        read(
            &Arc::from("d.json"),
            text,
            &mut nodes,
            &mut edges,
            &mut crate::Deleted::default(),
            &mut diagnostics,
        );
        let problems: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(
            problems[0].starts_with("d.json:3:3: error: unknown kind \"devise\""),
            "{}",
            problems[0]
        );
        assert!(
            problems[1].starts_with("d.json:4:") && problems[1].contains("unknown field `titl`"),
            "{}",
            problems[1]
        );
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let (mut nodes, mut edges, mut diagnostics) = (Vec::new(), EdgeList::new(), Diagnostics::default());
        read(
            &Arc::from("d.json"),
            "{\"format\": \"regtrace\",\n \"version\": 1,,}",
            &mut nodes,
            &mut edges,
            &mut crate::Deleted::default(),
            &mut diagnostics,
        );
        let first = diagnostics.iter().next().unwrap().to_string();
        assert!(first.starts_with("d.json:2:"), "{first}");
    }
}
