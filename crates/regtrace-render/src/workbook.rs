//! The data set as an Excel workbook (`export --format xlsx`): a sheet `nodes` and a sheet
//! `edges` in the column layout of the CSV pair, which `import` reads back, plus a protected
//! `reviews` sheet of the history when there is one (for reading; import leaves it alone).
//!
//! Every text is written as text, so a title that starts with `=` stays that title and never
//! becomes a formula; dates are Excel dates shown as `yyyy-mm-dd`, so they sort and filter.

use regtrace_core::record::History;
use regtrace_core::{Graph, Node, Subgraph};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// The columns of an `edges` sheet, in order (a deletion mark is not exported).
const EDGE_SHEET: [&str; 4] = ["from", "to", "relation", "source"];
/// The `relation` column of [`EDGE_SHEET`].
const RELATION_COLUMN: u16 = 2;

/// The workbook of the nodes and edges of `subgraph`, with the history's reviews if given.
pub fn data_workbook(
    graph: &Graph,
    subgraph: &Subgraph,
    history: Option<&History>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#E9ECEF");
    let date = Format::new().set_num_format("yyyy-mm-dd");

    // Nodes: the fields, then every attribute any node has, as `attributes.NAME` (a plain name
    // could be read back as a field, or refused as one misspelled).
    let nodes: Vec<&Node> = subgraph.nodes.iter().map(|&ix| graph.node(ix)).collect();
    let attributes: std::collections::BTreeSet<&str> = nodes
        .iter()
        .flat_map(|n| n.attributes.keys().map(String::as_str))
        .collect();
    let sheet = workbook.add_worksheet();
    sheet.set_name("nodes")?;
    let mut columns: Vec<String> = Node::FIELDS.iter().map(|f| (*f).to_owned()).collect();
    columns.extend(attributes.iter().map(|a| format!("attributes.{a}")));
    write_header(sheet, &columns, &header)?;
    for (r, node) in nodes.iter().enumerate() {
        let row = (r + 1) as u32;
        let mut values = node.field_values();
        values.insert("id".into(), node.id.clone());
        for (c, column) in columns.iter().enumerate() {
            let Some(value) = values.get(column) else {
                continue;
            };
            let c = c as u16;
            match column_date(column, value) {
                Some(day) => sheet.write_datetime_with_format(row, c, &day, &date)?,
                None => sheet.write_string(row, c, value)?,
            };
        }
    }
    finish(sheet, &columns, nodes.len())?;

    let sheet = workbook.add_worksheet();
    sheet.set_name("edges")?;
    let columns: Vec<String> = EDGE_SHEET.map(str::to_owned).to_vec();
    write_header(sheet, &columns, &header)?;
    for (r, &ix) in subgraph.edges.iter().enumerate() {
        let link = graph.link(ix);
        let row = (r + 1) as u32;
        sheet.write_string(row, 0, &graph.node(link.from).id)?;
        sheet.write_string(row, 1, &graph.node(link.to).id)?;
        sheet.write_string(row, RELATION_COLUMN, &graph.catalog().get(link.relation).name)?;
        if let Some(source) = &link.source {
            sheet.write_string(row, 3, source)?;
        }
    }
    finish(sheet, &columns, subgraph.edges.len())?;

    if let Some(history) = history.filter(|h| !h.reviews.is_empty()) {
        let sheet = workbook.add_worksheet();
        sheet.set_name("reviews")?;
        let columns: Vec<String> = [
            "review",
            "event",
            "changed",
            "what",
            "date",
            "node",
            "distance",
            "path",
            "state",
            "outcome",
            "replaced_by",
            "by",
            "decided_on",
            "note",
        ]
        .map(str::to_owned)
        .to_vec();
        write_header(sheet, &columns, &header)?;
        let events: std::collections::HashMap<i64, &regtrace_core::record::EventRecord> =
            history.events.iter().map(|e| (e.id, e)).collect();
        for (r, review) in history.reviews.iter().enumerate() {
            let row = (r + 1) as u32;
            let event = events.get(&review.event);
            let decision = review.decisions.last();
            let cells: [Option<String>; 14] = [
                Some(review.id.to_string()),
                Some(review.event.to_string()),
                event.map(|e| e.node.clone()),
                event.map(|e| e.what.clone()),
                event.map(|e| e.date.clone()),
                Some(review.node.clone()),
                Some(review.distance.to_string()),
                Some(review.path.join(" → ")),
                Some(if decision.is_some() { "closed" } else { "open" }.to_owned()),
                decision.map(|d| d.outcome.clone()),
                decision.and_then(|d| d.replaced_by.clone()),
                decision.map(|d| d.by.clone()),
                decision.and_then(|d| d.decided_on.clone()),
                decision.and_then(|d| d.note.clone()),
            ];
            for (c, cell) in cells.iter().enumerate() {
                if let Some(value) = cell {
                    sheet.write_string(row, c as u16, value)?;
                }
            }
        }
        finish(sheet, &columns, history.reviews.len())?;
        // Decisions are recorded with `review close`, not typed into a copy.
        sheet.protect();
    }
    workbook.save_to_buffer()
}

