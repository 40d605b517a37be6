//! Mermaid flowcharts, for Markdown documents (GitHub, GitLab and most wikis render them).

use std::fmt::Write;

use crate::diagram::{Diagram, Flow};
use crate::style::{RETIRED_FILL, RETIRED_INK, StatusLook, kind_style};

/// Text safe inside a quoted Mermaid label: quotes, `<`, `>`, `&` and `#` become Mermaid entity
/// codes and line breaks `<br/>`, so a title can neither end the label nor inject markup.
pub fn label_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in regtrace_core::text::visible(text).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' => out.push_str("<br/>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

impl Diagram<'_> {
    /// The diagram as a Mermaid flowchart. Nodes are named `n0`, `n1`, … (Mermaid ids cannot hold
    /// every regtrace id); the regtrace id is the first line of each label.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::new();
        let direction = match self.options.flow {
            Flow::LeftToRight => "LR",
            Flow::RightToLeft => "RL",
        };
        let _ = writeln!(out, "flowchart {direction}");
        let node_line = |out: &mut String, i: usize, indent: &str| {
            let node = &self.nodes[i];
            let (open, close) = kind_style(self.kind(node)).mermaid_brackets;
            let label: Vec<String> = node.lines.iter().map(|l| label_text(l)).collect();
            let _ = writeln!(
                out,
                "{indent}n{i}{open}\"{}\"{close}:::{}",
                label.join("<br/>"),
                self.kind(node).as_str()
            );
        };
        for (i, node) in self.nodes.iter().enumerate() {
            if node.cluster.is_none() {
                node_line(&mut out, i, "    ");
            }
        }
        for (c, title) in self.clusters.iter().enumerate() {
            let _ = writeln!(out, "    subgraph c{c} [\"{}\"]", label_text(title));
            for (i, node) in self.nodes.iter().enumerate() {
                if node.cluster == Some(c) {
                    node_line(&mut out, i, "        ");
                }
            }
            let _ = writeln!(out, "    end");
        }
        for edge in &self.edges {
            let _ = writeln!(
                out,
                "    n{} -->|{}| n{}",
                edge.from,
                label_text(&edge.relation),
                edge.to
            );
        }
        for kind in self.kinds() {
            let _ = writeln!(
                out,
                "    classDef {} fill:{},stroke:#495057",
                kind.as_str(),
                kind_style(kind).fill
            );
        }
        let _ = writeln!(out, "    classDef unfinished stroke-dasharray:5 4");
        let _ = writeln!(
            out,
            "    classDef retired fill:{RETIRED_FILL},stroke:{RETIRED_INK},color:{RETIRED_INK}"
        );
        let _ = writeln!(out, "    classDef highlighted stroke-width:3px,stroke:#212529");
        for (class, members) in [
            ("unfinished", self.positions(|n| n.look == StatusLook::Unfinished)),
            ("retired", self.positions(|n| n.look == StatusLook::Retired)),
            ("highlighted", self.positions(|n| n.highlighted)),
        ] {
            if !members.is_empty() {
                let _ = writeln!(out, "    class {members} {class}");
            }
        }
        out
    }

    fn positions(&self, keep: impl Fn(&crate::diagram::DiagramNode) -> bool) -> String {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| keep(n))
            .map(|(i, _)| format!("n{i}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out() {
        assert_eq!(
            label_text("a \"b\" <script> #1 &\n人工心臓"),
            "a #quot;b#quot; #lt;script#gt; #35;1 #amp;<br/>人工心臓"
        );
    }
}
