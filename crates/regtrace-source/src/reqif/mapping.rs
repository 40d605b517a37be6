//! The mapping file: which ReqIF types become which node kinds and relations.
//!
//! A TOML file with one `[reqif]` table (see `default-mapping.toml`, the built-in one, and
//! docs/DATA.md). Given with `--mapping FILE`, or found among the imported paths.

use std::collections::BTreeMap;
use std::sync::Arc;

use regtrace_core::diagnostics::LineIndex;
use regtrace_core::{Diagnostic, Diagnostics, Location, NodeKind};
use serde::Deserialize;
use toml::Spanned;

/// The built-in mapping's text.
pub const DEFAULT_MAPPING: &str = include_str!("default-mapping.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    reqif: Raw,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default = "identifier")]
    id: String,
    #[serde(default)]
    id_prefix: String,
    #[serde(default = "default_title")]
    title: Vec<String>,
    #[serde(default)]
    title_ja: Vec<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default = "yes")]
    keep_attributes: bool,
    #[serde(default = "contained_in")]
    hierarchy: String,
    #[serde(default = "section")]
    document_kind: Spanned<String>,
    #[serde(default)]
    object: Vec<RawObject>,
    #[serde(default)]
    relation: Vec<RawRelation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObject {
    #[serde(rename = "type")]
    type_name: String,
    #[serde(default)]
    when: Option<When>,
    kind: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelation {
    #[serde(rename = "type")]
    type_name: String,
    relation: String,
    #[serde(default)]
    reverse: bool,
}

fn identifier() -> String {
    "identifier".into()
}
fn default_title() -> Vec<String> {
    vec![
        "ReqIF.ChapterName".into(),
        "ReqIF.Name".into(),
        "ReqIF.Text".into(),
    ]
}
fn yes() -> bool {
    true
}
fn contained_in() -> String {
    "contained_in".into()
}
fn section() -> Spanned<String> {
    Spanned::new(0..0, "section".into())
}

/// A condition on an object's attribute.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// The attribute's LONG-NAME.
    pub attribute: String,
    /// The value it must have (any case); without one, any non-empty value.
    #[serde(default)]
    pub value: Option<String>,
    /// An attribute that must have no value (a DOORS heading has a chapter name and no text).
    #[serde(default)]
    pub absent: Option<String>,
}

/// One object rule: objects of `type_name` (and meeting `when`) become nodes of `kind`.
#[derive(Debug, Clone)]
pub struct ObjectRule {
    /// A SPEC-OBJECT-TYPE's LONG-NAME (any case) or IDENTIFIER; `*` for any.
    pub type_name: String,
    pub when: Option<When>,
    pub kind: NodeKind,
}

/// One relation rule.
#[derive(Debug, Clone)]
pub struct RelationRule {
    /// A SPEC-RELATION-TYPE's LONG-NAME (any case) or IDENTIFIER; `*` for any.
    pub type_name: String,
    /// The catalog relation.
    pub relation: String,
    /// The link runs from TARGET to SOURCE.
    pub reverse: bool,
}

/// A checked mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Where it came from (`<built-in>` for the default).
    pub file: Arc<str>,
    /// `identifier`, or the LONG-NAME of the attribute holding the id.
    pub id: String,
    pub id_prefix: String,
    pub title: Vec<String>,
    pub title_ja: Vec<String>,
    /// Node field → attribute LONG-NAME.
    pub fields: BTreeMap<String, String>,
    pub keep_attributes: bool,
    /// The relation recording the document structure; empty to leave the structure out.
    pub hierarchy: String,
    pub document_kind: NodeKind,
    pub objects: Vec<ObjectRule>,
    pub relations: Vec<RelationRule>,
    /// Reading regtrace's own export (see [`super::write`]): fields, kinds and relations come
    /// from the definitions and types it marks, and documents make no node.
    pub own: bool,
}

/// Whether a TOML text is a ReqIF mapping (a top-level `[reqif]` table).
pub fn is_mapping(table: &toml::Table) -> bool {
    table.contains_key("reqif")
}

/// The node fields a mapping may fill from attributes: a node's own fields but its id, kind,
/// title (the `title` list) and provenance (the import's).
fn fillable() -> impl Iterator<Item = &'static str> {
    regtrace_core::Node::FIELDS
        .into_iter()
        .filter(|f| !matches!(*f, "id" | "kind" | "title" | "source"))
}

impl Mapping {
    /// The built-in mapping.
    pub fn builtin() -> Mapping {
        Mapping::from_toml(&Arc::from("<built-in ReqIF mapping>"), DEFAULT_MAPPING)
            .expect("the built-in ReqIF mapping is valid (tested)")
    }

