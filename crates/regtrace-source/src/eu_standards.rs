//! The EU's harmonised standards under the MDR (`--from eu-harmonised-standards DIR`), in the
//! JSON layout of RASAAS docmcp-knowledge's `eu_mdr/` directory (CC BY 4.0): `standards/*.json`
//! and `regulations/*.json`. Each file is told by what it holds:
//!
//! - `{"standards": […]}`: each standard edition (`"EN ISO 10993-4:2017"`) a `standard` node
//!   (designation and edition parsed from the number), `edition_of` its `standard_family`; each
//!   amendment (`"…/A1:2025"`) a `standard` that `amends` it; the implementing decision that lists
//!   it (`source_url`) a `regulation` it is `governed_by`; each Annex I general safety and
//!   performance requirement (GSPR) it gives presumption of conformity for a `clause` of the MDR
//!   it `presumes_conformity_with`.
//! - `{"amendments": […], "harmonised_standards_amendments": […]}`: the regulations amending
//!   the MDR and IVDR, and the implementing decisions amending the list, with the standards each
//!   added.
//! - a regulation (`{"document_number": "2017/745", …}`): the MDR or IVDR itself.
//! - `_index.json` files describe the directory and are skipped.
//!
//! Nodes a file refers to without defining them (a GSPR, the MDR, a decision) are made from
//! the reference alone, and yield to the file that defines them. Every node's `source` names
//! the source and its licence.

use std::collections::BTreeMap;
use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Edge, Location, Node, NodeKind, Status};
use serde::Deserialize;

/// The harmonised standards format.
pub(crate) struct HarmonisedStandards;

/// The attribution the licence asks for, on every node.
const ATTRIBUTION: &str = "RASAAS docmcp-knowledge, eu_mdr (CC BY 4.0)";

/// The MDR's id; the IVDR's.
const MDR: &str = "eu-mdr-2017-745";
const IVDR: &str = "eu-ivdr-2017-746";

impl crate::format::Importer for HarmonisedStandards {
    fn info(&self) -> &'static crate::format::Info {
        &crate::format::Info {
            name: "eu-harmonised-standards",
            summary: "the EU MDR harmonised standards, GSPRs and amendments (RASAAS eu_mdr JSON directory)",
            extensions: &["json"],
            detected: false,
            empty_hint: "name the eu_mdr directory (its standards/ and regulations/ files), or leave the file out",
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
        let document: Document = match serde_json::from_str(&text) {
            Ok(document) => document,
            Err(e) => {
                return diagnostics.push(
                    Diagnostic::new(
                        Some(Location::new(file.clone(), Some(e.line() as u32), Some(e.column() as u32))),
                        format!("not a file of the eu_mdr layout: {e}"),
                    )
                    .with_hint("this reads standards/*.json and regulations/*.json of RASAAS docmcp-knowledge's eu_mdr directory"),
                );
            }
        };
        let mut reader = FileReader {
            file,
            text: &text,
            lines: regtrace_core::diagnostics::LineIndex::new(&text),
            into,
            diagnostics,
        };
        reader.document(document);
    }
}

/// One file of the layout: which fields it has says what it is.
#[derive(Deserialize)]
struct Document {
    #[serde(default)]
    directory: Option<String>,
    #[serde(default)]
    standards: Option<Vec<Standard>>,
    #[serde(default)]
    amendments: Option<Vec<Act>>,
    #[serde(default)]
    harmonised_standards_amendments: Vec<Act>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    document_number: Option<String>,
    #[serde(default)]
    title: Option<Text>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    effective_date: Option<String>,
    #[serde(default)]
    application_date: Option<String>,
    #[serde(default)]
    oj_reference: Option<String>,
    #[serde(default)]
    source_url: Option<String>,
}

/// A text in several languages, or one string.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum Text {
    Plain(String),
    Languages(BTreeMap<String, String>),
}

impl Text {
    fn english(&self) -> Option<&str> {
        match self {
            Text::Plain(s) => Some(s.as_str()),
            Text::Languages(map) => map.get("en").map(String::as_str),
        }
        .map(str::trim)
        .filter(|s| !s.is_empty())
    }
}

#[derive(Deserialize)]
struct Standard {
    #[serde(default)]
    id: Option<String>,
    number: String,
    #[serde(default)]
    title: Option<Text>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    source_url: Option<String>,
    #[serde(default)]
    source_verified: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    amendments: Vec<String>,
    #[serde(default)]
    scope: Option<Text>,
    #[serde(default, rename = "abstract")]
    abstract_: Option<Text>,
    #[serde(default)]
    note: Option<Text>,
    #[serde(default)]
    applicable_gsprs: Vec<String>,
}

