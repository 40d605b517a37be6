//! `diff OLD NEW`: what changed between two versions of a data set, and with `--impact`, what
//! those changes impact together.

use std::collections::BTreeMap;
use std::path::Path;

use regtrace_core::diff::{self, Diff, DiffImpact};
use regtrace_core::{EdgeIx, Graph, NodeIx, NodeKind, ReachOptions};
use regtrace_source::git::{GitSource, load_git};
use regtrace_store::Store;
use serde::Serialize;

use crate::commands::{DataSource, parse_as_of, parse_words};
use crate::error::CliError;
use crate::output;

/// Options of `diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// The old side: a data directory or file, a database, or `git:REV:PATH`.
    pub old: String,
    /// The new side: a data directory or file, a database, or `git:REV:PATH`.
    pub new: String,
    /// Also list what the changes impact together: from every node whose content changed
    /// (its kind's fingerprint fields, whitespace-insensitive), every added node, the dependent
    /// end of every added or removed link, and every removed node (traced in the old data).
    #[arg(long)]
    pub impact: bool,
    /// With --impact: answer as of this date (YYYY-MM-DD), as `impact --as-of` does.
    #[arg(long, value_name = "DATE", requires = "impact")]
    pub as_of: Option<String>,
    /// With --impact: list only impacted nodes of this kind (repeatable).
    #[arg(long, value_name = "KIND", requires = "impact")]
    pub kind: Vec<String>,
    /// Output format (csv is not offered: the answer has several parts).
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
}

/// Formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Sections for people.
    Table,
    /// One JSON document, for scripts.
    Json,
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// Loads one side: git revision, database (by its file header), or source files.
fn load_side(source: &DataSource, spec: &str) -> Result<Graph, CliError> {
    if let Some(git) = GitSource::parse(spec) {
        let git = git.map_err(|d| CliError::Invalid(regtrace_core::Diagnostics(vec![d])))?;
        return load_git(&git, source.catalog()?).map_err(CliError::Invalid);
    }
    let path = Path::new(spec);
    let is_database = path.is_file()
        && std::fs::File::open(path)
            .and_then(|mut f| {
                let mut head = [0u8; 16];
                std::io::Read::read_exact(&mut f, &mut head).map(|()| head)
            })
            .is_ok_and(|head| head == SQLITE_MAGIC);
    if is_database {
        Ok(Store::open(path)?.load()?)
    } else {
        regtrace_source::load(&[path.to_path_buf()], source.catalog()?).map_err(CliError::Invalid)
    }
}

#[derive(Serialize)]
struct NodeJson<'g> {
    id: &'g str,
    kind: &'static str,
    title: &'g str,
}

fn node_json(graph: &Graph, n: NodeIx) -> NodeJson<'_> {
    let node = graph.node(n);
    NodeJson {
        id: &node.id,
        kind: node.kind.as_str(),
        title: &node.title,
    }
}

#[derive(Serialize)]
struct FieldJson<'d> {
    field: &'d str,
    old: Option<&'d str>,
    new: Option<&'d str>,
    whitespace_only: bool,
}

#[derive(Serialize)]
struct ChangedJson<'g> {
    id: &'g str,
    kind: &'static str,
    /// The kind's fingerprint differs: the change counts for --impact and review.
    content_changed: bool,
    fields: Vec<FieldJson<'g>>,
}

#[derive(Serialize)]
struct EdgeJson<'g> {
    from: &'g str,
    relation: &'g str,
    to: &'g str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'g str>,
}

fn edge_json(graph: &Graph, e: EdgeIx) -> EdgeJson<'_> {
    let link = graph.link(e);
    EdgeJson {
        from: &graph.node(link.from).id,
        relation: &graph.catalog().get(link.relation).name,
        to: &graph.node(link.to).id,
        source: link.source.as_deref(),
    }
}

#[derive(Serialize)]
struct RootJson<'a> {
    id: &'a str,
    causes: Vec<String>,
}

#[derive(Serialize)]
struct HitJson<'a> {
    id: &'a str,
    kind: &'static str,
    distance: u32,
    path: &'a [String],
    relations: &'a [String],
    /// The reason path runs through the old data (a removed node or link).
    in_old: bool,
}

#[derive(Serialize)]
struct ImpactJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<String>,
    changed: Vec<RootJson<'a>>,
    total: usize,
    counts: BTreeMap<&'static str, usize>,
    impacted: Vec<HitJson<'a>>,
}

#[derive(Serialize)]
struct DiffJson<'a> {
    old: &'a str,
    new: &'a str,
    identical: bool,
    added: Vec<NodeJson<'a>>,
    removed: Vec<NodeJson<'a>>,
    changed: Vec<ChangedJson<'a>>,
    edges_added: Vec<EdgeJson<'a>>,
    edges_removed: Vec<EdgeJson<'a>>,
    /// Links on both sides whose provenance changed (shown with the new source).
    edges_changed: Vec<EdgeJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    impact: Option<ImpactJson<'a>>,
}

