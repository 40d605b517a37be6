//! Graphviz DOT output, built with graphviz-rust's model and printer.

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph as Dot, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use regtrace_core::{Graph, Lang, NodeIx, NodeKind, Reach};

/// A quoted DOT string. Quotes and backslashes are escaped and line breaks become `\n`, so any
/// title (Japanese, `"`, `\`, `<`, newlines) is safe.
pub fn quoted(text: &str) -> Id {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('"');
    for c in text.chars() {
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

/// Shape and fill colour of each kind.
fn style(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Guideline => ("box", "#cfe2ff"),
        NodeKind::EvaluationIndex => ("box", "#e2d9f3"),
        NodeKind::Device => ("component", "#d1e7dd"),
        NodeKind::EvaluationItem => ("note", "#fff3cd"),
        NodeKind::TestMethod => ("parallelogram", "#ffe5d0"),
        NodeKind::Standard => ("folder", "#f8d7da"),
        NodeKind::Regulation => ("octagon", "#f1aeb5"),
        _ => ("ellipse", "#e9ecef"),
    }
}

fn node_stmt(graph: &Graph, node: NodeIx, lang: Lang, highlight: bool) -> Stmt {
    let n = graph.node(node);
    let (shape, fill) = style(n.kind);
    let mut attributes = vec![
        attr("label", &format!("{}\n{}", n.id, n.title_in(lang))),
        attr("shape", shape),
        attr("style", if highlight { "filled,bold" } else { "filled" }),
        attr("fillcolor", fill),
    ];
    if highlight {
        attributes.push(attr("penwidth", "2.5"));
    }
    Stmt::Node(Node {
        id: NodeId(quoted(&n.id), None),
        attributes,
    })
}

/// The reach subgraph: start nodes (bold), every listed hit, and the edges on their reason paths.
pub fn reach(graph: &Graph, reach: &Reach, hits: impl Iterator<Item = NodeIx>, lang: Lang) -> String {
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", "RL"),
            attr("fontname", "Noto Sans CJK JP"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![attr("fontname", "Noto Sans CJK JP")])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", "Noto Sans CJK JP"),
            attr("fontsize", "10"),
        ])),
    ];
    let mut nodes: Vec<NodeIx> = reach.roots.clone();
    let mut edges = Vec::new();
    for hit in hits {
        let (path, path_edges) = reach.path(graph, hit);
        nodes.extend(path);
        edges.extend(path_edges);
    }
    let mut seen = std::collections::HashSet::new();
    nodes.retain(|n| seen.insert(*n));
    edges.sort();
    edges.dedup();
    for node in &nodes {
        stmts.push(node_stmt(graph, *node, lang, reach.roots.contains(node)));
    }
    for edge in edges {
        let link = graph.link(edge);
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(quoted(&graph.node(link.from).id), None)),
                Vertex::N(NodeId(quoted(&graph.node(link.to).id), None)),
            ),
            attributes: vec![attr("label", &graph.catalog().get(link.relation).name)],
        }));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        let Id::Escaped(text) = quoted("a \"b\" \\ <c>\n人工心臓") else {
            panic!()
        };
        assert_eq!(text, r#""a \"b\" \\ <c>\n人工心臓""#);
    }
}
