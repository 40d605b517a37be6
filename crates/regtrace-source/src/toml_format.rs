//! The native format: human-editable TOML files, each holding any number of `[[node]]` tables
//! with their outgoing relations inline.
//!
//! ```toml
//! [[node]]
//! id = "gl-artificial-heart"
//! kind = "guideline"
//! title = "High-performance artificial heart systems"
//! title_ja = "高機能人工心臓システム"
//! status = "published"
//! source = "seed slide 13"
//! attributes = { fiscal_year = "FY2011" }
//!
//! [node.relations]
//! governed_by = [{ to = "jp-pal-revision-2013", source = "seed slide 22" }]
//! belongs_to = ["field-implantable-materials"]
//!
//! # A link on its own, between nodes of this file or of others.
//! [[edge]]
//! from = "dev-infusion-pump"
//! relation = "conforms_to"
//! to = "iso-14971-2019"
//! source = "design history file, section 3"
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use regtrace_core::diagnostics::LineIndex;
use regtrace_core::{Diagnostic, Diagnostics, Edge, EdgeList, Location, Node};
use serde::Deserialize;
use toml::Spanned;

use crate::draft::{Field, NodeDraft, RawEdge};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DataFile {
    #[serde(default)]
    node: Vec<Spanned<RawNode>>,
    #[serde(default)]
    edge: Vec<Spanned<RawEdge>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    id: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    title_ja: Option<Spanned<String>>,
    status: Option<Spanned<String>>,
    designation: Option<Spanned<String>>,
    edition: Option<Spanned<String>>,
    body: Option<Spanned<String>>,
    published: Option<Spanned<String>>,
    enacted: Option<Spanned<String>>,
    effective: Option<Spanned<String>>,
    withdrawn: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    #[serde(default)]
    relations: BTreeMap<String, Vec<Spanned<Target>>>,
    /// `deleted = true`: remove the stored node (`import --merge`).
    #[serde(default)]
    deleted: bool,
}

/// A relation target: a bare id, or a table with provenance.
#[derive(Deserialize)]
#[serde(untagged)]
enum Target {
    Id(String),
    Detailed {
        to: String,
        #[serde(default)]
        source: Option<String>,
        /// `deleted = true`: remove the stored link (`import --merge`).
        #[serde(default)]
        deleted: bool,
    },
}

/// What a TOML file holds, told by its top-level keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TomlRole {
    /// `[[node]]` tables (or anything else: reported by the data reader).
    Data,
    /// A relation catalog: `[[relation]]` tables.
    Catalog,
    /// Audit rules: `[[rule]]` tables (and a report's `[report]` title block), read by
    /// `regtrace audit` and `report`, not by import.
    AuditRules,
    /// A ReqIF mapping: a `[reqif]` table.
    ReqifMapping,
}

/// Tells data files from relation catalogs and audit rules files.
pub fn role(text: &str) -> TomlRole {
    match text.parse::<toml::Table>() {
        Ok(t) if t.contains_key("node") => TomlRole::Data,
        Ok(t) if t.contains_key("relation") => TomlRole::Catalog,
        Ok(t) if t.contains_key("rule") || t.contains_key("report") => TomlRole::AuditRules,
        Ok(t) if crate::reqif::mapping::is_mapping(&t) => TomlRole::ReqifMapping,
        _ => TomlRole::Data,
    }
}

