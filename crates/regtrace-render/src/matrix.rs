//! Traceability matrices as text: CSV (one line per row, or one per link), Markdown, HTML, XLSX
//! and the terminal table, all streamed from one [`MatrixView`]; JSON from the matrix itself,
//! with every chain in full.

use std::io::Write;

use regtrace_core::text::visible;

use crate::escape::neutralise;
use crate::words::{Phrase, Word};
use regtrace_app::AppError;
use regtrace_app::matrix::MatrixAnswer;
use regtrace_core::{Chain, ColumnHead, Columns, Connection, Graph, Lang, Matrix};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

/// One column as shown.
#[derive(Debug, Clone)]
pub struct ColumnView {
    /// The column node's id, or the attribute value.
    pub key: String,
    /// The column node's title (empty for value columns).
    pub title: String,
}

/// One row as shown.
#[derive(Debug, Clone)]
pub struct RowView {
    /// The row node's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The linked cells only, by column index, ascending: `(column, text)`. Several links in
    /// one cell are on separate lines.
    pub cells: Vec<(usize, String)>,
}

impl RowView {
    /// Every cell of the row, the unlinked ones empty, for the dense formats.
    pub fn dense(&self, columns: usize) -> impl Iterator<Item = &str> {
        let mut linked = self.cells.iter().peekable();
        (0..columns).map(move |c| match linked.peek() {
            Some((at, text)) if *at == c => {
                linked.next();
                text.as_str()
            }
            _ => "",
        })
    }
}

/// The most columns the terminal table draws; wider matrices are for files.
pub const TABLE_COLUMNS: usize = 500;
/// The most columns of an XLSX sheet (Excel's limit, 16,384, less the id and title columns).
pub const XLSX_COLUMNS: usize = 16_384 - 2;
/// The most rows of an XLSX sheet (Excel's limit, 1,048,576, less the header row).
pub const XLSX_ROWS: usize = 1_048_576 - 1;

/// A matrix put into words, in one language. Only the column heads are held; each row's cells
/// are put into words when the row is written, and only the linked ones, so a matrix of
/// 100,000 × 100,000 mostly empty cells costs memory in its links, not in its area, and every
/// writer streams.
pub struct MatrixView<'a> {
    graph: &'a Graph,
    matrix: &'a Matrix,
    lang: Lang,
    /// What the rows and columns are, e.g. `guideline × standard`.
    pub caption: String,
    /// The columns.
    pub columns: Vec<ColumnView>,
    max_hops: u32,
}

/// How a row node reaches a column node, in the reason-chain notation ([`regtrace_core::Chain`])
/// without its two ends (the row and the column), e.g.
/// `—requires→ ev-x —verified_by→ tm-y —specified_by→`.
pub fn describe(graph: &Graph, connection: &Connection) -> String {
    Chain::of_connection(graph, connection).inner()
}

impl<'a> MatrixView<'a> {
    /// Puts a matrix's heads into words. Cells of node columns describe each chain; cells of
    /// value columns list the titles of the nodes carrying the value. The caption names the row
    /// and column kinds (`guideline × standard.body`) in `lang`, attributes as they are.
    pub fn of(answer: &'a MatrixAnswer<'_>, lang: Lang) -> Self {
        let (graph, matrix) = (answer.graph, &answer.matrix);
        let kind = |k| crate::words::kind(k, lang);
        let caption = match &answer.spec.columns {
            Columns::Kind(k) => format!("{} × {}", kind(answer.spec.rows), kind(*k)),
            Columns::Attribute { kind: k, attribute } => {
                format!("{} × {}.{attribute}", kind(answer.spec.rows), kind(*k))
            }
        };
        let columns = matrix
            .columns
            .iter()
            .map(|head| match head {
                ColumnHead::Node(n) => ColumnView {
                    key: graph.node(*n).id.clone(),
                    title: visible(graph.node(*n).title_in(lang)).into_owned(),
                },
                ColumnHead::Value(v) => ColumnView {
                    key: visible(v).into_owned(),
                    title: String::new(),
                },
            })
            .collect();
        MatrixView {
            graph,
            matrix,
            lang,
            caption,
            columns,
            max_hops: answer.spec.max_hops,
        }
    }

    /// How many rows.
    pub fn row_count(&self) -> usize {
        self.matrix.rows.len()
    }

    /// What the matrix left empty for chains longer than its `max_hops`, if anything.
    pub fn left_out(&self) -> Option<Phrase> {
        (self.matrix.left_out > 0).then_some(Phrase::LeftOut {
            pairs: self.matrix.left_out,
            max_hops: self.max_hops,
        })
    }

    /// How many linked cells.
    pub fn linked_cells(&self) -> usize {
        self.matrix.cells.len()
    }