/// A date field's value as an Excel date; `None` for other columns, and for a month or a year
/// (kept as text, not turned into an invented day).
fn column_date(column: &str, value: &str) -> Option<ExcelDateTime> {
    if !regtrace_core::Dates::FIELDS.contains(&column) {
        return None;
    }
    excel_day(value)
}

/// A day written YYYY-MM-DD as an Excel date.
fn excel_day(value: &str) -> Option<ExcelDateTime> {
    let day = regtrace_core::model::parse_day(value).ok()?;
    use chrono::Datelike;
    ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8).ok()
}

/// A sheet of text cells (an answer's table, for Excel): the header bold and frozen, columns
/// sized to their text (a CJK character counts two), and every cell written as text, never as a
/// formula, with nothing that steers a display or that XML forbids.
pub fn text_sheet<R: AsRef<[String]>>(
    workbook: &mut Workbook,
    name: &str,
    header: &[&str],
    rows: &[R],
) -> Result<(), XlsxError> {
    typed_sheet(workbook, name, header, &[], rows)
}

/// What a column of a typed sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Text (never a formula).
    Text,
    /// Numbers: written as numbers, so they sum and sort (a cell that is not one stays text).
    Number,
    /// Days (YYYY-MM-DD): written as Excel dates shown `yyyy-mm-dd`, so they sort and filter.
    Day,
}

/// [`text_sheet`] whose columns say what they hold (`types`, by position; missing: text).
pub fn typed_sheet<R: AsRef<[String]>>(
    workbook: &mut Workbook,
    name: &str,
    header: &[&str],
    types: &[Cell],
    rows: &[R],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.as_ref().iter().enumerate() {
            let cell = regtrace_core::text::visible(cell);
            let (at_row, at_column) = ((r + 1) as u32, c as u16);
            let kind = types.get(c).copied().unwrap_or(Cell::Text);
            let number = (kind == Cell::Number)
                .then(|| cell.parse::<f64>().ok().filter(|n| n.is_finite()))
                .flatten();
            let day = (kind == Cell::Day).then(|| excel_day(&cell)).flatten();
            match (number, day) {
                (Some(n), _) => sheet.write_number(at_row, at_column, n)?,
                (_, Some(day)) => sheet.write_datetime_with_format(at_row, at_column, &day, &date)?,
                _ => sheet.write_string(at_row, at_column, cell.as_ref())?,
            };
            let width = unicode_width::UnicodeWidthStr::width(cell.as_ref());
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_header(sheet: &mut Worksheet, columns: &[String], header: &Format) -> Result<(), XlsxError> {
    for (c, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, name, header)?;
    }
    Ok(())
}

/// Frozen header, a filter on every column, readable widths.
fn finish(sheet: &mut Worksheet, columns: &[String], rows: usize) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 0)?;
    if !columns.is_empty() {
        sheet.autofilter(0, 0, rows as u32, (columns.len() - 1) as u16)?;
    }
    for (c, name) in columns.iter().enumerate() {
        let width = match name.as_str() {
            "title" | "title_ja" | "source" | "path" | "note" => 40.0,
            _ => (name.chars().count() as f64 + 4.0).clamp(10.0, 24.0),
        };
        sheet.set_column_width(c as u16, width)?;
    }
    Ok(())
}

/// Rows of the starter workbook's `nodes` and `edges` sheets that offer the drop-downs.
const TEMPLATE_ROWS: u32 = 5000;