/// Reads one TOML data file, appending its nodes and edges, and every problem to `diagnostics`.
pub(crate) fn read(
    file: &Arc<str>,
    text: &str,
    nodes: &mut Vec<Node>,
    edges: &mut EdgeList,
    deleted: &mut crate::Deleted,
    diagnostics: &mut Diagnostics,
) {
    let lines = LineIndex::new(text);
    let at = |offset: usize| {
        let (line, column) = lines.line_column(offset);
        Location::new(file.clone(), Some(line), Some(column))
    };
    let parsed: DataFile = match toml::from_str(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let location = e
                .span()
                .map(|s| at(s.start))
                .unwrap_or_else(|| Location::file(file.clone()));
            let spanned = e.span().and_then(|span| text.get(span)).unwrap_or("").trim();
            // The parser's recursion limit gives no place: point at the most deeply nested line.
            let location = if e.span().is_none() && e.message().contains("recursion limit") {
                let depth = |line: &str| line.bytes().filter(|b| matches!(b, b'.' | b'{' | b'[')).count();
                text.lines()
                    .enumerate()
                    .max_by_key(|(_, line)| depth(line))
                    .map_or(location, |(i, _)| {
                        Location::new(file.clone(), Some(i as u32 + 1), None)
                    })
            } else {
                location
            };
            let message = e.message().trim();
            let is_date = |t: &str| t.len() >= 10 && regtrace_core::model::parse_date(&t[..10]).is_ok();
            let (message, hint) = if message.contains("invalid type: map, expected a string")
                && is_date(spanned)
            {
                (
                    format!("the date {spanned} is not in quotes"),
                    format!(
                        "dates are strings in regtrace files: write \"{}\"",
                        &spanned[..10]
                    ),
                )
            } else if message.contains("untagged enum Target") {
                (
                    format!("this relation target is neither an id nor {{ to = \"ID\" … }}: {spanned}"),
                    "write the target's id as a string, or a table with `to` (and optionally `source`): \
                     cites = [\"iso-14971-2019\", { to = \"iec-62304-2006\", source = \"slide 9\" }]"
                        .to_owned(),
                )
            } else if message.contains("recursion limit") {
                (
                    format!("the file nests tables or dotted keys too deeply ({message})"),
                    "a data file holds [[node]] tables one level deep; look for a runaway dotted key or nested inline tables"
                        .to_owned(),
                )
            } else {
                (
                    format!("invalid TOML data file: {message}"),
                    "a data file holds [[node]] tables (id, kind, title, title_ja, status, designation, edition, body, published, enacted, effective, withdrawn, source, attributes and [node.relations]) and [[edge]] tables (from, relation, to, source)".to_owned(),
                )
            };
            diagnostics.push(Diagnostic::new(Some(location), message).with_hint(hint));
            return;
        }
    };
    if parsed.node.is_empty() && parsed.edge.is_empty() {
        diagnostics.push(
            Diagnostic::new(
                Some(Location::new(file.clone(), Some(1), None)),
                "the file holds no [[node]] or [[edge]] table",
            )
            .with_hint("add [[node]] tables, or leave the file out of the import"),
        );
    }
    for spanned in parsed.edge {
        let location = at(spanned.span().start);
        spanned.into_inner().add_to(location, edges, deleted);
    }
    let field = |s: Spanned<String>| Field::new(s.get_ref().clone(), at(s.span().start));
    for spanned in parsed.node {
        let node_at = at(spanned.span().start);
        let raw = spanned.into_inner();
        let from_id = raw.id.as_ref().map(|s| s.get_ref().clone());
        if raw.deleted {
            match from_id {
                Some(id) if raw.relations.is_empty() => deleted.nodes.push((id, node_at)),
                Some(_) => diagnostics.push(
                    Diagnostic::new(Some(node_at), "a node marked deleted lists relations").with_hint(
                        "a deleted node takes its stored links with it: drop [node.relations] from it",
                    ),
                ),
                None => diagnostics.push(
                    Diagnostic::new(Some(node_at), "missing required field `id`").with_hint(
                        "a node marked deleted = true needs the `id` of the stored node to remove",
                    ),
                ),
            }
            continue;
        }

        let mut draft = NodeDraft::new(node_at.clone());
        draft.id = raw.id.map(field);
        draft.kind = raw.kind.map(field);
        draft.title = raw.title.map(field);
        for (name, value) in [
            ("title_ja", raw.title_ja),
            ("status", raw.status),
            ("designation", raw.designation),
            ("edition", raw.edition),
            ("body", raw.body),
            ("published", raw.published),
            ("enacted", raw.enacted),
            ("effective", raw.effective),
            ("withdrawn", raw.withdrawn),
            ("source", raw.source),
        ] {
            if let Some(value) = value {
                draft.set_known(name, field(value));
            }
        }
        draft.attributes = raw.attributes;
        if let Some(node) = draft.finish(diagnostics) {
            nodes.push(node);
        }

        let Some(from) = from_id else { continue };
        for (relation, targets) in raw.relations {
            for target in targets {
                let location = at(target.span().start);
                let (to, source, gone) = match target.into_inner() {
                    Target::Id(to) => (to, None, false),
                    Target::Detailed { to, source, deleted } => (to, source, deleted),
                };
                let edge = Edge {
                    from: from.clone(),
                    to,
                    relation: relation.clone(),
                    source,
                    location: Some(location),
                };
                if gone {
                    deleted.edges.push(edge);
                } else {
                    edges.push(edge);
                }
            }
        }
    }
}

/// TOML data files, relation catalogs, audit rules and ReqIF mappings, told apart by their tables.
pub(crate) struct Toml;

