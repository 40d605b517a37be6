//! Traceability matrices as text: CSV, Markdown, HTML and XLSX, all from one [`MatrixView`].

use regtrace_core::text::visible;
use regtrace_core::{ColumnHead, Connection, Graph, Lang, Matrix};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use unicode_width::UnicodeWidthStr;

/// CSV text from a header and rows. Cells starting with `= + - @` (or a tab or carriage return)
/// get a leading apostrophe so spreadsheets do not run them as formulas.
pub fn csv_text<I, R, C>(header: &[&str], rows: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(header.iter().map(|h| neutralise(h)));
    for row in rows {
        let _ = writer.write_record(row.into_iter().map(|c| neutralise(c.as_ref())));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A cell a spreadsheet would run as a formula, made inert with a leading apostrophe; and
/// characters that steer a display shown, not obeyed ([`regtrace_core::text::visible`]).
pub fn neutralise(cell: &str) -> String {
    let cell = regtrace_core::text::visible(cell);
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '␍') => format!("'{cell}"),
        _ => cell.into_owned(),
    }
}

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

/// How a row node reaches a column node, in words: the relations along the chain (`←` marks an
/// edge followed backwards) and the nodes passed through, e.g.
/// `requires → verified_by → specified_by (via ev-x, tm-y)`.
pub fn describe(graph: &Graph, connection: &Connection) -> String {
    let relations: Vec<String> = connection
        .edges
        .iter()
        .zip(&connection.path)
        .map(|(edge, at)| {
            let link = graph.link(*edge);
            let name = &graph.catalog().get(link.relation).name;
            if link.from == *at {
                name.clone()
            } else {
                format!("← {name}")
            }
        })
        .collect();
    let mut text = relations.join(" → ");
    let through = &connection.path[1..connection.path.len().saturating_sub(1)];
    if !through.is_empty() {
        let ids: Vec<&str> = through.iter().map(|n| graph.node(*n).id.as_str()).collect();
        text.push_str(&format!(" (via {})", ids.join(", ")));
    }
    text
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
        let cell = |text: &str| -> String {
            html_escape::encode_text(text)
                .replace('\\', "\\\\")
                .replace('|', "\\|")
                .replace('\n', "<br>")
        };
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
        let text = |t: &str| html_escape::encode_text(t).replace('\n', "<br/>");
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
                html_escape::encode_double_quoted_attribute(&c.title),
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

/// Display width of the widest line (East Asian wide characters count two).
fn width(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised() {
        let text = csv_text(&["a"], [["=1+2"], ["@SUM(A1)"], ["-3"], ["plain"]]);
        assert_eq!(text, "a\n'=1+2\n'@SUM(A1)\n'-3\nplain\n");
    }

    #[test]
    fn japanese_counts_double_width() {
        assert_eq!(width("人工心臓"), 8);
        assert_eq!(width("ab\n人工"), 4);
    }
}