    /// Reads and checks a mapping file.
    pub fn from_toml(file: &Arc<str>, text: &str) -> Result<Mapping, Diagnostics> {
        let lines = LineIndex::new(text);
        let at = |offset: usize| {
            let (line, column) = lines.line_column(offset);
            Location::new(file.clone(), Some(line), Some(column))
        };
        let raw: File = toml::from_str(text).map_err(|e| {
            let location = e
                .span()
                .map(|s| at(s.start))
                .unwrap_or_else(|| Location::file(file.clone()));
            Diagnostics(vec![
                Diagnostic::new(
                    Some(location),
                    format!("not a valid ReqIF mapping: {}", e.message().trim()),
                )
                .with_hint("see docs/DATA.md, or start from `regtrace reqif mapping FILE.reqif`"),
            ])
        })?;
        let raw = raw.reqif;
        let mut problems = Diagnostics::default();
        let mut kind = |spanned: &Spanned<String>| match spanned.get_ref().parse::<NodeKind>() {
            Ok(kind) => Some(kind),
            Err(unknown) => {
                problems.push(
                    Diagnostic::new(
                        Some(at(spanned.span().start)),
                        format!("unknown kind {:?}", spanned.get_ref()),
                    )
                    .with_hint(unknown.hint()),
                );
                None
            }
        };
        let document_kind = kind(&raw.document_kind);
        let objects: Vec<ObjectRule> = raw
            .object
            .iter()
            .filter_map(|o| {
                Some(ObjectRule {
                    type_name: o.type_name.clone(),
                    when: o.when.clone(),
                    kind: kind(&o.kind)?,
                })
            })
            .collect();
        for field in raw.fields.keys() {
            if !fillable().any(|f| f == field) {
                problems.push(
                    Diagnostic::new(
                        Some(Location::file(file.clone())),
                        format!("unknown field {field:?} in [reqif.fields]"),
                    )
                    .with_hint(format!(
                        "a mapping may fill: {}",
                        fillable().collect::<Vec<_>>().join(", ")
                    )),
                );
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Mapping {
            file: file.clone(),
            id: raw.id,
            id_prefix: raw.id_prefix,
            title: raw.title,
            title_ja: raw.title_ja,
            fields: raw.fields,
            keep_attributes: raw.keep_attributes,
            hierarchy: raw.hierarchy,
            document_kind: document_kind.unwrap_or(NodeKind::Section),
            objects,
            relations: raw
                .relation
                .into_iter()
                .map(|r| RelationRule {
                    type_name: r.type_name,
                    relation: r.relation,
                    reverse: r.reverse,
                })
                .collect(),
            own: false,
        })
    }

    /// The mapping of files regtrace wrote: the node's own fields from the `.field.`
    /// definitions, the kind from the type `rt-kind-KIND`, the relation from the relation type's
    /// name, the structure as `contained_in` links without a document node.
    pub fn own() -> Mapping {
        Mapping {
            file: Arc::from("<regtrace's own ReqIF export>"),
            id: "identifier".into(),
            id_prefix: String::new(),
            title: Vec::new(),
            title_ja: Vec::new(),
            fields: BTreeMap::new(),
            keep_attributes: true,
            hierarchy: super::write::STRUCTURE.into(),
            document_kind: NodeKind::Section,
            objects: Vec::new(),
            relations: Vec::new(),
            own: true,
        }
    }
}

/// Whether a rule's `type` names a type (by IDENTIFIER exactly, by LONG-NAME in any case, or `*`).
pub fn names(rule: &str, id: &str, long_name: Option<&str>) -> bool {
    rule == "*" || rule == id || long_name.is_some_and(|n| n.trim().eq_ignore_ascii_case(rule.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_mapping_reads() {
        let mapping = Mapping::builtin();
        assert_eq!(mapping.id, "identifier");
        assert_eq!(mapping.objects.last().unwrap().kind, NodeKind::Requirement);
        assert!(
            mapping
                .relations
                .iter()
                .any(|r| r.type_name == "is verified by" && r.reverse)
        );
    }

    #[test]
    fn a_bad_kind_is_named_where_it_is() {
        let text = "[reqif]\n[[reqif.object]]\ntype = \"*\"\nkind = \"requirment\"\n";
        let problems = Mapping::from_toml(&Arc::from("m.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(problems.contains("m.toml:4"), "{problems}");
        assert!(problems.contains("did you mean \"requirement\""), "{problems}");
    }
}
