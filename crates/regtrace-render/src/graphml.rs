//! GraphML, for yEd, Gephi and Cytoscape: every node with its kind, titles and status, every edge
//! with its relation. Written with quick-xml, which escapes text and attribute values.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::diagram::Diagram;

/// XML 1.0 cannot carry most control characters, even escaped: they (and bidi overrides) are
/// shown as [`regtrace_core::text::visible`] does.
fn xml_text(text: &str) -> String {
    regtrace_core::text::visible(text)
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The attribute keys: (id, for, name, type).
const KEYS: &[(&str, &str, &str, &str)] = &[
    ("label", "node", "label", "string"),
    ("kind", "node", "kind", "string"),
    ("title", "node", "title", "string"),
    ("title_ja", "node", "title_ja", "string"),
    ("status", "node", "status", "string"),
    ("highlighted", "node", "highlighted", "boolean"),
    ("relation", "edge", "relation", "string"),
    ("edge_label", "edge", "label", "string"),
];

impl Diagram<'_> {
    /// The diagram as a GraphML document. Node ids are the regtrace ids; `label` is the title in
    /// the diagram's language (Gephi and Cytoscape show it).
    pub fn to_graphml(&self) -> String {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        // Writing to a Vec cannot fail.
        let _ = self.write_graphml(&mut writer);
        let mut text = String::from_utf8(writer.into_inner()).unwrap_or_default();
        text.push('\n');
        text
    }

    fn write_graphml(&self, w: &mut Writer<Vec<u8>>) -> io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("graphml")
            .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
            .write_inner_content(|w| {
                for (id, target, name, ty) in KEYS {
                    w.create_element("key")
                        .with_attributes([
                            ("id", *id),
                            ("for", *target),
                            ("attr.name", *name),
                            ("attr.type", *ty),
                        ])
                        .write_empty()?;
                }
                w.create_element("graph")
                    .with_attributes([("id", "regtrace"), ("edgedefault", "directed")])
                    .write_inner_content(|w| {
                        for node in &self.nodes {
                            let n = self.graph.node(node.node);
                            let data = [
                                ("label", n.title_in(self.options.lang)),
                                ("kind", n.kind.as_str()),
                                ("title", n.title.as_str()),
                                ("title_ja", n.title_ja.as_deref().unwrap_or("")),
                                ("status", n.status.map_or("", |s| s.as_str())),
                                ("highlighted", if node.highlighted { "true" } else { "false" }),
                            ];
                            w.create_element("node")
                                .with_attribute(("id", n.id.as_str()))
                                .write_inner_content(|w| write_data(w, &data))?;
                        }
                        for (i, edge) in self.edges.iter().enumerate() {
                            let from = &self.graph.node(self.nodes[edge.from].node).id;
                            let to = &self.graph.node(self.nodes[edge.to].node).id;
                            let id = format!("e{i}");
                            let data = [
                                ("relation", edge.relation.as_str()),
                                ("edge_label", edge.relation.as_str()),
                            ];
                            w.create_element("edge")
                                .with_attributes([("id", id.as_str()), ("source", from), ("target", to)])
                                .write_inner_content(|w| write_data(w, &data))?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    }
}

fn write_data(w: &mut Writer<Vec<u8>>, data: &[(&str, &str)]) -> io::Result<()> {
    for (key, value) in data {
        if !value.is_empty() {
            w.create_element("data")
                .with_attribute(("key", *key))
                .write_text_content(BytesText::new(&xml_text(value)))?;
        }
    }
    Ok(())
}