/// `regtrace diff`.
pub fn diff(source: &DataSource, args: &DiffArgs) -> Result<(), CliError> {
    let kinds: Vec<NodeKind> = parse_words(&args.kind)?;
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let old = load_side(source, &args.old)?;
    let new = load_side(source, &args.new)?;
    let d: Diff = diff::diff(&old, &new);
    let impact: Option<DiffImpact> = args.impact.then(|| {
        diff::impact(
            &old,
            &new,
            &d,
            &ReachOptions {
                max_depth: None,
                as_of,
            },
        )
    });
    let listed: Vec<&diff::DiffHit> = impact
        .iter()
        .flat_map(|i| &i.hits)
        .filter(|h| kinds.is_empty() || kinds.contains(&h.kind))
        .collect();

    let document = DiffJson {
        old: &args.old,
        new: &args.new,
        identical: d.is_empty(),
        added: d.added.iter().map(|n| node_json(&new, *n)).collect(),
        removed: d.removed.iter().map(|n| node_json(&old, *n)).collect(),
        changed: d
            .changed
            .iter()
            .map(|c| ChangedJson {
                id: &new.node(c.node).id,
                kind: new.node(c.node).kind.as_str(),
                content_changed: c.content_changed,
                fields: c
                    .fields
                    .iter()
                    .map(|f| FieldJson {
                        field: &f.field,
                        old: f.old.as_deref(),
                        new: f.new.as_deref(),
                        whitespace_only: f.whitespace_only,
                    })
                    .collect(),
            })
            .collect(),
        edges_added: d.edges_added.iter().map(|e| edge_json(&new, *e)).collect(),
        edges_removed: d.edges_removed.iter().map(|e| edge_json(&old, *e)).collect(),
        edges_changed: d.edges_changed.iter().map(|(_, e)| edge_json(&new, *e)).collect(),
        impact: impact.as_ref().map(|i| {
            let mut counts = BTreeMap::new();
            for hit in &listed {
                *counts.entry(hit.kind.as_str()).or_default() += 1;
            }
            ImpactJson {
                as_of: as_of.map(|d| d.to_string()),
                changed: i
                    .roots
                    .iter()
                    .map(|(id, causes)| RootJson {
                        id,
                        causes: causes.iter().map(|c| c.describe()).collect(),
                    })
                    .collect(),
                total: listed.len(),
                counts,
                impacted: listed
                    .iter()
                    .map(|h| HitJson {
                        id: &h.id,
                        kind: h.kind.as_str(),
                        distance: h.distance,
                        path: &h.path,
                        relations: &h.relations,
                        in_old: h.in_old,
                    })
                    .collect(),
            }
        }),
    };

    let text = match args.format {
        DiffFormat::Json => output::json_text(&document),
        DiffFormat::Table => table(&document),
    };
    output::print(&text);
    Ok(())
}

fn table(d: &DiffJson) -> String {
    let mut text = format!("Comparing {} → {}\n", d.old, d.new);
    if d.identical {
        text.push_str("identical: no differences\n");
        return text;
    }
    let shown = |v: Option<&str>| v.map_or("(unset)".to_owned(), |v| format!("{v:?}"));
    if !d.added.is_empty() {
        text.push_str(&format!("\nAdded ({}):\n", d.added.len()));
        for n in &d.added {
            text.push_str(&format!("  + {}  {}  {}\n", n.id, n.kind, n.title));
        }
    }
    if !d.removed.is_empty() {
        text.push_str(&format!("\nRemoved ({}):\n", d.removed.len()));
        for n in &d.removed {
            text.push_str(&format!("  - {}  {}  {}\n", n.id, n.kind, n.title));
        }
    }
    if !d.changed.is_empty() {
        text.push_str(&format!("\nChanged ({}):\n", d.changed.len()));
        for c in &d.changed {
            let note = if c.content_changed {
                ""
            } else {
                "  (no field of its fingerprint changed: not a content change)"
            };
            text.push_str(&format!("  ~ {}  {}{note}\n", c.id, c.kind));
            for f in &c.fields {
                let ws = if f.whitespace_only {
                    "  (whitespace only)"
                } else {
                    ""
                };
                text.push_str(&format!(
                    "      {}: {} → {}{ws}\n",
                    f.field,
                    shown(f.old),
                    shown(f.new)
                ));
            }
        }
    }
    for (title, sign, edges) in [
        ("Links added", "+", &d.edges_added),
        ("Links removed", "-", &d.edges_removed),
        ("Links with a new source", "~", &d.edges_changed),
    ] {
        if !edges.is_empty() {
            text.push_str(&format!("\n{title} ({}):\n", edges.len()));
            for e in edges.iter() {
                text.push_str(&format!("  {sign} {} {} {}\n", e.from, e.relation, e.to));
            }
        }
    }
    let content = d.changed.iter().filter(|c| c.content_changed).count();
    text.push_str(&format!(
        "\n{} added, {} removed, {} changed ({content} in content); links: {} added, {} removed, {} with a new source\n",
        d.added.len(),
        d.removed.len(),
        d.changed.len(),
        d.edges_added.len(),
        d.edges_removed.len(),
        d.edges_changed.len()
    ));
    if let Some(impact) = &d.impact {
        text.push_str("\nImpact of these changes");
        if let Some(date) = &impact.as_of {
            text.push_str(&format!(" as of {date}"));
        }
        text.push_str(":\n");
        for root in &impact.changed {
            text.push_str(&format!("  changed: {}  ({})\n", root.id, root.causes.join("; ")));
        }
        for hit in &impact.impacted {
            let mut chain = hit.path.first().cloned().unwrap_or_default();
            for (relation, node) in hit.relations.iter().zip(hit.path.iter().skip(1)) {
                chain.push_str(&format!(" → {relation} → {node}"));
            }
            let old = if hit.in_old {
                "  (through the old data)"
            } else {
                ""
            };
            text.push_str(&format!("  {}  {}\n      {chain}{old}\n", hit.id, hit.kind));
        }
        let parts: Vec<String> = impact.counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
        text.push_str(&format!(
            "{} impacted{}{}\n",
            impact.total,
            if parts.is_empty() { "" } else { ": " },
            parts.join(", ")
        ));
    }
    text
}