impl crate::format::Importer for Toml {
    fn info(&self) -> &'static crate::format::Info {
        &crate::format::Info {
            name: "toml",
            summary: "data files ([[node]], [[edge]]), a relation catalog, audit rules or a ReqIF mapping",
            extensions: &["toml"],
            detected: true,
            empty_hint: "add [[node]] tables, or leave the file out of the import",
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
        match role(&text) {
            TomlRole::Catalog => match regtrace_core::RelationCatalog::from_toml(file, &text) {
                Ok(catalog) => into.catalogs.push((file.clone(), catalog)),
                Err(problems) => diagnostics.extend(problems),
            },
            // Audit rules sit beside the data (data/audit.toml); `regtrace audit` reads them.
            TomlRole::AuditRules => into.rules.push((file.clone(), text)),
            TomlRole::ReqifMapping => into.mappings.push((file.clone(), text)),
            TomlRole::Data => read(
                file,
                &text,
                &mut into.nodes,
                &mut into.edges,
                &mut into.deleted,
                diagnostics,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> (Vec<Node>, Vec<Edge>, Vec<String>) {
        let (mut nodes, mut edges, mut diagnostics) = (Vec::new(), EdgeList::new(), Diagnostics::default());
        read(
            &Arc::from("d.toml"),
            text,
            &mut nodes,
            &mut edges,
            &mut crate::Deleted::default(),
            &mut diagnostics,
        );
        (
            nodes,
            edges.to_edges(),
            diagnostics.iter().map(|d| d.to_string()).collect(),
        )
    }

    #[test]
    fn reads_nodes_and_inline_relations_with_places() {
        let (nodes, edges, problems) = read_str(
            r#"
[[node]]
id = "GL-1"
kind = "guideline"
title = "Artificial heart"
title_ja = "人工心臓"
published = "2012-03-31"
attributes = { fiscal_year = "FY2011" }

[node.relations]
governed_by = ["LAW-1", { to = "LAW-2", source = "slide 22" }]
"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].title_ja.as_deref(), Some("人工心臓"));
        assert_eq!(nodes[0].attributes["fiscal_year"], "FY2011");
        assert_eq!(nodes[0].dates.published.unwrap().to_string(), "2012-03-31");
        assert_eq!(nodes[0].location.as_ref().unwrap().to_string(), "d.toml:2:1");
        assert_eq!(edges.len(), 2);
        assert_eq!(edges[1].to, "LAW-2");
        assert_eq!(edges[1].source.as_deref(), Some("slide 22"));
        assert_eq!(edges[1].location.as_ref().unwrap().to_string(), "d.toml:11:25");
    }

    #[test]
    fn reports_all_field_problems_with_columns() {
        let (nodes, _, problems) = read_str(
            r#"[[node]]
id = "bad id"
kind = "guidline"
status = "publshed"
published = "2013-02-30"

[[node]]
kind = "device"
"#,
        );
        assert!(nodes.is_empty());
        let expect = [
            "d.toml:1:1: error: missing required field `title`",
            "d.toml:2:6: error: bad id \"bad id\"",
            "d.toml:3:8: error: unknown kind \"guidline\"\n  hint: did you mean \"guideline\"?",
            "d.toml:4:10: error: unknown status \"publshed\"\n  hint: did you mean \"published\"?",
            "d.toml:5:13: error: bad `published` date: \"2013-02-30\" is not a day of the calendar",
            "d.toml:7:1: error: missing required field `id`",
            "d.toml:7:1: error: missing required field `title`",
        ];
        assert_eq!(problems.len(), expect.len(), "{problems:#?}");
        for (got, want) in problems.iter().zip(expect) {
            assert!(got.starts_with(want), "got {got:?}\nwant prefix {want:?}");
        }
    }

    #[test]
    fn syntax_and_unknown_fields_are_located() {
        let (_, _, problems) = read_str("[[node]]\nid = \"a\"\ntitel = \"x\"\n");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("d.toml:3:1: error: invalid TOML data file: unknown field `titel`"),
            "{}",
            problems[0]
        );
        let (_, _, problems) = read_str("[[node]\n");
        assert!(problems[0].starts_with("d.toml:1:"), "{}", problems[0]);
    }

    #[test]
    fn tells_catalogs_and_rules_from_data() {
        assert_eq!(role("[[relation]]\nname = \"x\"\n"), TomlRole::Catalog);
        assert_eq!(role("[[rule]]\nname = \"x\"\n"), TomlRole::AuditRules);
        assert_eq!(role("[report]\ntitle = \"x\"\n"), TomlRole::AuditRules);
        assert_eq!(role("[[node]]\nid = \"x\"\n"), TomlRole::Data);
        assert_eq!(role("[[node]\n"), TomlRole::Data);
    }
}
