//! The bulk format: a `nodes.csv` (header `id,kind,title` plus optional known columns; any
//! other column becomes a free attribute) and an `edges.csv` (header `from,to,relation`, optional
//! `source`). Which file is which is told by its header, so any file names work.

use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Edge, EdgeList, Location, Node};

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

impl CsvKind {
    /// `nodes` or `edges`.
    pub(crate) fn word(self) -> &'static str {
        match self {
            CsvKind::Nodes => "nodes",
            CsvKind::Edges => "edges",
        }
    }

    /// The columns a header must name.
    pub(crate) fn required(self) -> &'static [&'static str] {
        match self {
            CsvKind::Nodes => &["id", "kind", "title"],
            CsvKind::Edges => &["from", "to", "relation"],
        }
    }
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes())
}

/// A header cell's column name: the known columns in lower case (`ID` is `id`), other names
/// (free attributes) as written.
pub(crate) fn normalise_column(name: &str) -> String {
    let name = name.trim();
    let lower = name.to_ascii_lowercase();
    if regtrace_core::Node::FIELDS.contains(&lower.as_str()) || EDGE_COLUMNS.contains(&lower.as_str()) {
        lower
    } else if lower.starts_with("attributes.") {
        format!("attributes.{}", &name["attributes.".len()..])
    } else {
        name.to_owned()
    }
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
    edges: &mut EdgeList,
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
    edges: &mut EdgeList,
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
        Ok(h) => h.iter().map(normalise_column).collect(),
        Err(e) => {
            diagnostics.push(Diagnostic::new(
                whole_file,
                format!("cannot read the CSV header: {e}"),
            ));
            return;
        }
    };
    let header_at = Location::new(file.clone(), Some(1), None);
    let Some(kind) = header_kind(&header, &header_at, None, diagnostics) else {
        return;
    };
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
    // Sized once: growing by doubling would hold up to twice the rows while they are moved.
    nodes.reserve(parts.iter().map(|p| p.nodes.len()).sum());
    edges.reserve(
        parts.iter().map(|p| p.edges.len()).sum(),
        parts.iter().map(|p| p.edges.text_len()).sum(),
    );
    for part in parts {
        nodes.extend(part.nodes);
        edges.append(part.edges);
        deleted.nodes.extend(part.deleted.nodes);
        deleted.edges.extend(part.deleted.edges);
        diagnostics.extend(part.diagnostics);
    }
}

/// Checks a header row (of a CSV file, or of a workbook's sheet that should hold `expected`):
/// what it holds, or `None` with every problem reported at `at`.
pub(crate) fn header_kind(
    header: &[String],
    at: &Location,
    expected: Option<CsvKind>,
    diagnostics: &mut Diagnostics,
) -> Option<CsvKind> {
    let has = |c: &str| header.iter().any(|h| h == c);
    let told = if has("from") || has("to") || has("relation") {
        Some(CsvKind::Edges)
    } else if has("id") || has("kind") || has("title") {
        Some(CsvKind::Nodes)
    } else {
        None
    };
    let kind = match (expected, told) {
        (Some(expected), Some(told)) if expected != told => {
            diagnostics.push(
                Diagnostic::new(
                    Some(at.clone()),
                    format!("this header ({}) is for {}", header.join(","), told.word()),
                )
                .with_hint(format!(
                    "the `{}` sheet starts with the header {}",
                    expected.word(),
                    expected.required().join(",")
                )),
            );
            return None;
        }
        (Some(kind), _) | (None, Some(kind)) => kind,
        (None, None) => {
            diagnostics.push(
                Diagnostic::new(Some(at.clone()), format!("unrecognised CSV header {:?}", header.join(",")))
                    .with_hint("a nodes file starts with the header id,kind,title (then optional columns); an edges file with from,to,relation"),
            );
            return None;
        }
    };
    let required = kind.required();
    let header_at = Some(at.clone());
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
    header_ok.then_some(kind)
}

/// The line a record starts on, counted from its byte offset as records pass in order: the csv
/// reader's own count skips line breaks inside quoted fields.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    /// (byte, its line) as far as counted.
    counted: (usize, u32),
}

impl<'a> LineCounter<'a> {
    /// A counter over `text`, whose first line is `first_line`.
    pub(crate) fn new(text: &'a str, first_line: u32) -> Self {
        LineCounter {
            text: text.as_bytes(),
            counted: (0, first_line),
        }
    }

    /// The line of the record at byte `byte`.
    pub(crate) fn at(&mut self, byte: u64) -> u32 {
        let mut byte = (byte as usize).min(self.text.len());
        // After a CRLF the reader places the next record at the LF.
        if self.text.get(byte) == Some(&b'\n') {
            byte += 1;
        }
        if byte >= self.counted.0 {
            self.counted.1 += self.text[self.counted.0..byte]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u32;
            self.counted.0 = byte;
        }
        self.counted.1
    }
}

/// What one piece of a CSV file (or one sheet of a workbook) holds.
#[derive(Default)]
pub(crate) struct Part {
    pub(crate) nodes: Vec<Node>,
    pub(crate) edges: EdgeList,
    pub(crate) deleted: crate::Deleted,
    pub(crate) diagnostics: Diagnostics,
}

