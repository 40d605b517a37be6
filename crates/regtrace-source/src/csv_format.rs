//! The bulk format: a `nodes.csv` (header `id,kind,title` plus optional known columns; any
//! other column becomes a free attribute) and an `edges.csv` (header `from,to,relation`, optional
//! `source`). Which file is which is told by its header, so any file names work.

use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Edge, Location, Node};

use crate::draft::{Field, NodeDraft};

/// Columns of a nodes file with a meaning of their own; other columns become attributes.
pub const NODE_COLUMNS: &[&str] = &regtrace_core::Node::FIELDS;

/// Columns of an edges file.
pub const EDGE_COLUMNS: &[&str] = &["from", "to", "relation", "source"];

/// What a CSV file holds, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    /// A nodes file (`id,kind,title,…`).
    Nodes,
    /// An edges file (`from,to,relation`).
    Edges,
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes())
}

/// The line on which a quoted field opens that never closes, if one does (RFC 4180: a quote
/// opens a field only at its start; inside, `""` is a quote and `"` closes it). The csv reader
/// would take the rest of the file as that one field and report a confusing row length.
fn unclosed_quote(text: &str) -> Option<u32> {
    let mut line = 1;
    let mut opened_on = None;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if opened_on.is_some() {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    opened_on = None;
                }
            }
        } else if c == '"' && at_field_start {
            opened_on = Some(line);
        }
        if c == '\n' {
            line += 1;
        }
        at_field_start = matches!(c, ',' | '\n' | '\r');
    }
    opened_on
}

