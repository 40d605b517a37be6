//! Traceability matrices as text: CSV, Markdown, HTML, XLSX and JSON, all from one [`MatrixView`]
//! (JSON from the matrix itself, with every chain in full).

use regtrace_core::text::visible;

use crate::escape::csv_text;
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
    /// One text per column; empty when not linked. Several links are on separate lines.
    pub cells: Vec<String>,
}

/// A matrix with every cell put into words, in one language.
#[derive(Debug, Clone)]
pub struct MatrixView {
    /// What the rows and columns are, e.g. `guideline × standard`.
    pub caption: String,
    /// The columns.
    pub columns: Vec<ColumnView>,
    /// The rows.
    pub rows: Vec<RowView>,
}

/// How a row node reaches a column node, in the reason-chain notation ([`regtrace_core::Chain`])
/// without its two ends (the row and the column), e.g.
/// `—requires→ ev-x —verified_by→ tm-y —specified_by→`.
pub fn describe(graph: &Graph, connection: &Connection) -> String {
    Chain::of_connection(graph, connection).inner()
}

impl MatrixView {
    /// Puts a matrix into words. Cells of node columns describe each chain; cells of value columns
    /// list the titles of the nodes carrying the value.
    pub fn new(graph: &Graph, matrix: &Matrix, caption: String, lang: Lang) -> MatrixView {
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
        let rows = matrix
            .rows
            .iter()
            .enumerate()
            .map(|(r, node)| RowView {
                id: graph.node(*node).id.clone(),
                title: visible(graph.node(*node).title_in(lang)).into_owned(),
                cells: (0..matrix.columns.len())
                    .map(|c| {
                        let texts: Vec<String> = matrix
                            .cell(r, c)
                            .iter()
                            .map(|conn| match &matrix.columns[c] {
                                ColumnHead::Node(_) => describe(graph, conn),
                                ColumnHead::Value(_) => {
                                    visible(graph.node(conn.node).title_in(lang)).into_owned()
                                }
                            })
                            .collect();
                        texts.join("\n")
                    })
                    .collect(),
            })
            .collect();
        MatrixView {
            caption,
            columns,
            rows,
        }
    }

    /// CSV: `id`, `title`, then one column per column key. Formula-like cells are neutralised.
    pub fn to_csv(&self) -> String {
        let mut header = vec!["id", "title"];
        header.extend(self.columns.iter().map(|c| c.key.as_str()));
        csv_text(
            &header,
            self.rows.iter().map(|row| {
                [row.id.as_str(), row.title.as_str()]
                    .into_iter()
                    .chain(row.cells.iter().map(String::as_str))
                    .collect::<Vec<_>>()
            }),
        )
    }