    /// The rows, each put into words as it is reached.
    pub fn rows(&self) -> impl Iterator<Item = RowView> + '_ {
        (0..self.matrix.rows.len()).map(|r| self.row(r))
    }

    fn row(&self, r: usize) -> RowView {
        let (graph, lang) = (self.graph, self.lang);
        let node = graph.node(self.matrix.rows[r]);
        let cells = self
            .matrix
            .cells
            .range((r, 0)..(r + 1, 0))
            .map(|(&(_, c), links)| {
                let texts: Vec<String> = links
                    .iter()
                    .map(|conn| match &self.matrix.columns[c] {
                        ColumnHead::Node(_) => describe(graph, conn),
                        ColumnHead::Value(_) => visible(graph.node(conn.node).title_in(lang)).into_owned(),
                    })
                    .collect();
                (c, texts.join("\n"))
            })
            .collect();
        RowView {
            id: node.id.clone(),
            title: visible(node.title_in(lang)).into_owned(),
            cells,
        }
    }

    /// CSV: `id`, `title`, then one column per column key. Formula-like cells are neutralised.
    pub fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        let header = ["id", "title"]
            .into_iter()
            .chain(self.columns.iter().map(|c| c.key.as_str()));
        writer.write_record(header.map(neutralise))?;
        for row in self.rows() {
            let cells = [row.id.as_str(), row.title.as_str()]
                .into_iter()
                .chain(row.dense(self.columns.len()));
            writer.write_record(cells.map(neutralise))?;
        }
        writer.flush()
    }

    /// CSV with one line per link (the "long" form, its size in the links, not the area):
    /// `row`, `row_title`, `column`, `column_title`, `through`. Formula-like cells are
    /// neutralised.
    pub fn write_links(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(["row", "row_title", "column", "column_title", "through"])?;
        for row in self.rows() {
            for (c, text) in &row.cells {
                let column = &self.columns[*c];
                for line in text.lines() {
                    writer.write_record(
                        [&row.id, &row.title, &column.key, &column.title, line].map(neutralise),
                    )?;
                }
            }
        }
        writer.flush()
    }

    /// A Markdown (GitHub) table. Markdown's markup, `|`, `<`, `>` and `&` are escaped; line
    /// breaks become `<br>`.
    pub fn write_markdown(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let cell = crate::escape::markdown;
        if let Some(left_out) = self.left_out() {
            writeln!(out, "{}\n", cell(&left_out.say(self.lang)))?;
        }
        write!(
            out,
            "**{}**\n\n| {} | {} |",
            cell(&self.caption),
            Word::Id.say(self.lang),
            Word::Title.say(self.lang)
        )?;
        for c in &self.columns {
            if c.title.is_empty() {
                write!(out, " {} |", cell(&c.key))?;
            } else {
                write!(out, " {}<br>{} |", cell(&c.key), cell(&c.title))?;
            }
        }
        out.write_all(b"\n|---|---|")?;
        for _ in &self.columns {
            out.write_all(b"---|")?;
        }
        out.write_all(b"\n")?;
        for row in self.rows() {
            write!(out, "| {} | {} |", cell(&row.id), cell(&row.title))?;
            for text in row.dense(self.columns.len()) {
                if text.is_empty() {
                    out.write_all(b"  |")?;
                } else {
                    write!(out, " {} |", cell(text))?;
                }
            }
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// A standalone HTML page holding the table, with a header row that stays in view. The markup
    /// is also well-formed XML (void elements closed), so XML tools can read it.
    pub fn write_html(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let text = crate::escape::html;
        let lang = self.lang.code();
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>\n\
             body {{ font-family: 'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif; font-size: 13px; }}\n\
             table {{ border-collapse: collapse; }}\n\
             th, td {{ border: 1px solid #adb5bd; padding: 4px 6px; vertical-align: top; }}\n\
             thead th {{ position: sticky; top: 0; background: #e9ecef; }}\n\
             td.linked {{ background: #d1e7dd; }}\n\
             </style>\n</head>\n<body>\n<table>\n<caption>{}</caption>\n<thead>\n<tr><th>{}</th><th>{}</th>",
            text(&self.caption),
            text(&self.caption),
            Word::Id.say(self.lang),
            Word::Title.say(self.lang)
        )?;
        for c in &self.columns {
            write!(
                out,
                "<th title=\"{}\">{}</th>",
                crate::escape::html_attribute(&c.title),
                text(&c.key)
            )?;
        }
        out.write_all(b"</tr>\n</thead>\n<tbody>\n")?;
        if let Some(left_out) = self.left_out() {
            let columns = self.columns.len() + 2;
            let said = text(&left_out.say(self.lang));
            writeln!(out, "<tr><td colspan=\"{columns}\"><em>{said}</em></td></tr>")?;
        }
        for row in self.rows() {
            write!(out, "<tr><th>{}</th><td>{}</td>", text(&row.id), text(&row.title))?;
            for cell in row.dense(self.columns.len()) {
                if cell.is_empty() {
                    out.write_all(b"<td></td>")?;
                } else {
                    write!(out, "<td class=\"linked\">{}</td>", text(cell))?;
                }
            }
            out.write_all(b"</tr>\n")?;
        }
        out.write_all(b"</tbody>\n</table>\n</body>\n</html>\n")
    }

    /// Whether the matrix fits on one XLSX sheet; if not, what is over Excel's limits and what
    /// to do instead.
    pub fn xlsx_fits(&self) -> Result<(), AppError> {
        let over = if self.columns.len() > XLSX_COLUMNS {
            format!(
                "{} columns; an Excel sheet holds at most {XLSX_COLUMNS} besides id and title",
                self.columns.len()
            )
        } else if self.row_count() > XLSX_ROWS {
            format!(
                "{} rows; an Excel sheet holds at most {XLSX_ROWS} below its header",
                self.row_count()
            )
        } else {
            return Ok(());
        };
        Err(AppError::request(
            format!("the matrix does not fit on an Excel sheet: {over}"),
            Some(
                "leave out unlinked rows and columns with --hide-empty, or write --format links or csv, which have no limit"
                    .into(),
            ),
        ))
    }

    /// An XLSX workbook: one sheet, header row and id/title columns frozen, column widths fitted
    /// to the text (a CJK character counts two), linked cells shaded. Text is written as text,
    /// never as formulas. The sheet is written row by row through a temporary file (the
    /// writer's constant-memory mode), so memory does not grow with the matrix.
    pub fn write_xlsx(&self, out: impl Write + Send) -> std::io::Result<()> {
        self.workbook(out).map_err(|error| match error {
            XlsxError::IoError(e) => e,
            other => std::io::Error::other(format!("could not write the workbook: {other}")),
        })
    }

    fn workbook(&self, out: impl Write + Send) -> Result<(), XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("matrix")?;
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color("#E9ECEF");
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let linked = wrap.clone().set_background_color("#D1E7DD");

        let head = |c: &ColumnView| {
            if c.title.is_empty() {
                c.key.clone()
            } else {
                format!("{}\n{}", c.key, c.title)
            }
        };
        // Widths first (the columns are described before the rows are written), from a pass
        // that puts each row into words and lets it go.
        let mut widths = vec![width("id"), width("title")];
        widths.extend(self.columns.iter().map(|c| width(&head(c))));
        for row in self.rows() {
            widths[0] = widths[0].max(width(&row.id));
            widths[1] = widths[1].max(width(&row.title));
            for (c, text) in &row.cells {
                widths[c + 2] = widths[c + 2].max(width(text));
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))?;
        }
        sheet.set_freeze_panes(1, 2)?;

        sheet.write_string_with_format(0, 0, "id", &header)?;
        sheet.write_string_with_format(0, 1, "title", &header)?;
        for (i, c) in self.columns.iter().enumerate() {
            sheet.write_string_with_format(0, (i + 2) as u16, head(c), &header)?;
        }
        for (r, row) in self.rows().enumerate() {
            let r = (r + 1) as u32;
            sheet.write_string_with_format(r, 0, &row.id, &wrap)?;
            sheet.write_string_with_format(r, 1, &row.title, &wrap)?;
            for (c, text) in &row.cells {
                sheet.write_string_with_format(r, (c + 2) as u16, text, &linked)?;
            }
        }
        workbook.save_to_writer(out)
    }
}

