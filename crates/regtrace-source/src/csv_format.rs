//! The bulk format: a `nodes.csv` (header `id,kind,title` plus optional known columns; any
//! other column becomes a free attribute) and an `edges.csv` (header `from,to,relation`, optional
//! `source`). Which file is which is told by its header, so any file names work.

use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Edge, Location, Node};

use crate::draft::{Field, NodeDraft};

/// Columns of a nodes file with a meaning of their own; other columns become attributes.
pub const NODE_COLUMNS: &[&str] = &regtrace_core::Node::FIELDS;

/// Columns of an edges file.
pub const EDGE_COLUMNS: &[&str] = &["from", "to", "relation", "source", "deleted"];

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

/// Where the file can be cut into pieces that parse on their own: the (byte, line) of record
/// starts (after a line break outside quotes) about every `every` bytes from `from`; or, if a
/// quoted field opens and never closes, the line it opens on (RFC 4180: a quote opens a field
/// only at its start; inside, `""` is a quote and `"` closes it). The csv reader would take the
/// rest of the file as that one field and report a confusing row length.
fn record_starts(text: &str, from: usize, every: usize) -> Result<Vec<(usize, u32)>, u32> {
    // Quotes, commas and line breaks are ASCII, which UTF-8 never uses inside a character:
    // scanning bytes is exact.
    let bytes = text.as_bytes();
    let mut line = 1 + bytes[..from].iter().filter(|b| **b == b'\n').count() as u32;
    let mut starts = vec![(from, line)];
    let mut opened_on = None;
    let mut at_field_start = true;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if opened_on.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    opened_on = None;
                }
            }
        } else if b == b'"' && at_field_start {
            opened_on = Some(line);
        }
        if b == b'\n' {
            line += 1;
            if opened_on.is_none() && i + 1 - starts[starts.len() - 1].0 >= every && i + 1 < bytes.len() {
                starts.push((i + 1, line));
            }
        }
        at_field_start = matches!(b, b',' | b'\n' | b'\r');
        i += 1;
    }
    match opened_on {
        Some(line) => Err(line),
        None => Ok(starts),
    }
}

/// The line on which a quoted field opens that never closes, if one does.
#[cfg(test)]
fn unclosed_quote(text: &str) -> Option<u32> {
    record_starts(text, 0, usize::MAX).err()
}

/// Reads one CSV file of either shape, appending what it holds and every problem found.
pub(crate) fn read(
    file: &Arc<str>,
    text: &str,
    nodes: &mut Vec<Node>,
    edges: &mut Vec<Edge>,
    deleted: &mut crate::Deleted,
    diagnostics: &mut Diagnostics,
) {
    read_in_pieces(file, text, nodes, edges, deleted, diagnostics, PIECE_BYTES);
}

/// How much of a CSV file one thread parses at a time.
const PIECE_BYTES: usize = 4 << 20;

