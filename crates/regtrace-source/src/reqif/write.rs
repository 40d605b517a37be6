//! A graph (or part of one) as a ReqIF 1.2 exchange document, for DOORS, Polarion and the others
//! to read, and for regtrace to read back unchanged.
//!
//! - One SPEC-OBJECT-TYPE per node kind (`rt-kind-KIND`, named after the kind) and one
//!   SPEC-RELATION-TYPE per catalog relation used (`rt-relation-NAME`, named after it).
//! - A node's own fields are attributes whose definitions are marked `.field.` in their
//!   IDENTIFIER: the id as `ReqIF.ForeignID`, the title as `ReqIF.Name`, the others as
//!   `regtrace.NAME`. Its attributes follow under their own names; an attribute with a
//!   `NAME.xhtml` companion (kept from a ReqIF import) is written as XHTML.
//! - `contained_in` links (the document structure) are written as the SPEC-HIERARCHY of one
//!   SPECIFICATION, in `reqif.position` order; every other link is a SPEC-RELATION.
//! - Identifiers are xsd:IDs made from the regtrace ids (`rt-` and an escape), so the same data
//!   gives the same file, and a tool re-importing a newer export finds the same objects.
//!
//! Reading a file written here back (the SOURCE-TOOL-ID says regtrace) restores the same nodes
//! and links; see [`super::mapping::Mapping::own`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};

use regtrace_core::{Graph, Node, NodeIx, Subgraph};

use super::parse::REQIF_NS;
use super::resolve::{POSITION, XHTML_SUFFIX};

/// The SOURCE-TOOL-ID of files regtrace writes; reading tells them by it.
pub const SOURCE_TOOL: &str = "regtrace";

/// The relation written as document structure.
pub const STRUCTURE: &str = "contained_in";

/// The node fields written, besides the id, kind and attributes: (field, attribute LONG-NAME).
pub(crate) const FIELDS: &[(&str, &str)] = &[
    ("title", "ReqIF.Name"),
    ("title_ja", "regtrace.title_ja"),
    ("status", "regtrace.status"),
    ("designation", "regtrace.designation"),
    ("edition", "regtrace.edition"),
    ("body", "regtrace.body"),
    ("published", "regtrace.published"),
    ("enacted", "regtrace.enacted"),
    ("effective", "regtrace.effective"),
    ("withdrawn", "regtrace.withdrawn"),
    ("source", "regtrace.source"),
];

/// The LONG-NAME of the id's attribute.
pub(crate) const ID_ATTRIBUTE: &str = "ReqIF.ForeignID";

/// What the header says.
#[derive(Debug, Clone)]
pub struct Header {
    /// `REQ-IF-TOOL-ID`: the program and its build.
    pub tool: String,
    /// The document's title.
    pub title: String,
    /// `CREATION-TIME` and every `LAST-CHANGE`, as xsd:dateTime without fractions
    /// (`2026-12-03T09:00:00Z`).
    pub created: String,
}

/// An id as an xsd:ID: `rt-` and the id with `_`, `:` and `.` escaped (`__`, `_c`, `_d`), so
/// distinct ids stay distinct and `.` can join parts.
pub fn identifier(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 3);
    out.push_str("rt-");
    escape_into(id, &mut out);
    out
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '_' => out.push_str("__"),
            ':' => out.push_str("_c"),
            '.' => out.push_str("_d"),
            c if c.is_ascii_alphanumeric() || c == '-' => out.push(c),
            c => {
                // Ids are checked to `[A-Za-z0-9._:-]`; anything else, just in case, by code.
                out.push_str(&format!("_u{:x}_", c as u32));
            }
        }
    }
}

