//! One path from raw text fields to a checked [`Node`], shared by every source format.
//!
//! Each reader (TOML, CSV, JSON) fills a [`NodeDraft`] with the strings it found and where it
//! found them; [`NodeDraft::finish`] checks them all, reporting every problem of the node.

use std::collections::BTreeMap;

use regtrace_core::model::{bad_id, parse_date};
use regtrace_core::{Diagnostic, Diagnostics, Edge, EdgeList, Location, Node, NodeKind, Status};
use serde::Deserialize;

/// A link written as a record of its own (a TOML `[[edge]]` table, an edge of a JSON
/// document): `from`, `to`, `relation`, optionally `source`, and `deleted = true` to remove the
/// stored link (`import --merge`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEdge {
    from: String,
    to: String,
    relation: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    deleted: bool,
}

impl RawEdge {
    /// The link, read at `at`, added to `edges`, or to `deleted` when it is marked so.
    pub(crate) fn add_to(self, at: Location, edges: &mut EdgeList, deleted: &mut crate::Deleted) {
        let edge = Edge {
            from: self.from,
            to: self.to,
            relation: self.relation,
            source: self.source,
            location: Some(at),
        };
        if self.deleted {
            deleted.edges.push(edge);
        } else {
            edges.push(edge);
        }
    }
}

/// A value as written, with where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub value: String,
    pub at: Location,
}

impl Field {
    pub fn new(value: impl Into<String>, at: Location) -> Self {
        Field {
            value: value.into(),
            at,
        }
    }
}

/// The fields of a node before checking. `at` locates the node as a whole.
#[derive(Debug, Clone)]
pub(crate) struct NodeDraft {
    pub at: Location,
    pub id: Option<Field>,
    pub kind: Option<Field>,
    pub title: Option<Field>,
    pub title_ja: Option<Field>,
    pub status: Option<Field>,
    pub designation: Option<Field>,
    pub edition: Option<Field>,
    pub body: Option<Field>,
    /// Date fields by name (`published`, `enacted`, `effective`, `withdrawn`).
    pub dates: Vec<(&'static str, Field)>,
    pub source: Option<Field>,
    pub attributes: BTreeMap<String, String>,
}

/// The largest title or text field accepted, in bytes. Larger values are almost certainly a
/// broken file (a missing quote swallowing the rest), and would make every output unusable.
pub(crate) const MAX_TEXT_BYTES: usize = 64 * 1024;

/// The largest markup kept for an XHTML value (`NAME.xhtml`, from ReqIF): rich text with tables
/// runs longer than any title.
pub(crate) const MAX_MARKUP_BYTES: usize = 1024 * 1024;

impl NodeDraft {
    pub fn new(at: Location) -> Self {
        NodeDraft {
            at,
            id: None,
            kind: None,
            title: None,
            title_ja: None,
            status: None,
            designation: None,
            edition: None,
            body: None,
            dates: Vec::new(),
            source: None,
            attributes: BTreeMap::new(),
        }
    }

    /// Sets a known optional text field by its column/key name; false if `name` is not one.
    pub fn set_known(&mut self, name: &str, field: Field) -> bool {
        let slot = match name {
            "title_ja" => &mut self.title_ja,
            "status" => &mut self.status,
            "designation" => &mut self.designation,
            "edition" => &mut self.edition,
            "body" => &mut self.body,
            "source" => &mut self.source,
            _ => {
                return match regtrace_core::Dates::FIELDS.iter().find(|d| **d == name) {
                    Some(date) => {
                        self.dates.push((date, field));
                        true
                    }
                    None => false,
                };
            }
        };
        *slot = Some(field);
        true
    }

