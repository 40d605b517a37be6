//! `diff` answers: sections for people, one JSON document for scripts.

use std::collections::BTreeMap;

use regtrace_app::compare::Compared;
use regtrace_core::{EdgeIx, Graph, Lang, NodeIx};
use serde::Serialize;

use crate::words::{Phrase, Word};

#[derive(Serialize)]
struct NodeJson<'g> {
    id: &'g str,
    kind: &'static str,
    #[serde(flatten)]
    titles: crate::json::Titles<'g>,
}

fn node_json(graph: &Graph, n: NodeIx) -> NodeJson<'_> {
    let node = graph.node(n);
    NodeJson {
        id: &node.id,
        kind: node.kind.as_str(),
        titles: crate::json::Titles {
            title: &node.title,
            title_ja: node.title_ja.as_deref(),
        },
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
    /// The reason in the chain notation, from the hit back to the change.
    reason: String,
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

fn document<'a>(c: &'a Compared, names: (&'a str, &'a str)) -> DiffJson<'a> {
    let (old, new, d) = (c.old, c.new, &c.diff);
    DiffJson {
        old: names.0,
        new: names.1,
        identical: d.is_empty(),
        added: d.added.iter().map(|n| node_json(new, *n)).collect(),
        removed: d.removed.iter().map(|n| node_json(old, *n)).collect(),
        changed: d
            .changed
            .iter()
            .map(|ch| ChangedJson {
                id: &new.node(ch.node).id,
                kind: new.node(ch.node).kind.as_str(),
                content_changed: ch.content_changed,
                fields: ch
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
        edges_added: d.edges_added.iter().map(|e| edge_json(new, *e)).collect(),
        edges_removed: d.edges_removed.iter().map(|e| edge_json(old, *e)).collect(),
        edges_changed: d.edges_changed.iter().map(|(_, e)| edge_json(new, *e)).collect(),
        impact: c.impact.as_ref().map(|(i, options)| {
            let listed: Vec<_> = c.listed().collect();
            let mut counts = BTreeMap::new();
            for hit in &listed {
                *counts.entry(hit.kind.as_str()).or_default() += 1;
            }
            ImpactJson {
                as_of: options.as_of.map(|d| d.to_string()),
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
                        reason: c.chain(h).to_string(),
                    })
                    .collect(),
            }
        }),
    }
}

/// The comparison as one JSON document; `names` are the two sides as the user named them.
pub fn json(c: &Compared, names: (&str, &str), pretty: bool) -> String {
    crate::json::text(&document(c, names), pretty)
}

/// The comparison for people: added, removed, changed (field by field), links, the totals, and
/// with an impact, each impacted node with its reason chain.
pub fn table(c: &Compared, names: (&str, &str), lang: Lang) -> String {
    let d = document(c, names);
    let say = |w: Word| w.say(lang);
    let mut text = format!("{} {} → {}\n", say(Word::Comparing), d.old, d.new);
    if d.identical {
        text.push_str(&format!("{}\n", say(Word::Identical)));
        return text;
    }
    let shown = |v: Option<&str>| v.map_or(say(Word::Unset).to_owned(), |v| format!("{v:?}"));
    let title = |graph: &Graph, id: &str| {
        graph
            .find(id)
            .map_or(String::new(), |n| graph.node(n).title_in(lang).to_owned())
    };
    let kind = |k: &str| crate::words::vocabulary(k, lang).unwrap_or(k).to_owned();
    let heading = |w: Word, n: usize| format!("\n{}{}:\n", say(w), Phrase::Counted(n).say(lang));
    if !d.added.is_empty() {
        text.push_str(&heading(Word::Added, d.added.len()));
        for n in &d.added {
            text.push_str(
                &format!("  + {}  {}  {}\n", n.id, kind(n.kind), title(c.new, n.id)).replace("  \n", "\n"),
            );
        }
    }
    if !d.removed.is_empty() {
        text.push_str(&heading(Word::Removed, d.removed.len()));
        for n in &d.removed {
            text.push_str(
                &format!("  - {}  {}  {}\n", n.id, kind(n.kind), title(c.old, n.id)).replace("  \n", "\n"),
            );
        }
    }
    if !d.changed.is_empty() {
        text.push_str(&heading(Word::Changed, d.changed.len()));
        for ch in &d.changed {
            let note = if ch.content_changed {
                String::new()
            } else {
                format!("  {}", say(Word::NotContentChange))
            };
            text.push_str(&format!("  ~ {}  {}{note}\n", ch.id, kind(ch.kind)));
            for f in &ch.fields {
                let ws = if f.whitespace_only {
                    format!("  {}", say(Word::WhitespaceOnly))
                } else {
                    String::new()
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
    for (heading_word, sign, edges) in [
        (Word::LinksAdded, "+", &d.edges_added),
        (Word::LinksRemoved, "-", &d.edges_removed),
        (Word::LinksNewSource, "~", &d.edges_changed),
    ] {
        if !edges.is_empty() {
            text.push_str(&heading(heading_word, edges.len()));
            for e in edges.iter() {
                text.push_str(&format!("  {sign} {} {} {}\n", e.from, e.relation, e.to));
            }
        }
    }
    let totals = Phrase::Compared {
        added: d.added.len(),
        removed: d.removed.len(),
        changed: d.changed.len(),
        content: d.changed.iter().filter(|ch| ch.content_changed).count(),
        links_added: d.edges_added.len(),
        links_removed: d.edges_removed.len(),
        links_changed: d.edges_changed.len(),
    };
    text.push_str(&format!("\n{}\n", totals.say(lang)));
    if let Some(impact) = &d.impact {
        text.push_str(&format!("\n{}", say(Word::ImpactOfChanges)));
        if let Some(date) = &impact.as_of {
            text.push_str(&format!("{} {date}", say(Word::AsOf)));
        }
        text.push_str(":\n");
        for root in &impact.changed {
            text.push_str(&format!(
                "  {}: {}  ({})\n",
                say(Word::ChangedNode),
                root.id,
                root.causes.join("; ")
            ));
        }
        for hit in &impact.impacted {
            let old = if hit.in_old {
                format!("  {}", say(Word::ThroughOldData))
            } else {
                String::new()
            };
            let title = title(c.new, hit.id);
            let sep = if title.is_empty() { "" } else { "  " };
            text.push_str(&format!(
                "  {}  {}{sep}{title}\n      {}{old}\n",
                hit.id,
                kind(hit.kind),
                hit.reason
            ));
        }
        let kinds = impact
            .counts
            .iter()
            .filter_map(|(k, n)| k.parse().ok().map(|k| (k, *n)))
            .collect();
        let reached = Phrase::Reached {
            impact: true,
            total: impact.total,
            kinds,
            unaffected: 0,
        };
        text.push_str(&format!("{}\n", reached.say(lang)));
    }
    text
}