fn xml(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// Orders positions (`1.10` after `1.9`), then anything without one after.
fn position_key(node: &Node) -> Vec<u64> {
    node.attributes
        .get(POSITION)
        .map(|p| {
            p.split('.')
                .map(|n| n.trim().parse().unwrap_or(u64::MAX))
                .collect()
        })
        .unwrap_or_else(|| vec![u64::MAX])
}

/// One attribute definition of a kind's type.
struct Definition {
    identifier: String,
    long_name: String,
    xhtml: bool,
}

/// Writes `part` of `graph` as ReqIF.
pub fn write(graph: &Graph, part: &Subgraph, header: &Header, out: &mut impl Write) -> io::Result<()> {
    let when = xml(&header.created).into_owned();
    let selected: BTreeSet<NodeIx> = part.nodes.iter().copied().collect();
    // Attribute definitions per kind: the fields, then every attribute the kind's nodes have.
    // (name, written as XHTML): a name one node keeps with markup and another without has a
    // definition of each datatype.
    let mut by_kind: BTreeMap<&str, BTreeSet<(String, bool)>> = BTreeMap::new();
    for &ix in &part.nodes {
        let node = graph.node(ix);
        let names = by_kind.entry(node.kind.as_str()).or_default();
        for (name, xhtml) in written_attributes(node) {
            names.insert((name.to_owned(), xhtml));
        }
    }
    let definitions: BTreeMap<&str, Vec<Definition>> = by_kind
        .iter()
        .map(|(kind, names)| {
            let mut list = vec![Definition {
                identifier: format!("rt-{kind}.field.id"),
                long_name: ID_ATTRIBUTE.into(),
                xhtml: false,
            }];
            list.extend(FIELDS.iter().map(|(field, long_name)| Definition {
                identifier: format!("rt-{kind}.field.{field}"),
                long_name: (*long_name).into(),
                xhtml: false,
            }));
            list.extend(names.iter().enumerate().map(|(i, (name, xhtml))| Definition {
                identifier: format!("rt-{kind}.attr.{i}"),
                long_name: name.clone(),
                xhtml: *xhtml,
            }));
            (*kind, list)
        })
        .collect();
    let edges: Vec<(NodeIx, NodeIx, regtrace_core::Edge)> = part
        .edges
        .iter()
        .map(|&e| (graph.link(e).from, graph.link(e).to, graph.to_edge(e)))
        .collect();
    let relations: BTreeSet<&str> = edges
        .iter()
        .map(|(_, _, edge)| edge.relation.as_str())
        .filter(|r| *r != STRUCTURE)
        .collect();

    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<REQ-IF xmlns="{REQIF_NS}" xmlns:xhtml="http://www.w3.org/1999/xhtml">"#
    )?;
    writeln!(out, "  <THE-HEADER>")?;
    writeln!(out, r#"    <REQ-IF-HEADER IDENTIFIER="rt-header">"#)?;
    writeln!(out, "      <CREATION-TIME>{when}</CREATION-TIME>")?;
    writeln!(
        out,
        "      <REQ-IF-TOOL-ID>{}</REQ-IF-TOOL-ID>",
        xml(&header.tool)
    )?;
    writeln!(out, "      <REQ-IF-VERSION>1.0</REQ-IF-VERSION>")?;
    writeln!(out, "      <SOURCE-TOOL-ID>{SOURCE_TOOL}</SOURCE-TOOL-ID>")?;
    writeln!(out, "      <TITLE>{}</TITLE>", xml(&header.title))?;
    writeln!(out, "    </REQ-IF-HEADER>")?;
    writeln!(out, "  </THE-HEADER>")?;
    writeln!(out, "  <CORE-CONTENT>")?;
    writeln!(out, "    <REQ-IF-CONTENT>")?;
    writeln!(out, "      <DATATYPES>")?;
    writeln!(
        out,
        r#"        <DATATYPE-DEFINITION-STRING IDENTIFIER="rt-string" LAST-CHANGE="{when}" LONG-NAME="String" MAX-LENGTH="1048576"/>"#
    )?;
    writeln!(
        out,
        r#"        <DATATYPE-DEFINITION-XHTML IDENTIFIER="rt-xhtml" LAST-CHANGE="{when}" LONG-NAME="XHTML"/>"#
    )?;
    writeln!(out, "      </DATATYPES>")?;
    writeln!(out, "      <SPEC-TYPES>")?;
    for (kind, list) in &definitions {
        writeln!(
            out,
            r#"        <SPEC-OBJECT-TYPE IDENTIFIER="rt-kind-{kind}" LAST-CHANGE="{when}" LONG-NAME="{kind}">"#
        )?;
        writeln!(out, "          <SPEC-ATTRIBUTES>")?;
        for definition in list {
            let (family, datatype) = if definition.xhtml {
                ("XHTML", "rt-xhtml")
            } else {
                ("STRING", "rt-string")
            };
            attribute_definition(
                out,
                family,
                &definition.identifier,
                &definition.long_name,
                datatype,
                &when,
            )?;
        }
        writeln!(out, "          </SPEC-ATTRIBUTES>")?;
        writeln!(out, "        </SPEC-OBJECT-TYPE>")?;
    }
    for relation in &relations {
        let id = relation_type(relation);
        writeln!(
            out,
            r#"        <SPEC-RELATION-TYPE IDENTIFIER="{id}" LAST-CHANGE="{when}" LONG-NAME="{}">"#,
            xml(relation)
        )?;
        // The link's provenance.
        writeln!(out, "          <SPEC-ATTRIBUTES>")?;
        attribute_definition(
            out,
            "STRING",
            &format!("{id}.field.source"),
            "regtrace.source",
            "rt-string",
            &when,
        )?;
        writeln!(out, "          </SPEC-ATTRIBUTES>")?;
        writeln!(out, "        </SPEC-RELATION-TYPE>")?;
    }
    writeln!(
        out,
        r#"        <SPECIFICATION-TYPE IDENTIFIER="rt-specification-type" LAST-CHANGE="{when}" LONG-NAME="regtrace export"/>"#
    )?;
    writeln!(out, "      </SPEC-TYPES>")?;

    // Each node's attribute → its definition's IDENTIFIER, looked up per value.
    let attribute_definitions: HashMap<(&str, &str, bool), &str> = definitions
        .iter()
        .flat_map(|(kind, list)| {
            list.iter()
                .filter(|d| !d.identifier.contains(".field."))
                .map(move |d| ((*kind, d.long_name.as_str(), d.xhtml), d.identifier.as_str()))
        })
        .collect();
    writeln!(out, "      <SPEC-OBJECTS>")?;
    for &ix in &part.nodes {
        let node = graph.node(ix);
        let kind = node.kind.as_str();
        writeln!(
            out,
            r#"        <SPEC-OBJECT IDENTIFIER="{}" LAST-CHANGE="{when}">"#,
            identifier(&node.id)
        )?;
        writeln!(out, "          <VALUES>")?;
        let string = |out: &mut dyn Write, definition: &str, value: &str| -> io::Result<()> {
            writeln!(
                out,
                r#"            <ATTRIBUTE-VALUE-STRING THE-VALUE="{}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>{definition}</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>"#,
                attribute_text(value)
            )
        };
        string(out, &format!("rt-{kind}.field.id"), &node.id)?;
        let values = node.field_values();
        for (field, _) in FIELDS {
            if let Some(value) = values.get(*field) {
                string(out, &format!("rt-{kind}.field.{field}"), value)?;
            }
        }
        for (name, xhtml) in written_attributes(node) {
            let definition = attribute_definitions[&(kind, name, xhtml)];
            if xhtml {
                let markup = &node.attributes[&format!("{name}{XHTML_SUFFIX}")];
                writeln!(
                    out,
                    r#"            <ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>{definition}</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE>{markup}</THE-VALUE></ATTRIBUTE-VALUE-XHTML>"#
                )?;
            } else {
                string(out, definition, &node.attributes[name])?;
            }
        }
        writeln!(out, "          </VALUES>")?;
        writeln!(
            out,
            "          <TYPE><SPEC-OBJECT-TYPE-REF>rt-kind-{kind}</SPEC-OBJECT-TYPE-REF></TYPE>"
        )?;
        writeln!(out, "        </SPEC-OBJECT>")?;
    }
    writeln!(out, "      </SPEC-OBJECTS>")?;

    writeln!(out, "      <SPEC-RELATIONS>")?;
    // Structure: child → parents and parent → children, within the selection.
    let mut children: HashMap<NodeIx, Vec<NodeIx>> = HashMap::new();
    let mut has_parent: BTreeSet<NodeIx> = BTreeSet::new();
    for (from, to, edge) in &edges {
        let (from, to) = (*from, *to);
        if edge.relation == STRUCTURE && selected.contains(&from) && selected.contains(&to) {
            children.entry(to).or_default().push(from);
            has_parent.insert(from);
            continue;
        }
        let mut link = String::from("rt-link.");
        escape_into(&edge.from, &mut link);
        link.push('.');
        escape_into(&edge.relation, &mut link);
        link.push('.');
        escape_into(&edge.to, &mut link);
        let id = relation_type(&edge.relation);
        writeln!(
            out,
            r#"        <SPEC-RELATION IDENTIFIER="{link}" LAST-CHANGE="{when}">"#
        )?;
        if let Some(source) = &edge.source {
            writeln!(
                out,
                r#"          <VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE="{}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>{id}.field.source</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES>"#,
                attribute_text(source)
            )?;
        }
        writeln!(
            out,
            "          <SOURCE><SPEC-OBJECT-REF>{}</SPEC-OBJECT-REF></SOURCE>",
            identifier(&edge.from)
        )?;
        writeln!(
            out,
            "          <TARGET><SPEC-OBJECT-REF>{}</SPEC-OBJECT-REF></TARGET>",
            identifier(&edge.to)
        )?;
        writeln!(
            out,
            "          <TYPE><SPEC-RELATION-TYPE-REF>{id}</SPEC-RELATION-TYPE-REF></TYPE>"
        )?;
        writeln!(out, "        </SPEC-RELATION>")?;
    }
    writeln!(out, "      </SPEC-RELATIONS>")?;

    let order = |list: &mut Vec<NodeIx>| list.sort_by_key(|&ix| (position_key(graph.node(ix)), ix));
    for list in children.values_mut() {
        order(list);
    }
    let mut roots: Vec<NodeIx> = part
        .nodes
        .iter()
        .copied()
        .filter(|ix| !has_parent.contains(ix))
        .collect();
    order(&mut roots);
    writeln!(out, "      <SPECIFICATIONS>")?;
    writeln!(
        out,
        r#"        <SPECIFICATION IDENTIFIER="rt-specification" LAST-CHANGE="{when}" LONG-NAME="{}">"#,
        xml(&header.title)
    )?;
    writeln!(
        out,
        "          <TYPE><SPECIFICATION-TYPE-REF>rt-specification-type</SPECIFICATION-TYPE-REF></TYPE>"
    )?;
    if !roots.is_empty() {
        writeln!(out, "          <CHILDREN>")?;
        // Depth first with an explicit stack: Open(node) writes an entry and its children,
        // Close ends them.
        enum Step {
            Open(NodeIx, usize),
            Close(usize),
        }
        let mut entry = 0usize;
        let mut stack: Vec<Step> = roots.iter().rev().map(|&ix| Step::Open(ix, 0)).collect();
        while let Some(step) = stack.pop() {
            match step {
                Step::Open(ix, depth) => {
                    entry += 1;
                    let indent = "  ".repeat(5 + 2 * depth);
                    writeln!(
                        out,
                        r#"{indent}<SPEC-HIERARCHY IDENTIFIER="rt-h-{entry}" LAST-CHANGE="{when}">"#
                    )?;
                    writeln!(
                        out,
                        "{indent}  <OBJECT><SPEC-OBJECT-REF>{}</SPEC-OBJECT-REF></OBJECT>",
                        identifier(&graph.node(ix).id)
                    )?;
                    let kids = children.get(&ix).map(Vec::as_slice).unwrap_or_default();
                    if kids.is_empty() {
                        writeln!(out, "{indent}</SPEC-HIERARCHY>")?;
                    } else {
                        writeln!(out, "{indent}  <CHILDREN>")?;
                        stack.push(Step::Close(depth));
                        stack.extend(kids.iter().rev().map(|&kid| Step::Open(kid, depth + 1)));
                    }
                }
                Step::Close(depth) => {
                    let indent = "  ".repeat(5 + 2 * depth);
                    writeln!(out, "{indent}  </CHILDREN>")?;
                    writeln!(out, "{indent}</SPEC-HIERARCHY>")?;
                }
            }
        }
        writeln!(out, "          </CHILDREN>")?;
    }
    writeln!(out, "        </SPECIFICATION>")?;
    writeln!(out, "      </SPECIFICATIONS>")?;
    writeln!(out, "    </REQ-IF-CONTENT>")?;
    writeln!(out, "  </CORE-CONTENT>")?;
    writeln!(out, "</REQ-IF>")?;
    Ok(())
}

/// One ATTRIBUTE-DEFINITION-`family` of a spec type.
fn attribute_definition(
    out: &mut impl Write,
    family: &str,
    identifier: &str,
    long_name: &str,
    datatype: &str,
    when: &str,
) -> io::Result<()> {
    writeln!(
        out,
        r#"            <ATTRIBUTE-DEFINITION-{family} IDENTIFIER="{identifier}" LAST-CHANGE="{when}" LONG-NAME="{}">"#,
        xml(long_name)
    )?;
    writeln!(
        out,
        "              <TYPE><DATATYPE-DEFINITION-{family}-REF>{datatype}</DATATYPE-DEFINITION-{family}-REF></TYPE>"
    )?;
    writeln!(out, "            </ATTRIBUTE-DEFINITION-{family}>")
}

/// The IDENTIFIER of a relation's SPEC-RELATION-TYPE.
fn relation_type(relation: &str) -> String {
    let mut id = String::from("rt-relation-");
    escape_into(relation, &mut id);
    id
}

/// A node's attributes as written: (name, as XHTML). An attribute with a `NAME.xhtml` markup
/// companion is one XHTML value; the companion is not written on its own.
fn written_attributes(node: &Node) -> impl Iterator<Item = (&str, bool)> {
    let has_markup = |name: &str| {
        node.attributes
            .get(&format!("{name}{XHTML_SUFFIX}"))
            .is_some_and(|m| is_markup(m))
    };
    node.attributes.keys().filter_map(move |name| {
        if let Some(base) = name.strip_suffix(XHTML_SUFFIX)
            && node.attributes.contains_key(base)
            && has_markup(base)
        {
            return None;
        }
        Some((name.as_str(), has_markup(name)))
    })
}

/// Whether a kept `NAME.xhtml` value is markup regtrace wrote on import (elements under the
/// `xhtml:` prefix), and so can be written back as XHTML.
fn is_markup(value: &str) -> bool {
    value.trim_start().starts_with("<xhtml:")
}

/// An attribute value, escaped so that line ends and tabs survive (XML normalises them to
/// spaces in attribute values otherwise).
fn attribute_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes `part` of `graph` as a `.reqifz`: a zip holding `name` (a `.reqif`).
pub fn write_zipped(graph: &Graph, part: &Subgraph, header: &Header, name: &str) -> io::Result<Vec<u8>> {
    let mut text = Vec::new();
    write(graph, part, header, &mut text)?;
    let mut bytes = io::Cursor::new(Vec::new());
    let mut archive = zip::ZipWriter::new(&mut bytes);
    // A fixed date in the archive: the same data gives the same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    archive.start_file(name, options).map_err(io::Error::other)?;
    archive.write_all(&text)?;
    archive.finish().map_err(io::Error::other)?;
    Ok(bytes.into_inner())
}