/// An amending act: a regulation amending the MDR or IVDR, or a decision amending the list.
#[derive(Deserialize)]
struct Act {
    id: String,
    #[serde(default)]
    document_number: Option<String>,
    #[serde(default)]
    title: Option<Text>,
    #[serde(default)]
    oj_reference: Option<String>,
    #[serde(default)]
    published_date: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    amends: Option<String>,
    #[serde(default)]
    source_url: Option<String>,
    #[serde(default)]
    summary_en: Option<String>,
    #[serde(default)]
    standards_added: Vec<String>,
}

struct FileReader<'a> {
    file: &'a Arc<str>,
    text: &'a str,
    lines: regtrace_core::diagnostics::LineIndex<'a>,
    into: &'a mut crate::Collected,
    diagnostics: &'a mut Diagnostics,
}

/// An id from a designation or document number: lower case, runs of other characters as `-`
/// (`EN ISO 10993-4:2017/A1:2025` is `en-iso-10993-4-2017-a1-2025`).
fn slug(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// An implementing decision's number (`2021/1182`) from its reference (`CID (EU) 2021/1182`) or
/// its EUR-Lex address (`…/eli/dec_impl/2021/1182/oj`, `…CELEX:32022D0006`).
fn decision_number(reference: &str) -> Option<String> {
    if let Some(rest) = reference.split("/dec_impl/").nth(1) {
        let mut parts = rest.split('/');
        let (year, number) = (parts.next()?, parts.next()?);
        return Some(format!("{year}/{number}"));
    }
    if let Some(celex) = reference.split("CELEX:3").nth(1) {
        let (year, number) = (celex.get(..4)?, celex.get(5..)?);
        return Some(format!("{year}/{}", number.trim_start_matches('0')));
    }
    let number = reference.rsplit(' ').next()?;
    number.contains('/').then(|| number.to_owned())
}

fn decision_id(number: &str) -> String {
    format!("eu-cid-{}", slug(number))
}

/// A regulation a text names (`EU MDR 2017/745 and EU IVDR 2017/746`).
fn regulations_named(text: &str) -> Vec<&'static str> {
    let mut named = Vec::new();
    if text.contains("2017/745") {
        named.push(MDR);
    }
    if text.contains("2017/746") {
        named.push(IVDR);
    }
    named
}

/// Standard statuses in the source: `active` is a published standard listed in the OJ.
fn standard_status(status: Option<&str>) -> Status {
    match status {
        Some("withdrawn") => Status::Withdrawn,
        _ => Status::Published,
    }
}

fn act_status(status: Option<&str>) -> Status {
    match status {
        Some("withdrawn") | Some("repealed") => Status::Withdrawn,
        _ => Status::Active,
    }
}