/// The matrix for the terminal: a caption with the counts, then the rows; at most
/// [`TABLE_COLUMNS`] columns, more are refused with what to do instead.
pub fn table(view: &MatrixView, options: crate::doc::terminal::Options) -> Result<String, AppError> {
    use crate::doc::{Block, Doc, Head, Span, Table, one};
    if view.columns.len() > TABLE_COLUMNS {
        return Err(too_many_columns(view.columns.len()));
    }
    let heads = [Head::Word(Word::Id), Head::Word(Word::Title)]
        .into_iter()
        .chain(view.columns.iter().map(|c| Head::Text(c.key.clone())));
    let mut table = Table::with_heads(heads);
    for row in view.rows() {
        let mut cells = vec![one(Span::node(&row.id)), one(Span::text(&row.title))];
        cells.extend(row.dense(view.columns.len()).map(|c| one(Span::text(c))));
        table.row(cells);
    }
    let caption = vec![
        Span::text(&view.caption),
        Span::Phrase(Phrase::MatrixSize {
            rows: view.row_count(),
            columns: view.columns.len(),
            linked: view.linked_cells(),
        }),
    ];
    let mut blocks = vec![Block::Para(caption), Block::Table(table)];
    if let Some(left_out) = view.left_out() {
        blocks.push(Block::Para(one(Span::Phrase(left_out))));
    }
    Ok(crate::doc::terminal::write(&Doc::of(blocks), options))
}