fn read_in_pieces(
    file: &Arc<str>,
    text: &str,
    nodes: &mut Vec<Node>,
    edges: &mut Vec<Edge>,
    deleted: &mut crate::Deleted,
    diagnostics: &mut Diagnostics,
    piece_bytes: usize,
) {
    let whole_file = Some(Location::new(file.clone(), Some(1), None));
    // Pieces parse in parallel; the scan also finds an unclosed quote.
    let starts = match record_starts(text, 0, piece_bytes) {
        Ok(starts) => starts,
        Err(line) => {
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
    };
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
    // What each column means, to find two columns with one meaning in one pass: a name given
    // twice, or an attribute given both plainly (`owner`) and prefixed (`attributes.owner`).
    let meaning = |column: &str| -> String {
        match column.strip_prefix("attributes.") {
            Some(attribute) if kind == CsvKind::Nodes => format!("attribute {attribute}"),
            _ if kind == CsvKind::Nodes && !NODE_COLUMNS.contains(&column) => format!("attribute {column}"),
            _ => format!("column {column}"),
        }
    };
    let mut first_of: std::collections::HashMap<String, usize> =
        std::collections::HashMap::with_capacity(header.len());
    let present: std::collections::HashSet<&str> = header.iter().map(String::as_str).collect();
    for (i, column) in header.iter().enumerate() {
        if let Some(&first) = first_of.get(&meaning(column)) {
            header_ok = false;
            let message = if header[first] == *column {
                format!(
                    "the header names column `{column}` twice (columns {} and {})",
                    first + 1,
                    i + 1
                )
            } else {
                format!(
                    "columns `{}` (column {}) and `{column}` (column {}) both hold the attribute `{}`",
                    header[first],
                    first + 1,
                    i + 1,
                    column.strip_prefix("attributes.").unwrap_or(column)
                )
            };
            diagnostics.push(
                Diagnostic::new(header_at.clone(), message)
                    .with_hint("rename or remove one of the two columns: each cell must have one meaning"),
            );
        } else {
            first_of.insert(meaning(column), i);
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
            let fields = NODE_COLUMNS.iter().copied().filter(|c| !present.contains(c));
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
    // The records: from where the header ends, cut at the scanned record starts, each piece
    // parsed on its own (in parallel) and joined in order.
    let body = rdr.position().byte() as usize;
    let body_line = 1 + text.as_bytes()[..body].iter().filter(|b| **b == b'\n').count() as u32;
    let mut cuts: Vec<(usize, u32)> = vec![(body, body_line)];
    cuts.extend(starts.into_iter().filter(|(at, _)| *at > body));
    let pieces: Vec<(usize, usize, u32)> = cuts
        .iter()
        .enumerate()
        .map(|(i, &(at, line))| (at, cuts.get(i + 1).map_or(text.len(), |next| next.0), line))
        .collect();
    use rayon::prelude::*;
    let parts: Vec<Part> = pieces
        .par_iter()
        .map(|&(from, to, line)| read_records(file, &text[from..to], line, kind, &header))
        .collect();
    for part in parts {
        nodes.extend(part.nodes);
        edges.extend(part.edges);
        deleted.nodes.extend(part.deleted.nodes);
        deleted.edges.extend(part.deleted.edges);
        diagnostics.extend(part.diagnostics);
    }
}

/// What one piece of a CSV file holds.
#[derive(Default)]
struct Part {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    deleted: crate::Deleted,
    diagnostics: Diagnostics,
}

/// Reads the records of `text` (a piece of a file cut at a record start, whose first line is
/// `first_line` of the file) as rows under `header`.
fn read_records(file: &Arc<str>, text: &str, first_line: u32, kind: CsvKind, header: &[String]) -> Part {
    let mut part = Part::default();
    let Part {
        nodes,
        edges,
        deleted,
        diagnostics,
    } = &mut part;
    let column = |name: &str| header.iter().position(|h| h == name);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    // The line a record starts on, counted from its byte offset: the csv reader's own count
    // skips line breaks inside quoted fields.
    let mut counted = (0usize, first_line);
    let mut line_at = |byte: u64| {
        let mut byte = (byte as usize).min(text.len());
        // After a CRLF the reader places the next record at the LF.
        if text.as_bytes().get(byte) == Some(&b'\n') {
            byte += 1;
        }
        if byte >= counted.0 {
            counted.1 += text.as_bytes()[counted.0..byte]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u32;
            counted.0 = byte;
        }
        counted.1
    };
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // A &str holds no invalid UTF-8 and rows may vary in length here, so this is
                // not expected; the reader cannot resynchronise after it.
                let line = e.position().map(|p| line_at(p.byte()));
                diagnostics.push(
                    Diagnostic::new(
                        Some(Location::new(file.clone(), line, None)),
                        format!("unreadable CSV row: {e}"),
                    )
                    .with_hint("quote fields that contain commas, quotes or line breaks (\"like, this\")"),
                );
                break;
            }
        }
        let line = record.position().map(|p| line_at(p.byte()));
        let at = Location::new(file.clone(), line, None);
        if record.len() != header.len() {
            diagnostics.push(
                Diagnostic::new(
                    Some(at),
                    format!(
                        "this row has {} fields, the header {}",
                        record.len(),
                        header.len()
                    ),
                )
                .with_hint("quote fields that contain commas, quotes or line breaks (\"like, this\")"),
            );
            continue;
        }
        let cell = |name: &str| {
            column(name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .unwrap_or("")
        };
        // A `deleted` column marks rows whose stored counterpart `import --merge` removes.
        let Ok(marked) = crate::deleted_mark(cell("deleted")) else {
            diagnostics.push(
                Diagnostic::new(
                    Some(at.clone()),
                    format!("the `deleted` cell says {:?}", cell("deleted")),
                )
                .with_hint("write true, yes, 1 or x to mark the row deleted; leave it empty (or false, no, 0) otherwise"),
            );
            continue;
        };
        match kind {
            CsvKind::Nodes if marked => {
                let id = cell("id");
                if id.is_empty() {
                    diagnostics.push(
                        Diagnostic::new(Some(at.clone()), "the `id` cell is empty")
                            .with_hint("a row marked deleted needs the id of the stored node to remove"),
                    );
                } else {
                    deleted.nodes.push((id.to_owned(), at));
                }
            }
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
                    if matches!(name.as_str(), "id" | "kind" | "title" | "deleted") {
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
                    let edge = Edge {
                        from: from.to_owned(),
                        to: to.to_owned(),
                        relation: relation.to_owned(),
                        source,
                        location: Some(at),
                    };
                    if marked {
                        deleted.edges.push(edge);
                    } else {
                        edges.push(edge);
                    }
                }
            }
        }
    }
    part
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
            &mut crate::Deleted::default(),
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
    fn a_file_read_in_pieces_reads_as_a_whole() {
        // Quoted line breaks, doubled quotes, CRLF, an empty cell, a short row and a bad date,
        // cut every few bytes: the same nodes, places and problems as read in one piece.
        let text = "id,kind,title,published,owner\r\nA,device,\"two\r\nlines\",2013-11-20,QA\r\n\
                    B,device,\"say \"\"hi\"\"\",,\r\nC,device\r\nD,device,x,2013-02-30,\r\n\
                    E,device,\"a, b\",,WG\r\n";
        let read = |every: usize| {
            let (mut nodes, mut edges, mut problems) = (Vec::new(), Vec::new(), Diagnostics::default());
            read_in_pieces(
                &Arc::from("x.csv"),
                text,
                &mut nodes,
                &mut edges,
                &mut crate::Deleted::default(),
                &mut problems,
                every,
            );
            (nodes, problems.to_string())
        };
        let (whole, whole_problems) = read(usize::MAX);
        assert_eq!(whole.len(), 3, "{whole_problems}");
        assert!(
            whole_problems.contains("x.csv:5: error: this row has 2 fields"),
            "{whole_problems}"
        );
        assert!(
            whole_problems.contains("x.csv:6: error: bad `published` date"),
            "{whole_problems}"
        );
        assert_eq!(
            whole[1].location.as_ref().and_then(|l| l.line),
            Some(4),
            "after a quoted line break"
        );
        for every in [1, 7, 20, 40] {
            let (nodes, problems) = read(every);
            assert_eq!(nodes, whole, "cut every {every} bytes");
            assert_eq!(problems, whole_problems, "cut every {every} bytes");
        }
        assert!(record_starts(text, 0, 1).unwrap().len() > 4, "the cuts happen");
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
