//! Graphviz DOT, built with graphviz-rust's model and printer: no DOT is assembled by hand.

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph as Dot, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::diagram::{Diagram, DiagramNode, Flow};
use crate::style::{CJK_FONT, RETIRED_FILL, RETIRED_INK, StatusLook, kind_style};
use regtrace_core::Lang;

/// A quoted DOT string. Quotes and backslashes are escaped, line breaks become `\n`, and
/// characters that steer a display are shown ([`regtrace_core::text::visible`]), so any title
/// (Japanese, `"`, `\`, `<`, newlines, bidi overrides) is safe, also in the SVG Graphviz makes.
pub fn quoted(text: &str) -> Id {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('"');
    for c in regtrace_core::text::visible(text).chars() {
        match c {
            '"' => escaped.push_str("\\\""),
            '\\' => escaped.push_str("\\\\"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped.push('"');
    Id::Escaped(escaped)
}

fn attr(name: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(name.to_owned()), quoted(value))
}

fn node_id(id: &str) -> NodeId {
    NodeId(quoted(id), None)
}

impl Diagram<'_> {
    /// The diagram as a DOT digraph.
    pub fn to_dot(&self) -> String {
        let rankdir = match self.options.flow {
            Flow::LeftToRight => "LR",
            Flow::RightToLeft => "RL",
        };
        let mut stmts = vec![
            Stmt::GAttribute(GraphAttributes::Graph(vec![
                attr("rankdir", rankdir),
                attr("fontname", CJK_FONT),
            ])),
            Stmt::GAttribute(GraphAttributes::Node(vec![
                attr("fontname", CJK_FONT),
                attr("fontsize", "11"),
            ])),
            Stmt::GAttribute(GraphAttributes::Edge(vec![
                attr("fontname", CJK_FONT),
                attr("fontsize", "9"),
            ])),
        ];
        let mut clusters: Vec<Vec<Stmt>> = vec![Vec::new(); self.clusters.len()];
        for node in &self.nodes {
            let stmt = self.node_stmt(node);
            match node.cluster {
                Some(c) => clusters[c].push(stmt),
                None => stmts.push(stmt),
            }
        }
        for (i, (title, members)) in self.clusters.iter().zip(clusters).enumerate() {
            let mut body = vec![
                Stmt::Attribute(attr("label", title)),
                Stmt::Attribute(attr("style", "rounded")),
            ];
            body.extend(members);
            stmts.push(Stmt::Subgraph(Subgraph {
                id: Id::Plain(format!("cluster_{i}")),
                stmts: body,
            }));
        }
        for edge in &self.edges {
            let (from, to) = (&self.nodes[edge.from], &self.nodes[edge.to]);
            stmts.push(Stmt::Edge(Edge {
                ty: EdgeTy::Pair(
                    Vertex::N(node_id(&self.graph.node(from.node).id)),
                    Vertex::N(node_id(&self.graph.node(to.node).id)),
                ),
                attributes: vec![attr("label", &edge.relation)],
            }));
        }
        // A neighbourhood's roots come first in rank order (leftmost, or topmost).
        if self.options.roots_first && self.clusters.is_empty() {
            let mut body = vec![Stmt::Attribute(attr("rank", "source"))];
            body.extend(self.nodes.iter().filter(|n| n.highlighted).map(|n| {
                Stmt::Node(Node {
                    id: node_id(&self.graph.node(n.node).id),
                    attributes: Vec::new(),
                })
            }));
            if body.len() > 1 {
                stmts.push(Stmt::Subgraph(Subgraph {
                    id: Id::Plain("roots".into()),
                    stmts: body,
                }));
            }
        }
        if self.options.legend && !self.nodes.is_empty() {
            stmts.push(self.legend());
        }
        let dot = Dot::DiGraph {
            id: Id::Plain("regtrace".into()),
            strict: false,
            stmts,
        };
        let mut text = dot.print(&mut PrinterContext::default());
        text.push('\n');
        text
    }

    fn node_stmt(&self, node: &DiagramNode) -> Stmt {
        let kind = self.kind(node);
        let mut attributes = vec![
            attr("label", &node.lines.join("\n")),
            attr("shape", kind_style(kind).dot_shape),
        ];
        attributes.extend(look_attributes(
            kind_style(kind).fill,
            node.look,
            node.highlighted,
        ));
        if let Some(template) = &self.options.link {
            let id = crate::escape::url_segment(&self.graph.node(node.node).id);
            let shown = self.graph.node(node.node);
            attributes.push(attr("URL", &template.replace("{id}", &id)));
            attributes.push(attr("target", "_top"));
            // One line (Graphviz would show the label's `\n` as written).
            attributes.push(attr(
                "tooltip",
                &format!("{} — {}", shown.id, shown.title_in(self.options.lang)),
            ));
        }
        Stmt::Node(Node {
            id: node_id(&self.graph.node(node.node).id),
            attributes,
        })
    }

    /// A cluster naming each kind drawn, each status look drawn, and the emphasis of changed or
    /// start nodes. Its node ids contain a space, which no regtrace id can.
    fn legend(&self) -> Stmt {
        let mut body = vec![
            Stmt::Attribute(attr(
                "label",
                match self.options.lang {
                    Lang::En => "Legend",
                    Lang::Ja => "凡例",
                },
            )),
            Stmt::Attribute(attr("style", "rounded")),
        ];
        for kind in self.kinds() {
            let style = kind_style(kind);
            let mut attributes = vec![
                attr("label", crate::words::kind(kind, self.options.lang)),
                attr("shape", style.dot_shape),
            ];
            attributes.extend(look_attributes(style.fill, StatusLook::Normal, false));
            body.push(Stmt::Node(Node {
                id: node_id(&format!("legend {}", kind.as_str())),
                attributes,
            }));
        }
        let looks = self.looks();
        if looks != [StatusLook::Normal] {
            for look in looks {
                let mut attributes = vec![
                    attr("label", look.legend(self.options.lang)),
                    attr("shape", "box"),
                ];
                attributes.extend(look_attributes("#ffffff", look, false));
                body.push(Stmt::Node(Node {
                    id: node_id(&format!("legend status {look:?}")),
                    attributes,
                }));
            }
        }
        if self.nodes.iter().any(|n| n.highlighted) {
            let label = match self.options.lang {
                Lang::En => "changed / start node",
                Lang::Ja => "変更・起点のノード",
            };
            let mut attributes = vec![attr("label", label), attr("shape", "box")];
            attributes.extend(look_attributes("#ffffff", StatusLook::Normal, true));
            body.push(Stmt::Node(Node {
                id: node_id("legend highlight"),
                attributes,
            }));
        }
        Stmt::Subgraph(Subgraph {
            id: Id::Plain("cluster_legend".into()),
            stmts: body,
        })
    }
}

/// Fill, outline and emphasis of a node.
fn look_attributes(fill: &str, look: StatusLook, highlighted: bool) -> Vec<Attribute> {
    let mut style = vec!["filled"];
    let mut attributes = Vec::new();
    match look {
        StatusLook::Normal => attributes.push(attr("fillcolor", fill)),
        StatusLook::Unfinished => {
            style.push("dashed");
            attributes.push(attr("fillcolor", fill));
        }
        StatusLook::Retired => {
            attributes.push(attr("fillcolor", RETIRED_FILL));
            attributes.push(attr("color", RETIRED_INK));
            attributes.push(attr("fontcolor", RETIRED_INK));
        }
    }
    if highlighted {
        style.push("bold");
        attributes.push(attr("penwidth", "3"));
    }
    attributes.insert(0, attr("style", &style.join(",")));
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        let Id::Escaped(text) = quoted("a \"b\" \\ <c>\n人工心臓\u{7}\u{202e}") else {
            panic!("a quoted id is escaped")
        };
        assert_eq!(text, r#""a \"b\" \\ <c>\n人工心臓␇<U+202E>""#);
    }
}