/// The refusal of a terminal table with `columns` columns, with what to do instead.
pub fn too_many_columns(columns: usize) -> AppError {
    AppError::request(
        format!("{columns} columns are too many for a terminal table (at most {TABLE_COLUMNS})"),
        Some(
            "write a file with --format links (one line per link), csv, html or xlsx and -o FILE, narrow the columns with --cols-where FIELD=VALUE, or leave out unlinked rows and columns with --hide-empty"
                .into(),
        ),
    )
}

#[derive(Serialize)]
struct MatrixJson<'g> {
    rows: &'static str,
    columns: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute: Option<&'g str>,
    via: Vec<&'g str>,
    max_hops: u32,
    /// Row–column pairs linked only by chains longer than `max_hops`, left empty.
    left_out: usize,
    row_heads: Vec<HeadJson<'g>>,
    column_heads: Vec<HeadJson<'g>>,
    /// Only linked cells, by row then column.
    cells: Vec<CellJson<'g>>,
}

#[derive(Serialize)]
struct HeadJson<'g> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'g str>,
    /// A node head's titles (a value head has none).
    #[serde(flatten)]
    titles: Option<crate::json::Titles<'g>>,
}

#[derive(Serialize)]
struct CellJson<'g> {
    row: &'g str,
    column: &'g str,
    links: Vec<LinkJson<'g>>,
}

#[derive(Serialize)]
struct LinkJson<'g> {
    node: &'g str,
    path: Vec<&'g str>,
    relations: Vec<&'g str>,
    /// The chain in the reason-chain notation, from the row to the node reached.
    reason: String,
}

/// The matrix as one JSON document, every link with its full chain; only linked cells are
/// listed, so its size is in the links.
pub fn write_json(out: &mut dyn Write, answer: &MatrixAnswer, pretty: bool) -> std::io::Result<()> {
    let (graph, matrix, spec) = (answer.graph, &answer.matrix, &answer.spec);
    let node_head = |n: regtrace_core::NodeIx| {
        let node = graph.node(n);
        HeadJson {
            id: Some(&node.id),
            value: None,
            titles: Some(crate::json::Titles::of(node)),
        }
    };
    fn column_key<'g>(graph: &'g Graph, head: &'g ColumnHead) -> &'g str {
        match head {
            ColumnHead::Node(n) => graph.node(*n).id.as_str(),
            ColumnHead::Value(v) => v.as_str(),
        }
    }
    let document = MatrixJson {
        rows: spec.rows.as_str(),
        columns: spec.columns.kind().as_str(),
        attribute: match &spec.columns {
            Columns::Attribute { attribute, .. } => Some(attribute),
            Columns::Kind(_) => None,
        },
        via: spec
            .via
            .iter()
            .map(|r| graph.catalog().get(*r).name.as_str())
            .collect(),
        max_hops: spec.max_hops,
        left_out: matrix.left_out,
        row_heads: matrix.rows.iter().map(|n| node_head(*n)).collect(),
        column_heads: matrix
            .columns
            .iter()
            .map(|head| match head {
                ColumnHead::Node(n) => node_head(*n),
                ColumnHead::Value(v) => HeadJson {
                    id: None,
                    value: Some(v),
                    titles: None,
                },
            })
            .collect(),
        cells: matrix
            .cells
            .iter()
            .map(|((r, c), links)| CellJson {
                row: &graph.node(matrix.rows[*r]).id,
                column: column_key(graph, &matrix.columns[*c]),
                links: links
                    .iter()
                    .map(|link| LinkJson {
                        node: &graph.node(link.node).id,
                        path: link.path.iter().map(|n| graph.node(*n).id.as_str()).collect(),
                        relations: link
                            .edges
                            .iter()
                            .map(|e| graph.catalog().get(graph.link(*e).relation).name.as_str())
                            .collect(),
                        reason: Chain::of_connection(graph, link).to_string(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut out = out;
    crate::json::write(&mut out, &document, pretty)
}

/// Display width of the widest line (East Asian wide characters count two).
fn width(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_counts_double_width() {
        assert_eq!(width("人工心臓"), 8);
        assert_eq!(width("ab\n人工"), 4);
    }
}