/// Reads one row of `cells` under `header` (checked by [`header_kind`], one cell per column):
/// a node, a link or a deletion mark. `at` is the row's place and `cell_at` a column's (a
/// workbook names the cell; a CSV file, the line).
pub(crate) fn read_row(
    kind: CsvKind,
    header: &[String],
    cells: &[&str],
    at: &Location,
    cell_at: &dyn Fn(usize) -> Location,
    part: &mut Part,
) {
    let Part {
        nodes,
        edges,
        deleted,
        diagnostics,
    } = part;
    let column = |name: &str| header.iter().position(|h| h == name);
    let cell = |name: &str| column(name).and_then(|i| cells.get(i)).map_or("", |c| c.trim());
    let place = |name: &str| column(name).map_or_else(|| at.clone(), cell_at);
    // A `deleted` column marks rows whose stored counterpart `import --merge` removes.
    let Ok(marked) = crate::deleted_mark(cell("deleted")) else {
        diagnostics.push(
            Diagnostic::new(
                Some(place("deleted")),
                format!("the `deleted` cell says {:?}", cell("deleted")),
            )
            .with_hint(
                "write true, yes, 1 or x to mark the row deleted; leave it empty (or false, no, 0) otherwise",
            ),
        );
        return;
    };
    match kind {
        CsvKind::Nodes if marked => {
            let id = cell("id");
            if id.is_empty() {
                diagnostics.push(
                    Diagnostic::new(Some(place("id")), "the `id` cell is empty")
                        .with_hint("a row marked deleted needs the id of the stored node to remove"),
                );
            } else {
                deleted.nodes.push((id.to_owned(), at.clone()));
            }
        }
        CsvKind::Nodes => {
            let mut draft = NodeDraft::new(at.clone());
            let field = |name: &str| {
                let value = cell(name);
                (!value.is_empty()).then(|| Field::new(value, place(name)))
            };
            draft.id = field("id");
            draft.kind = field("kind");
            draft.title = field("title");
            for (i, (name, value)) in header.iter().zip(cells).enumerate() {
                if matches!(name.as_str(), "id" | "kind" | "title" | "deleted") {
                    continue;
                }
                let value = value.trim();
                if value.is_empty() {
                    continue;
                }
                if let Some(attribute) = name.strip_prefix("attributes.") {
                    draft.attributes.insert(attribute.to_owned(), value.to_owned());
                } else if !draft.set_known(name, Field::new(value, cell_at(i))) {
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
                        Diagnostic::new(Some(place(name)), format!("the `{name}` cell is empty"))
                            .with_hint("every edge row needs from, to and relation"),
                    );
                }
            }
            if complete {
                let source = Some(cell("source")).filter(|s| !s.is_empty());
                if marked {
                    deleted.edges.push(Edge {
                        source: source.map(str::to_owned),
                        location: Some(at.clone()),
                        ..Edge::new(from, relation, to)
                    });
                } else {
                    edges.push_parts(from, relation, to, source, Some(at));
                }
            }
        }
    }
}

/// Reads the records of `text` (a piece of a file cut at a record start, whose first line is
/// `first_line` of the file) as rows under `header`.
fn read_records(file: &Arc<str>, text: &str, first_line: u32, kind: CsvKind, header: &[String]) -> Part {
    let mut part = Part::default();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    // The line a record starts on, counted from its byte offset: the csv reader's own count
    // skips line breaks inside quoted fields.
    let mut lines = LineCounter::new(text, first_line);
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // A &str holds no invalid UTF-8 and rows may vary in length here, so this is
                // not expected; the reader cannot resynchronise after it.
                let line = e.position().map(|p| lines.at(p.byte()));
                part.diagnostics.push(
                    Diagnostic::new(
                        Some(Location::new(file.clone(), line, None)),
                        format!("unreadable CSV row: {e}"),
                    )
                    .with_hint("quote fields that contain commas, quotes or line breaks (\"like, this\")"),
                );
                break;
            }
        }
        let line = record.position().map(|p| lines.at(p.byte()));
        let at = Location::new(file.clone(), line, None);
        if record.len() != header.len() {
            part.diagnostics.push(
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
        let cells: Vec<&str> = record.iter().collect();
        read_row(kind, header, &cells, &at, &|_| at.clone(), &mut part);
    }
    part
}

/// A nodes file and an edges file, told apart by their headers.
pub(crate) struct Csv;

impl crate::format::Importer for Csv {
    fn info(&self) -> &'static crate::format::Info {
        &crate::format::Info {
            name: "csv",
            summary: "a nodes file (id,kind,title,…) and an edges file (from,to,relation)",
            extensions: &["csv"],
            detected: true,
            empty_hint: "a nodes file starts with the header id,kind,title; an edges file with from,to,relation; or leave the file out",
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
        if let Some(text) = crate::format::text(file, bytes, diagnostics) {
            read(
                file,
                &text,
                &mut into.nodes,
                &mut into.edges,
                &mut into.deleted,
                diagnostics,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> (Vec<Node>, Vec<Edge>, Vec<String>) {
        let (mut nodes, mut edges, mut diagnostics) = (Vec::new(), EdgeList::new(), Diagnostics::default());
        read(
            &Arc::from("x.csv"),
            text,
            &mut nodes,
            &mut edges,
            &mut crate::Deleted::default(),
            &mut diagnostics,
        );
        (
            nodes,
            edges.to_edges(),
            diagnostics.iter().map(|d| d.to_string()).collect(),
        )
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
            let (mut nodes, mut edges, mut problems) = (Vec::new(), EdgeList::new(), Diagnostics::default());
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
    fn header_names_are_matched_without_case_and_attributes_keep_theirs() {
        assert_eq!(normalise_column(" ID "), "id");
        assert_eq!(normalise_column("Title_JA"), "title_ja");
        assert_eq!(normalise_column("From"), "from");
        assert_eq!(normalise_column("Attributes.Owner"), "attributes.Owner");
        assert_eq!(normalise_column("Owner"), "Owner");
        let (nodes, _, problems) = read_str("ID,Kind,Title,Owner\nA,device,Pump,QA\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(nodes[0].attributes["Owner"], "QA");
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