impl FileReader<'_> {
    /// The place of the first occurrence of `needle` in the file (JSON has no line numbers
    /// after parsing; a value's text finds its line).
    fn at(&self, needle: &str) -> Location {
        let line = self
            .text
            .find(needle)
            .map(|offset| self.lines.line_column(offset).0);
        Location::new(self.file.clone(), line, None)
    }

    fn source(&self, url: Option<&str>) -> String {
        let name = std::path::Path::new(&**self.file)
            .file_name()
            .map_or_else(|| self.file.to_string(), |n| n.to_string_lossy().into_owned());
        match url {
            Some(url) => format!("{ATTRIBUTION}: {name}; {url}"),
            None => format!("{ATTRIBUTION}: {name}"),
        }
    }

    fn node(&mut self, id: &str, kind: NodeKind, title: &str, at: &Location) -> Option<Node> {
        if let Some(problem) = regtrace_core::model::bad_id(id, Some(at.clone())) {
            self.diagnostics.push(problem);
            return None;
        }
        let mut node = Node::new(id, kind, title);
        node.location = Some(at.clone());
        node.source = Some(self.source(None));
        Some(node)
    }

    /// A link; files may give the same one (each standard file links a GSPR to the MDR).
    fn link(&mut self, from: &str, relation: &str, to: &str, at: &Location) {
        self.into.shared_edges.push(Edge {
            from: from.to_owned(),
            to: to.to_owned(),
            relation: relation.to_owned(),
            source: Some(self.source(None)),
            location: Some(at.clone()),
        });
    }

    fn document(&mut self, document: Document) {
        if document.directory.is_some() {
            return; // an _index.json
        }
        if let Some(standards) = document.standards {
            for standard in standards {
                self.standard(standard);
            }
            return;
        }
        if let Some(amendments) = document.amendments {
            for act in amendments {
                self.amending_regulation(act);
            }
            for act in document.harmonised_standards_amendments {
                self.amending_decision(act);
            }
            return;
        }
        if let Some(number) = document.document_number.as_deref() {
            let named = regulations_named(number);
            let (Some(id), Some(title)) = (named.first(), document.title.as_ref().and_then(Text::english))
            else {
                return self.unknown(document.id.as_deref());
            };
            let at = self.at(number);
            let mut node = Node::new(*id, NodeKind::Regulation, title);
            node.location = Some(at);
            node.status = Some(act_status(document.status.as_deref()));
            node.dates.effective = document
                .effective_date
                .as_deref()
                .and_then(|d| regtrace_core::model::parse_date(d).ok());
            node.source = Some(self.source(document.source_url.as_deref()));
            node.attributes
                .insert("eu.document_number".into(), number.to_owned());
            if let Some(oj) = document.oj_reference {
                node.attributes.insert("eu.oj_reference".into(), oj);
            }
            if let Some(date) = document.application_date {
                node.attributes.insert("eu.application_date".into(), date);
            }
            self.into.nodes.push(node);
            return;
        }
        self.unknown(document.id.as_deref());
    }

    fn unknown(&mut self, id: Option<&str>) {
        self.diagnostics.push(
            Diagnostic::new(
                Some(Location::new(self.file.clone(), Some(1), None)),
                format!(
                    "a JSON file of no known shape{}: neither standards, amendments nor a regulation",
                    id.map(|id| format!(" ({id:?})")).unwrap_or_default()
                ),
            )
            .with_hint("name the eu_mdr directory or its standards/ and regulations/ files; other JSON files do not belong in this import"),
        );
    }

    /// A standard edition, amendment or consolidated text referred to by its number alone.
    fn standard_reference(&mut self, number: &str, at: &Location) -> Option<String> {
        let number = number.trim();
        let id = slug(number);
        let (designation, edition) = match number.split_once(':') {
            Some((designation, edition)) => (designation.trim(), Some(edition.trim())),
            None => (number, None),
        };
        let mut node = self.node(&id, NodeKind::Standard, number, at)?;
        node.designation = Some(designation.to_owned());
        node.edition = edition.map(str::to_owned);
        node.status = Some(Status::Published);
        self.into.shared.push(node);
        Some(id)
    }

    fn decision(&mut self, number: &str, at: &Location) -> String {
        let id = decision_id(number);
        let title = format!("Commission Implementing Decision (EU) {number}");
        if let Some(mut node) = self.node(&id, NodeKind::Regulation, &title, at) {
            node.status = Some(Status::Active);
            node.attributes
                .insert("eu.document_number".into(), number.to_owned());
            self.into.shared.push(node);
            self.link(&id, "governed_by", MDR, at);
            self.regulation_reference(MDR, at);
        }
        id
    }

    fn regulation_reference(&mut self, id: &str, at: &Location) {
        let title = if id == MDR {
            "Regulation (EU) 2017/745 on medical devices (MDR)"
        } else {
            "Regulation (EU) 2017/746 on in vitro diagnostic medical devices (IVDR)"
        };
        if let Some(mut node) = self.node(id, NodeKind::Regulation, title, at) {
            node.status = Some(Status::Active);
            self.into.shared.push(node);
        }
    }

    fn standard(&mut self, standard: Standard) {
        let at = self.at(&format!("\"{}\"", standard.number));
        let number = standard.number.trim().to_owned();
        let Some((designation, edition)) = number.split_once(':') else {
            self.diagnostics.push(
                Diagnostic::new(Some(at), format!("the standard number {number:?} has no edition"))
                    .with_hint("numbers read as DESIGNATION:YEAR, e.g. \"EN ISO 10993-4:2017\""),
            );
            return;
        };
        let id = slug(&number);
        let title = standard
            .title
            .as_ref()
            .and_then(Text::english)
            .unwrap_or(&number)
            .to_owned();
        let Some(mut node) = self.node(&id, NodeKind::Standard, &title, &at) else {
            return;
        };
        node.designation = Some(designation.trim().to_owned());
        node.edition = Some(edition.trim().to_owned());
        node.status = Some(standard_status(standard.status.as_deref()));
        node.source = Some(self.source(standard.source_url.as_deref()));
        let mut put = |name: &str, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                node.attributes.insert(name.to_owned(), value);
            }
        };
        put("eu.id", standard.id);
        put("eu.category", standard.category);
        put("eu.listed_on", standard.source_verified);
        put(
            "eu.scope",
            standard.scope.as_ref().and_then(Text::english).map(str::to_owned),
        );
        put(
            "eu.abstract",
            standard
                .abstract_
                .as_ref()
                .and_then(Text::english)
                .map(str::to_owned),
        );
        put(
            "eu.note",
            standard.note.as_ref().and_then(Text::english).map(str::to_owned),
        );
        self.into.nodes.push(node);
        // The family: the designation across its editions.
        let family_id = slug(designation);
        if let Some(mut family) = self.node(&family_id, NodeKind::StandardFamily, designation.trim(), &at) {
            family.designation = Some(designation.trim().to_owned());
            family.status = Some(Status::Active);
            self.into.shared.push(family);
            self.link(&id, "edition_of", &family_id, &at);
        }
        for amendment in &standard.amendments {
            let at = self.at(&format!("\"{amendment}\""));
            if let Some(amendment_id) = self.standard_reference(amendment, &at) {
                self.link(&amendment_id, "amends", &id, &at);
            }
        }
        if let Some(number) = standard.source_url.as_deref().and_then(decision_number) {
            let decision = self.decision(&number, &at);
            self.link(&id, "governed_by", &decision, &at);
        }
        for gspr in &standard.applicable_gsprs {
            let gspr = gspr.trim();
            let gspr_id = format!("{MDR}-annex-i-{}", slug(gspr));
            let title = format!("MDR Annex I, GSPR {gspr}");
            if let Some(mut clause) = self.node(&gspr_id, NodeKind::Clause, &title, &at) {
                clause.status = Some(Status::Published);
                clause.attributes.insert("eu.gspr".into(), gspr.to_owned());
                self.into.shared.push(clause);
                self.link(&gspr_id, "part_of", MDR, &at);
                self.regulation_reference(MDR, &at);
                self.link(&id, "presumes_conformity_with", &gspr_id, &at);
            }
        }
    }

    /// An amending act's node: its title, status, publication day, number and OJ reference.
    fn act(&mut self, id: &str, act: &Act, at: &Location) -> Option<Node> {
        let title = act
            .title
            .as_ref()
            .and_then(Text::english)
            .unwrap_or(&act.id)
            .to_owned();
        let mut node = self.node(id, NodeKind::Regulation, &title, at)?;
        node.status = Some(act_status(act.status.as_deref()));
        node.dates.published = act
            .published_date
            .as_deref()
            .and_then(|d| regtrace_core::model::parse_date(d).ok());
        node.source = Some(self.source(act.source_url.as_deref()));
        let fields = [
            ("eu.document_number", &act.document_number),
            ("eu.oj_reference", &act.oj_reference),
            ("eu.summary", &act.summary_en),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                node.attributes.insert(name.to_owned(), value.clone());
            }
        }
        Some(node)
    }

    fn amending_regulation(&mut self, act: Act) {
        let at = self.at(&format!("\"{}\"", act.id));
        let id = format!("eu-{}", slug(&act.id));
        let Some(node) = self.act(&id, &act, &at) else {
            return;
        };
        self.into.nodes.push(node);
        for amended in regulations_named(act.amends.as_deref().unwrap_or("")) {
            self.regulation_reference(amended, &at);
            self.link(&id, "amends", amended, &at);
        }
    }

    fn amending_decision(&mut self, act: Act) {
        let at = self.at(&format!("\"{}\"", act.id));
        let Some(number) = act.document_number.clone() else {
            return self.diagnostics.push(
                Diagnostic::new(
                    Some(at),
                    format!("the decision {:?} has no document_number", act.id),
                )
                .with_hint(
                    "each entry of harmonised_standards_amendments names its decision, e.g. \"2022/6\"",
                ),
            );
        };
        let id = decision_id(&number);
        let Some(node) = self.act(&id, &act, &at) else {
            return;
        };
        self.into.nodes.push(node);
        self.link(&id, "governed_by", MDR, &at);
        self.regulation_reference(MDR, &at);
        if let Some(amended) = act.amends.as_deref().and_then(decision_number) {
            let amended_id = self.decision(&amended, &at);
            self.link(&id, "amends", &amended_id, &at);
        }
        for number in &act.standards_added {
            let at = self.at(&format!("\"{number}\""));
            if let Some(standard) = self.standard_reference(number, &at) {
                self.link(&standard, "governed_by", &id, &at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_ids_and_decisions_are_found_in_references() {
        assert_eq!(slug("EN ISO 10993-4:2017/A1:2025"), "en-iso-10993-4-2017-a1-2025");
        assert_eq!(slug("EN 455-1:2020+A2:2024"), "en-455-1-2020-a2-2024");
        assert_eq!(slug("10.4.1"), "10.4.1");
        assert_eq!(slug("3(a)"), "3-a");
        assert_eq!(
            decision_number("https://eur-lex.europa.eu/eli/dec_impl/2026/1231/oj").as_deref(),
            Some("2026/1231")
        );
        assert_eq!(
            decision_number("https://eur-lex.europa.eu/eli/dec_impl/2021/1182").as_deref(),
            Some("2021/1182")
        );
        assert_eq!(
            decision_number("CID (EU) 2021/1182").as_deref(),
            Some("2021/1182")
        );
        assert_eq!(
            decision_number("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32022D0006")
                .as_deref(),
            Some("2022/6")
        );
    }
}