/// The starter workbook `init` writes (`data.xlsx`): empty `nodes` and `edges` sheets in the
/// columns `import` reads, with drop-downs for kind, status and relation (from the catalog) and
/// frozen header rows, and two protected sheets to read: `kinds` (each kind's Japanese name and
/// the statuses it may have) and `relations` (the catalog: which kinds each relation joins and
/// which way a change flows).
pub fn template_workbook(catalog: &regtrace_core::RelationCatalog) -> Result<Vec<u8>, XlsxError> {
    use regtrace_core::{Lang, NodeKind, Status};
    use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Formula};
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#E9ECEF");
    let list = |range: String, what: &str| -> Result<DataValidation, XlsxError> {
        DataValidation::new()
            .allow_list_formula(Formula::new(range))
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_error_title(format!("Not a {what}"))?
            .set_error_message(format!(
                "Choose a {what} from the list (see the sheets kinds and relations)."
            ))
    };
    let kinds = NodeKind::ALL.len() as u32;
    let statuses = Status::ALL.len() as u32;
    let relations = catalog.relations().len() as u32;

    let sheet = workbook.add_worksheet();
    sheet.set_name("nodes")?;
    let columns: Vec<String> = Node::FIELDS.iter().map(|f| (*f).to_owned()).collect();
    write_header(sheet, &columns, &header)?;
    let at = |name: &str| columns.iter().position(|c| c == name).unwrap_or(0) as u16;
    let (kind, status) = (at("kind"), at("status"));
    sheet.add_data_validation(
        1,
        kind,
        TEMPLATE_ROWS,
        kind,
        &list(format!("=kinds!$A$2:$A${}", kinds + 1), "kind")?,
    )?;
    sheet.add_data_validation(
        1,
        status,
        TEMPLATE_ROWS,
        status,
        &list(format!("=kinds!$E$2:$E${}", statuses + 1), "status")?,
    )?;
    finish(sheet, &columns, 0)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name("edges")?;
    let columns: Vec<String> = EDGE_SHEET.map(str::to_owned).to_vec();
    write_header(sheet, &columns, &header)?;
    sheet.add_data_validation(
        1,
        RELATION_COLUMN,
        TEMPLATE_ROWS,
        RELATION_COLUMN,
        &list(format!("=relations!$A$2:$A${}", relations + 1), "relation")?,
    )?;
    finish(sheet, &columns, 0)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name("kinds")?;
    let columns: Vec<String> = ["kind", "kind_ja", "statuses", "", "status", "status_ja"]
        .map(str::to_owned)
        .to_vec();
    write_header(sheet, &columns, &header)?;
    for (r, kind) in NodeKind::ALL.iter().enumerate() {
        let row = r as u32 + 1;
        sheet.write_string(row, 0, kind.as_str())?;
        sheet.write_string(row, 1, crate::words::kind(*kind, Lang::Ja))?;
        let allowed: Vec<&str> = kind.allowed_statuses().iter().map(|s| s.as_str()).collect();
        sheet.write_string(row, 2, allowed.join(", "))?;
    }
    for (r, status) in Status::ALL.iter().enumerate() {
        let row = r as u32 + 1;
        sheet.write_string(row, 4, status.as_str())?;
        sheet.write_string(row, 5, crate::words::status(*status, Lang::Ja))?;
    }
    finish(sheet, &columns, kinds.max(statuses) as usize)?;
    sheet.protect();

    let sheet = workbook.add_worksheet();
    sheet.set_name("relations")?;
    let columns: Vec<String> = ["relation", "relation_ja", "from", "to", "impact", "description"]
        .map(str::to_owned)
        .to_vec();
    write_header(sheet, &columns, &header)?;
    for (r, relation) in catalog.relations().iter().enumerate() {
        let row = r as u32 + 1;
        let spec = relation.to_spec();
        let cells = [
            spec.name,
            spec.title_ja.unwrap_or_default(),
            spec.from.join(", "),
            spec.to.join(", "),
            spec.impact,
            spec.description,
        ];
        for (c, cell) in cells.iter().enumerate() {
            sheet.write_string(row, c as u16, cell)?;
        }
    }
    finish(sheet, &columns, relations as usize)?;
    sheet.set_column_width(5, 80.0)?;
    sheet.protect();
    workbook.save_to_buffer()
}