/// Reads one CSV file of either shape, appending what it holds and every problem found.
pub fn read(
    file: &Arc<str>,
    text: &str,
    nodes: &mut Vec<Node>,
    edges: &mut Vec<Edge>,
    diagnostics: &mut Diagnostics,
) {
    let whole_file = Some(Location::new(file.clone(), Some(1), None));
    if let Some(line) = unclosed_quote(text) {
        diagnostics.push(
            Diagnostic::new(
                Some(Location::new(file.clone(), Some(line), None)),
                "a quoted field opened on this line is never closed: the rest of the file would be one cell",
            )
            .with_hint(
                "close the quote; a quote inside a quoted field is written twice (\"like \"\"this\"\"\")",
            ),
        );
        return;
    }
    let mut rdr = reader(text);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(e) => {
            diagnostics.push(Diagnostic::new(
                whole_file,
                format!("cannot read the CSV header: {e}"),
            ));
            return;
        }
    };
    let has = |c: &str| header.iter().any(|h| h == c);
    let kind = if has("from") || has("to") || has("relation") {
        CsvKind::Edges
    } else if has("id") || has("kind") || has("title") {
        CsvKind::Nodes
    } else {
        diagnostics.push(
            Diagnostic::new(Some(Location::new(file.clone(), Some(1), None)), format!("unrecognised CSV header {:?}", header.join(",")))
                .with_hint("a nodes file starts with the header id,kind,title (then optional columns); an edges file with from,to,relation"),
        );
        return;
    };
    let required: &[&str] = match kind {
        CsvKind::Nodes => &["id", "kind", "title"],
        CsvKind::Edges => &["from", "to", "relation"],
    };
    let header_at = Some(Location::new(file.clone(), Some(1), None));
    let mut header_ok = true;
    for column in required {
        if !has(column) {
            header_ok = false;
            diagnostics.push(
                Diagnostic::new(
                    header_at.clone(),
                    format!("the header lacks the required column `{column}`"),
                )
                .with_hint(format!("the header must name {}", required.join(", "))),
            );
        }
    }
    for (i, column) in header.iter().enumerate() {
        if header[..i].contains(column) {
            header_ok = false;
            diagnostics.push(
                Diagnostic::new(
                    header_at.clone(),
                    format!("the header names column `{column}` twice"),
                )
                .with_hint("rename or remove one of the two columns: each cell must have one meaning"),
            );
        }
        if kind == CsvKind::Edges && !EDGE_COLUMNS.contains(&column.as_str()) {
            header_ok = false;
            diagnostics.push(
                Diagnostic::new(
                    header_at.clone(),
                    format!("unknown column `{column}` in an edges file"),
                )
                .with_hint(format!(
                    "an edges file has the columns {}",
                    EDGE_COLUMNS.join(", ")
                )),
            );
        }
        if column.is_empty() {
            header_ok = false;
            diagnostics.push(
                Diagnostic::new(
                    header_at.clone(),
                    format!("column {} of the header has no name", i + 1),
                )
                .with_hint("name the column, or delete it if it is empty"),
            );
        } else if kind == CsvKind::Nodes && !NODE_COLUMNS.contains(&column.as_str()) {
            // Any other column is a free attribute, but one spelled almost like a field is
            // surely that field mistyped: silently storing it as an attribute would lose it.
            let fields = NODE_COLUMNS
                .iter()
                .copied()
                .filter(|c| !header.iter().any(|h| h == c));
            if let Some(field) = regtrace_core::suggest::did_you_mean(column, fields) {
                header_ok = false;
                diagnostics.push(
                    Diagnostic::new(
                        header_at.clone(),
                        format!("column `{column}` looks like the field `{field}` misspelled"),
                    )
                    .with_hint(format!(
                        "rename it to `{field}`; to keep it as a free attribute, name it `attributes.{column}`"
                    )),
                );
            }
        }
    }
    if !header_ok {
        return;
    }
    let column = |name: &str| header.iter().position(|h| h == name);

    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("this row has {len} fields, the header {expected_len}")
                    }
                    _ => format!("unreadable CSV row: {e}"),
                };
                diagnostics.push(
                    Diagnostic::new(Some(Location::new(file.clone(), line, None)), message).with_hint(
                        "quote fields that contain commas, quotes or line breaks (\"like, this\")",
                    ),
                );
                // The csv reader cannot resynchronise reliably after a broken row.
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    return;
                }
                continue;
            }
        }
        let line = record.position().map(|p| p.line() as u32);
        let at = Location::new(file.clone(), line, None);
        let cell = |name: &str| {
            column(name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .unwrap_or("")
        };
        match kind {
            CsvKind::Nodes => {
                let mut draft = NodeDraft::new(at.clone());
                let field = |name: &str| {
                    let value = cell(name);
                    (!value.is_empty()).then(|| Field::new(value, at.clone()))
                };
                draft.id = field("id");
                draft.kind = field("kind");
                draft.title = field("title");
                for (name, value) in header.iter().zip(record.iter()) {
                    if matches!(name.as_str(), "id" | "kind" | "title") {
                        continue;
                    }
                    let value = value.trim();
                    if value.is_empty() {
                        continue;
                    }
                    if let Some(attribute) = name.strip_prefix("attributes.") {
                        draft.attributes.insert(attribute.to_owned(), value.to_owned());
                    } else if !draft.set_known(name, Field::new(value, at.clone())) {
                        draft.attributes.insert(name.clone(), value.to_owned());
                    }
                }
                if let Some(node) = draft.finish(diagnostics) {
                    nodes.push(node);
                }
            }
            CsvKind::Edges => {
                let (from, to, relation) = (cell("from"), cell("to"), cell("relation"));
                let mut complete = true;
                for (name, value) in [("from", from), ("to", to), ("relation", relation)] {
                    if value.is_empty() {
                        complete = false;
                        diagnostics.push(
                            Diagnostic::new(Some(at.clone()), format!("the `{name}` cell is empty"))
                                .with_hint("every edge row needs from, to and relation"),
                        );
                    }
                }
                if complete {
                    let source = Some(cell("source")).filter(|s| !s.is_empty()).map(str::to_owned);
                    edges.push(Edge {
                        from: from.to_owned(),
                        to: to.to_owned(),
                        relation: relation.to_owned(),
                        source,
                        location: Some(at),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> (Vec<Node>, Vec<Edge>, Vec<String>) {
        let (mut nodes, mut edges, mut diagnostics) = (Vec::new(), Vec::new(), Diagnostics::default());
        read(
            &Arc::from("x.csv"),
            text,
            &mut nodes,
            &mut edges,
            &mut diagnostics,
        );
        (nodes, edges, diagnostics.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn reads_nodes_with_known_and_free_columns_in_any_order() {
        let (nodes, _, problems) = read_str(
            "title,id,kind,published,owner\nISO 14971,STD-12,standard,2019-12-01,QA team\n\"A, quoted\",STD-13,standard,,\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(nodes[0].id, "STD-12");
        assert_eq!(nodes[0].dates.published.unwrap().to_string(), "2019-12-01");
        assert_eq!(nodes[0].attributes["owner"], "QA team");
        assert_eq!(nodes[1].title, "A, quoted");
        assert!(nodes[1].attributes.is_empty());
    }

    #[test]
    fn reads_edges_and_rejects_unknown_edge_columns() {
        let (_, edges, problems) = read_str("from,to,relation\nTM-1,STD-1,specified_by\n");
        assert!(problems.is_empty());
        assert_eq!(edges[0].location.as_ref().unwrap().to_string(), "x.csv:2");
        let (_, _, problems) = read_str("from,to,relation,weight\n");
        assert!(problems[0].contains("unknown column `weight`"), "{problems:?}");
    }

    #[test]
    fn reports_rows_by_line() {
        let (_, _, problems) = read_str("id,kind,title\nA,device,x\nB,devise,y\nC,device\n,device,z\n");
        let expect = [
            "x.csv:3: error: unknown kind \"devise\"",
            "x.csv:4: error: this row has 2 fields, the header 3",
            "x.csv:5: error: missing required field `id`",
        ];
        assert_eq!(problems.len(), expect.len(), "{problems:#?}");
        for (got, want) in problems.iter().zip(expect) {
            assert!(got.starts_with(want), "got {got:?}\nwant prefix {want:?}");
        }
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        assert_eq!(unclosed_quote("a,b\n1,\"two, \"\"x\"\"\"\n3,4\n"), None);
        assert_eq!(
            unclosed_quote("a,b\n1,a \"literal\" quote\n"),
            None,
            "not at a field start"
        );
        assert_eq!(unclosed_quote("a,b\n1,\"multi\nline\"\n2,\"open\n3,4\n"), Some(4));
        let (_, _, problems) = read_str("id,kind,title\nA,device,\"Pump\nB,device,x\n");
        assert!(
            problems[0].starts_with("x.csv:2: error: a quoted field opened on this line is never closed")
        );
    }

    #[test]
    fn a_column_spelled_like_a_field_is_refused_unless_marked_as_an_attribute() {
        let (_, _, problems) = read_str("id,kind,title,titel_ja\nA,device,Pump,ポンプ\n");
        assert!(
            problems[0].contains("column `titel_ja` looks like the field `title_ja`"),
            "{problems:?}"
        );
        let (nodes, _, problems) = read_str("id,kind,title,attributes.titel_ja,owner\nA,device,Pump,x,QA\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(nodes[0].attributes["titel_ja"], "x");
        assert_eq!(nodes[0].attributes["owner"], "QA");
    }

    #[test]
    fn header_problems_are_named() {
        let (_, _, problems) = read_str("id,title\n");
        assert!(
            problems[0].starts_with("x.csv:1: error: the header lacks the required column `kind`"),
            "{problems:?}"
        );
        let (_, _, problems) = read_str("name,value\n");
        assert!(problems[0].contains("unrecognised CSV header"), "{problems:?}");
    }
}