    /// Checks every field; returns the node if all are fine, else records each problem.
    pub fn finish(self, diagnostics: &mut Diagnostics) -> Option<Node> {
        let before = diagnostics.len();
        let mut missing = |what: &str, hint: &str| {
            diagnostics.push(
                Diagnostic::new(Some(self.at.clone()), format!("missing required field `{what}`"))
                    .with_hint(hint.to_owned()),
            );
        };
        if self.id.is_none() {
            missing("id", "every node needs an `id`, e.g. id = \"iso-14971-2019\"");
        }
        if self.kind.is_none() {
            let kinds: Vec<&str> = NodeKind::ALL.iter().map(|k| k.as_str()).collect();
            missing("kind", &format!("one of: {}", kinds.join(", ")));
        }
        if self.title.as_ref().is_none_or(|t| t.value.trim().is_empty()) {
            missing(
                "title",
                "every node needs an English `title` (and a Japanese `title_ja`)",
            );
        }

        if let Some(problem) = self
            .id
            .as_ref()
            .and_then(|id| bad_id(&id.value, Some(id.at.clone())))
        {
            diagnostics.push(problem);
        }
        let kind = self
            .kind
            .as_ref()
            .and_then(|k| match k.value.parse::<NodeKind>() {
                Ok(kind) => Some(kind),
                Err(unknown) => {
                    diagnostics.push(
                        Diagnostic::new(Some(k.at.clone()), format!("unknown kind {:?}", k.value))
                            .with_hint(unknown.hint()),
                    );
                    None
                }
            });
        let status = self
            .status
            .as_ref()
            .filter(|s| !s.value.is_empty())
            .and_then(|s| match s.value.parse::<Status>() {
                Ok(status) => Some(status),
                Err(unknown) => {
                    diagnostics.push(
                        Diagnostic::new(Some(s.at.clone()), format!("unknown status {:?}", s.value))
                            .with_hint(unknown.hint()),
                    );
                    None
                }
            });
        let mut dates = regtrace_core::Dates::default();
        for (name, field) in &self.dates {
            if field.value.is_empty() {
                continue;
            }
            match parse_date(&field.value) {
                Ok(date) => {
                    if let Some(slot) = dates.field_mut(name) {
                        *slot = Some(date);
                    }
                }
                Err(problem) => diagnostics.push(
                    Diagnostic::new(Some(field.at.clone()), format!("bad `{name}` date: {problem}"))
                        .with_hint("write dates as YYYY-MM-DD in the Gregorian calendar, e.g. 2013-11-20 (not 平成25年11月20日)"),
                ),
            }
        }
        let texts = [
            ("title", &self.title),
            ("title_ja", &self.title_ja),
            ("designation", &self.designation),
            ("edition", &self.edition),
            ("body", &self.body),
            ("source", &self.source),
        ];
        let long = texts
            .iter()
            .filter_map(|(name, field)| field.as_ref().map(|f| (*name, f.value.len(), f.at.clone())))
            .chain(
                self.attributes
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.len(), self.at.clone())),
            )
            .map(|(name, len, at)| {
                let most = if name.ends_with(crate::reqif::XHTML_SUFFIX) {
                    MAX_MARKUP_BYTES
                } else {
                    MAX_TEXT_BYTES
                };
                (name, len, at, most)
            })
            .filter(|(_, len, _, most)| len > most);
        for (name, len, at, most) in long {
            diagnostics.push(
                Diagnostic::new(
                    Some(at),
                    format!("`{name}` is {len} bytes long; a text field may hold at most {most}"),
                )
                .with_hint("check for an unclosed quote; put long text in a document and cite it"),
            );
        }
        if diagnostics.len() > before {
            // A node defined under a good id but otherwise wrong: its links are not checked
            // again (see `Diagnostic::rejects`).
            if let Some(id) = self.id.as_ref().filter(|id| bad_id(&id.value, None).is_none()) {
                diagnostics.0[before].rejects = Some(id.value.clone());
            }
            return None;
        }

        let text = |f: Option<Field>| f.map(|f| f.value).filter(|v| !v.is_empty());
        let mut node = Node::new(self.id?.value, kind?, self.title?.value);
        node.title_ja = text(self.title_ja);
        node.status = status;
        node.designation = text(self.designation);
        node.edition = text(self.edition);
        node.body = text(self.body);
        node.dates = dates;
        node.source = text(self.source);
        node.attributes = self.attributes;
        node.location = Some(self.at);
        Some(node)
    }
}