    /// A Markdown (GitHub) table. Backslashes, `|`, `<`, `>` and `&` are escaped; line breaks become `<br>`.
    pub fn to_markdown(&self) -> String {
        let cell = crate::escape::markdown;
        let head = |c: &ColumnView| {
            if c.title.is_empty() {
                cell(&c.key)
            } else {
                format!("{}<br>{}", cell(&c.key), cell(&c.title))
            }
        };
        let mut out = format!("**{}**\n\n| id | title |", cell(&self.caption));
        for c in &self.columns {
            out.push_str(&format!(" {} |", head(c)));
        }
        out.push_str("\n|---|---|");
        out.push_str(&"---|".repeat(self.columns.len()));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&format!("| {} | {} |", cell(&row.id), cell(&row.title)));
            for text in &row.cells {
                out.push_str(&format!(" {} |", cell(text)));
            }
            out.push('\n');
        }
        out
    }

    /// A standalone HTML page holding the table, with a header row that stays in view. The markup
    /// is also well-formed XML (void elements closed), so XML tools can read it.
    pub fn to_html(&self, lang: Lang) -> String {
        let text = crate::escape::html;
        let lang = match lang {
            Lang::En => "en",
            Lang::Ja => "ja",
        };
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>\n\
             body {{ font-family: 'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif; font-size: 13px; }}\n\
             table {{ border-collapse: collapse; }}\n\
             th, td {{ border: 1px solid #adb5bd; padding: 4px 6px; vertical-align: top; }}\n\
             thead th {{ position: sticky; top: 0; background: #e9ecef; }}\n\
             td.linked {{ background: #d1e7dd; }}\n\
             </style>\n</head>\n<body>\n<table>\n<caption>{}</caption>\n<thead>\n<tr><th>id</th><th>title</th>",
            text(&self.caption),
            text(&self.caption)
        );
        for c in &self.columns {
            out.push_str(&format!(
                "<th title=\"{}\">{}</th>",
                crate::escape::html_attribute(&c.title),
                text(&c.key)
            ));
        }
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str(&format!(
                "<tr><th>{}</th><td>{}</td>",
                text(&row.id),
                text(&row.title)
            ));
            for cell in &row.cells {
                if cell.is_empty() {
                    out.push_str("<td></td>");
                } else {
                    out.push_str(&format!("<td class=\"linked\">{}</td>", text(cell)));
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
        out
    }

    /// An XLSX workbook: one sheet, header row and id/title columns frozen, column widths fitted
    /// to the text (a CJK character counts two), linked cells shaded. Text is written as text,
    /// never as formulas.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("matrix")?;
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color("#E9ECEF");
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let linked = wrap.clone().set_background_color("#D1E7DD");

        let mut widths = vec![width("id"), width("title")];
        sheet.write_string_with_format(0, 0, "id", &header)?;
        sheet.write_string_with_format(0, 1, "title", &header)?;
        for (i, c) in self.columns.iter().enumerate() {
            let text = if c.title.is_empty() {
                c.key.clone()
            } else {
                format!("{}\n{}", c.key, c.title)
            };
            sheet.write_string_with_format(0, (i + 2) as u16, &text, &header)?;
            widths.push(width(&text));
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = (r + 1) as u32;
            sheet.write_string_with_format(r, 0, &row.id, &wrap)?;
            sheet.write_string_with_format(r, 1, &row.title, &wrap)?;
            widths[0] = widths[0].max(width(&row.id));
            widths[1] = widths[1].max(width(&row.title));
            for (c, cell) in row.cells.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string_with_format(r, (c + 2) as u16, cell, &linked)?;
                    widths[c + 2] = widths[c + 2].max(width(cell));
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))?;
        }
        sheet.set_freeze_panes(1, 2)?;
        workbook.save_to_buffer()
    }
}

/// The matrix for the terminal: a caption with the counts, then the rows.
pub fn table(answer: &MatrixAnswer, view: &MatrixView) -> String {
    let header = ["ID", "TITLE"]
        .map(String::from)
        .into_iter()
        .chain(view.columns.iter().map(|c| c.key.clone()));
    let mut table = crate::terminal::table_as_is(header);
    for row in &view.rows {
        let mut cells = vec![row.id.clone(), row.title.clone()];
        cells.extend(row.cells.iter().cloned());
        table.add_row(cells);
    }
    format!(
        "{} ({} rows, {} columns, {} linked cells)\n{}",
        view.caption,
        view.rows.len(),
        view.columns.len(),
        answer.matrix.cells.len(),
        crate::terminal::render(&table)
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
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title_ja: Option<&'g str>,
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

/// The matrix as one JSON document, every link with its full chain.
pub fn json(answer: &MatrixAnswer, pretty: bool) -> String {
    let (graph, matrix, spec) = (answer.graph, &answer.matrix, &answer.spec);
    let node_head = |n: regtrace_core::NodeIx| {
        let node = graph.node(n);
        HeadJson {
            id: Some(&node.id),
            value: None,
            title: Some(&node.title),
            title_ja: node.title_ja.as_deref(),
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
        row_heads: matrix.rows.iter().map(|n| node_head(*n)).collect(),
        column_heads: matrix
            .columns
            .iter()
            .map(|head| match head {
                ColumnHead::Node(n) => node_head(*n),
                ColumnHead::Value(v) => HeadJson {
                    id: None,
                    value: Some(v),
                    title: None,
                    title_ja: None,
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
    crate::json::text(&document, pretty)
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
