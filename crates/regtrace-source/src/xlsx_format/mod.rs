//! Excel workbooks: a sheet `nodes` and a sheet `edges` with the columns of the CSV pair (any
//! other sheet is left alone, such as the `reviews` sheet `export --format xlsx` adds). Header
//! names are matched without regard to case; dates may be Excel dates or `YYYY-MM-DD` text.
//! Every problem names its cell as Excel does (`data.xlsx:nodes!C17`).
//!
//! A workbook says what a cell shows, not only what it holds: a formula, a merged cell, a
//! hidden sheet, row or column, a number Excel shows rounded or a date typed as a plain number
//! would be read as something other than what the person sees, so each is an error at its cell
//! rather than a guess.
//!
//! A workbook is a zip of XML parts and hostile until read ([`package`]): its parts' real sizes
//! are bounded before calamine reads them, its cells are read one at a time and counted, and no
//! allocation is sized by a number the file gives (a cell at `XFD1048576` is one cell, not a
//! sheet of seventeen billion).

mod package;

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, DataRef, Reader};
use regtrace_core::{Diagnostic, Diagnostics, Location};

use crate::csv_format::{self, CsvKind, Part};

/// The workbook format.
pub(crate) struct Xlsx;

impl crate::format::Importer for Xlsx {
    fn info(&self) -> &'static crate::format::Info {
        &crate::format::Info {
            name: "xlsx",
            summary: "an Excel workbook with sheets `nodes` and `edges` (the CSV columns; `export --format xlsx`)",
            extensions: &["xlsx"],
            detected: true,
            empty_hint: "save the workbook again from Excel, or leave the file out",
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
        let mut part = Part::default();
        read(file, bytes, &mut part);
        into.nodes.extend(part.nodes);
        into.edges.append(part.edges);
        into.deleted.nodes.extend(part.deleted.nodes);
        into.deleted.edges.extend(part.deleted.edges);
        diagnostics.extend(part.diagnostics);
    }
}

fn read(file: &Arc<str>, bytes: Vec<u8>, part: &mut Part) {
    let whole = || Some(Location::new(file.clone(), None, None));
    let listed = match package::inspect(&bytes) {
        Ok(listed) => listed,
        Err((message, hint)) => {
            part.diagnostics
                .push(Diagnostic::new(whole(), message).with_hint(hint));
            return;
        }
    };
    let mut workbook = match calamine::Xlsx::new(Cursor::new(bytes.as_slice())) {
        Ok(workbook) => workbook,
        Err(e) => {
            part.diagnostics.push(
                Diagnostic::new(whole(), format!("not a readable Excel workbook: {e}")).with_hint(
                    "save it from Excel as \"Excel Workbook (.xlsx)\"; an older .xls or a .csv is not one",
                ),
            );
            return;
        }
    };
    let names = workbook.sheet_names();
    // Every sheet that answers to the name: one that Excel does not show, or two that look
    // alike (`nodes` and ` Nodes`), is refused, never read in place of the one on screen.
    let mut sheets: Vec<(CsvKind, String)> = Vec::new();
    let mut refused = false;
    for kind in [CsvKind::Nodes, CsvKind::Edges] {
        let matching: Vec<&String> = names
            .iter()
            .filter(|n| n.trim().eq_ignore_ascii_case(kind.word()))
            .collect();
        let state = |name: &str| {
            listed
                .iter()
                .find(|s| s.name == name)
                .map_or("visible", |s| s.state.as_str())
                .to_owned()
        };
        if matching.len() > 1 {
            refused = true;
            let quoted: Vec<String> = matching.iter().map(|n| format!("{n:?}")).collect();
            part.diagnostics.push(
                Diagnostic::new(
                    Some(Location::cell(
                        file.clone(),
                        Arc::from(matching[0].as_str()),
                        1,
                        1,
                    )),
                    format!(
                        "{} sheets answer to the name `{}`: {}",
                        matching.len(),
                        kind.word(),
                        quoted.join(", ")
                    ),
                )
                .with_hint(
                    "keep one sheet of that name (with no spaces around it) and rename or delete the others",
                ),
            );
            continue;
        }
        let Some(name) = matching.first() else {
            continue;
        };
        let shown = state(name);
        if shown != "visible" {
            refused = true;
            part.diagnostics.push(
                Diagnostic::new(
                    Some(Location::cell(file.clone(), Arc::from(name.as_str()), 1, 1)),
                    format!("the sheet `{name}` is {shown}: Excel does not show it, so regtrace does not read it"),
                )
                .with_hint(if shown == "veryHidden" {
                    "a very hidden sheet is shown only from the VBA editor (Alt+F11, the sheet's Visible property): make it visible and check it, or delete it"
                } else {
                    "unhide it (right-click a sheet tab → Unhide) and check what it holds, or delete it"
                }),
            );
            continue;
        }
        sheets.push((kind, (*name).clone()));
    }
    if refused {
        return;
    }
    if sheets.is_empty() {
        let first = names
            .first()
            .map(|n| Location::cell(file.clone(), Arc::from(n.as_str()), 1, 1));
        part.diagnostics.push(
            Diagnostic::new(
                first.or_else(whole),
                format!(
                    "the workbook has no sheet named `nodes` or `edges` (its sheets: {})",
                    names.join(", ")
                ),
            )
            .with_hint(
                "rename the sheet of nodes to `nodes` and the sheet of links to `edges`, with the columns of nodes.csv and edges.csv; `regtrace export --format xlsx` writes one to start from",
            ),
        );
        return;
    }
    for (kind, name) in sheets {
        let scanned = listed
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.path.as_deref())
            .map_or_else(|| package::scan_all(&bytes), |path| package::scan(&bytes, path));
        match scanned {
            Ok(hidden) => read_sheet(file, &mut workbook, kind, &name, &hidden, part),
            Err((message, hint)) => part.diagnostics.push(
                Diagnostic::new(
                    Some(Location::cell(file.clone(), Arc::from(name.as_str()), 1, 1)),
                    message,
                )
                .with_hint(hint),
            ),
        }
    }
}

/// A cell's place, from its 0-based (row, column) in the sheet.
fn place(file: &Arc<str>, sheet: &Arc<str>, (row, column): (u32, u32)) -> Location {
    Location::cell(file.clone(), sheet.clone(), row + 1, column + 1)
}

/// Cells (with a value) a sheet may hold; a table of a million rows by twenty columns fits.
const MAX_CELLS: usize = 25_000_000;
/// Bytes of text a sheet's cells may hold together: a string shared by many cells counts once
/// per cell, as it is read. A million rows with 500 bytes of text each fit.
const MAX_TEXT: usize = 512 << 20;
/// Rows × columns of a sheet's used area that are walked (empty rows are not).
const MAX_AREA: u64 = 50_000_000;

/// The cells of a sheet with a value, read one at a time: (row, column, value), 0-based.
type Cells = Vec<(u32, u32, Data)>;

fn read_cells(workbook: &mut calamine::Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Cells, (String, String)> {
    let cannot = |e: calamine::XlsxError| {
        (
            format!("cannot read the sheet: {e}"),
            "save the workbook again from Excel".to_owned(),
        )
    };
    let mut reader = workbook.worksheet_cells_reader(name).map_err(cannot)?;
    let mut cells = Vec::new();
    let mut text = 0usize;
    while let Some(cell) = reader.next_cell().map_err(cannot)? {
        let (row, column) = cell.get_position();
        let value = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::SharedString(s) => {
                text += s.len();
                Data::String((*s).to_owned())
            }
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                text += s.len();
                Data::from(cell.get_value().clone())
            }
            other => Data::from(other.clone()),
        };
        if cells.len() == MAX_CELLS || text > MAX_TEXT {
            return Err((
                format!(
                    "the sheet holds more than {} (at most {MAX_CELLS} cells and {} MiB of text): regtrace does not read it",
                    if text > MAX_TEXT { format!("{} MiB of text", MAX_TEXT >> 20) } else { format!("{MAX_CELLS} cells") },
                    MAX_TEXT >> 20
                ),
                "split the data over several workbooks or save it as CSV, which has no such limit; a text repeated in many cells counts in each".to_owned(),
            ));
        }
        cells.push((row, column, value));
    }
    Ok(cells)
}

fn read_sheet(
    file: &Arc<str>,
    workbook: &mut calamine::Xlsx<Cursor<&[u8]>>,
    kind: CsvKind,
    name: &str,
    hidden: &package::Hidden,
    part: &mut Part,
) {
    let sheet: Arc<str> = Arc::from(name);
    let at_sheet = || Some(Location::cell(file.clone(), sheet.clone(), 1, 1));
    let mut cells = match read_cells(workbook, name) {
        Ok(cells) => cells,
        Err((message, hint)) => {
            part.diagnostics
                .push(Diagnostic::new(at_sheet(), message).with_hint(hint));
            return;
        }
    };
    let problems_before = part.diagnostics.len();
    // A formula shows its result, which the file may not even hold (a workbook written by a
    // program is recalculated only when Excel opens it): regtrace reads what is typed.
    if let Ok(mut formulas) = workbook.worksheet_cells_reader(name) {
        let mut seen = 0usize;
        while let Ok(Some(formula)) = formulas.next_formula() {
            seen += 1;
            if seen > MAX_CELLS || part.diagnostics.len() - problems_before >= 1000 {
                break;
            }
            if formula.get_value().is_empty() {
                continue;
            }
            part.diagnostics.push(
                Diagnostic::new(
                    Some(place(file, &sheet, formula.get_position())),
                    format!("the cell holds a formula (={})", formula.get_value()),
                )
                .with_hint("regtrace reads values, not formulas: copy the column and paste it back as values (Paste Special → Values); to keep text that starts with =, type an apostrophe before it"),
            );
        }
    }
    if let Ok(merged) = workbook.merge_cells_by_sheet_name(name) {
        for region in merged {
            let name = |(row, column): (u32, u32)| regtrace_core::diagnostics::cell_name(row + 1, column + 1);
            part.diagnostics.push(
                Diagnostic::new(
                    Some(place(file, &sheet, region.start)),
                    format!("cells {}:{} are merged", name(region.start), name(region.end)),
                )
                .with_hint("unmerge them (Home → Merge & Center → Unmerge Cells) and fill the value into each row's cell: a merged cell belongs to its first row only"),
            );
        }
    }
    // What Excel does not show is not read as if it did: a hidden row or column that holds a
    // value is an error at its first cell.
    let hidden_column = |c: u32| {
        hidden
            .columns
            .iter()
            .any(|&(first, last)| (first..=last).contains(&(c + 1)))
    };
    let mut hidden_rows_reported = std::collections::BTreeSet::new();
    let mut hidden_columns_reported = std::collections::BTreeSet::new();
    for &(row, column, _) in &cells {
        if hidden.rows.binary_search(&(row + 1)).is_ok() && hidden_rows_reported.insert(row) {
            part.diagnostics.push(
                Diagnostic::new(Some(place(file, &sheet, (row, column))), format!("row {} is hidden", row + 1))
                    .with_hint("unhide it (select the rows around it, right-click → Unhide) and check it, or delete the row: regtrace does not read what Excel does not show"),
            );
        }
        if hidden_column(column) && hidden_columns_reported.insert(column) {
            let letter = regtrace_core::diagnostics::cell_name(1, column + 1);
            part.diagnostics.push(
                Diagnostic::new(
                    Some(place(file, &sheet, (row, column))),
                    format!("column {} is hidden", letter.trim_end_matches('1')),
                )
                .with_hint("unhide it (select the columns around it, right-click → Unhide) and check it, or delete the column: regtrace does not read what Excel does not show"),
            );
        }
    }
    if part.diagnostics.len() > problems_before {
        return;
    }
    cells.sort_unstable_by_key(|&(row, column, _)| (row, column));
    let Some(r0) = cells.first().map(|c| c.0) else {
        part.diagnostics.push(
            Diagnostic::new(at_sheet(), format!("the `{name}` sheet is empty")).with_hint(format!(
                "start it with the header row {}, or delete the sheet",
                kind.required().join(", ")
            )),
        );
        return;
    };
    let c0 = cells.iter().map(|c| c.1).min().unwrap_or(0);
    // The used area's width: up to the last column with any value.
    let width = cells.iter().map(|c| c.1 - c0 + 1).max().unwrap_or(0) as usize;
    let mut rows = cells.chunk_by(|a, b| a.0 == b.0);
    let Some(header_cells) = rows.next() else {
        return;
    };
    // The cells are sorted by row: each run of one row is a row.
    let data_rows = cells.chunk_by(|a, b| a.0 == b.0).count() as u64;
    if data_rows.saturating_mul(width as u64) > MAX_AREA {
        part.diagnostics.push(
            Diagnostic::new(
                at_sheet(),
                format!(
                    "the sheet's used area is {data_rows} rows × {width} columns (at most {MAX_AREA} cells): a value far to the right (the last is in column {}) widens every row",
                    regtrace_core::diagnostics::cell_name(1, c0 + width as u32).trim_end_matches('1')
                ),
            )
            .with_hint("delete the columns to the right of the table (select them, right-click → Delete) and save again"),
        );
        return;
    }
    let dense = |row_cells: &[(u32, u32, Data)]| {
        let mut row = vec![Data::Empty; width];
        for (_, column, value) in row_cells {
            row[(column - c0) as usize] = value.clone();
        }
        row
    };
    let header_row = dense(header_cells);
    if header_cells[0].0 != r0 {
        return;
    }
    let header_at = place(file, &sheet, (r0, c0));
    let mut header = Vec::with_capacity(header_row.len());
    for (i, cell) in header_row.iter().enumerate() {
        match text(cell, false, false) {
            Ok(name) => header.push(csv_format::normalise_column(&name)),
            Err(problem) => {
                part.diagnostics.push(
                    Diagnostic::new(Some(place(file, &sheet, (r0, c0 + i as u32))), problem.0)
                        .with_hint(problem.1),
                );
                return;
            }
        }
    }
    // A column with neither a name nor a value is a formatting leftover, not data (the width
    // already ends at the last column with a value; the header may end before it).
    while header.last().is_some_and(String::is_empty) {
        let i = header.len() - 1;
        if cells.iter().any(|c| (c.1 - c0) as usize == i && c.0 != r0) {
            break;
        }
        header.pop();
    }
    let Some(kind) = csv_format::header_kind(&header, &header_at, Some(kind), &mut part.diagnostics) else {
        return;
    };
    // A problem with one part of a link names that part's cell, not the row's first.
    let column = |name: &str| header.iter().position(|h| h == name).map(|i| c0 + i as u32 + 1);
    if let (Some(from), Some(to), Some(relation)) = (column("from"), column("to"), column("relation")) {
        part.edges.set_columns(file, &sheet, [from, to, relation]);
    }
    let dates: Vec<bool> = header
        .iter()
        .map(|h| regtrace_core::Dates::FIELDS.contains(&h.as_str()))
        .collect();
    let ids: Vec<bool> = header
        .iter()
        .map(|h| matches!(h.as_str(), "id" | "from" | "to"))
        .collect();
    for row_cells in rows {
        let row_index = row_cells[0].0;
        let row = dense(row_cells);
        let row = &row[..header.len()];
        if row.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let cell_at = |i: usize| place(file, &sheet, (row_index, c0 + i as u32));
        let mut values = Vec::with_capacity(row.len());
        let mut readable = true;
        for (i, cell) in row.iter().enumerate() {
            match text(cell, dates[i], ids[i]) {
                Ok(value) => values.push(value),
                Err((message, hint)) => {
                    readable = false;
                    part.diagnostics
                        .push(Diagnostic::new(Some(cell_at(i)), message).with_hint(hint));
                }
            }
        }
        if !readable {
            continue;
        }
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        let at = cell_at(0);
        csv_format::read_row(kind, &header, &values, &at, &cell_at, part);
    }
}

/// The largest whole number a double holds exactly (2^53): an id above it is not the id typed.
const EXACT: f64 = 9_007_199_254_740_992.0;
/// Excel's last day, 9999-12-31, as a date serial.
const LAST_DAY: f64 = 2_958_465.0;

/// Significant digits of `n` as the file holds it (the shortest text that reads back as `n`).
fn significant_digits(n: f64) -> usize {
    let written = format!("{:e}", n.abs());
    let mantissa = written.split('e').next().unwrap_or_default();
    mantissa.chars().filter(char::is_ascii_digit).count()
}

/// A cell as text (a date as `YYYY-MM-DD`), or what is wrong with it and how to fix it.
/// `id_column`: the cell names a node (`id`, `from`, `to`), so a number in it must be a whole
/// number the file holds exactly.
fn text(cell: &Data, date_column: bool, id_column: bool) -> Result<String, (String, String)> {
    let number = |n: f64| {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            format!("{n}")
        }
    };
    let checked = |n: f64| -> Result<String, (String, String)> {
        if id_column && (n.fract() != 0.0 || n.abs() > EXACT) {
            return Err((
                format!("the id cell holds the number {}, not a whole number Excel and regtrace read alike", number(n)),
                "type the id as text: format the column as Text (Format Cells → Text) before typing, or type an apostrophe before it ('12345678901234567890)".to_owned(),
            ));
        }
        // Excel shows at most 15 significant digits: a number with more is shown rounded, and
        // regtrace would read something other than what is on the screen.
        if significant_digits(n) > 15 {
            return Err((
                format!("the cell holds the number {n}, which Excel shows rounded to 15 digits"),
                "type the value as text (an apostrophe before it), or round it in the cell to what should be read".to_owned(),
            ));
        }
        Ok(number(n))
    };
    match cell {
        Data::Empty => Ok(String::new()),
        Data::String(s) => Ok(s.clone()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Ok(s.clone()),
        Data::Bool(b) => Ok(b.to_string()),
        Data::Int(n) if date_column => Err(as_number(&n.to_string())),
        Data::Float(n) if date_column => Err(as_number(&number(*n))),
        Data::Int(n) if id_column && n.unsigned_abs() > EXACT as u64 => checked(*n as f64),
        Data::Int(n) => Ok(n.to_string()),
        Data::Float(n) => checked(*n),
        Data::DateTime(d) if d.is_datetime() => {
            let serial = d.as_f64();
            if !(1.0..LAST_DAY + 1.0).contains(&serial) {
                return Err((
                    format!(
                        "the date cell holds the serial number {serial}, outside Excel's dates (1900-01-01 to 9999-12-31)"
                    ),
                    "type the date as text YYYY-MM-DD, or correct the cell (Excel shows it as ####)"
                        .to_owned(),
                ));
            }
            let (year, month, day, hour, minute, second, _) = d.to_ymd_hms_milli();
            let date = format!("{year:04}-{month:02}-{day:02}");
            Ok(if date_column || (hour, minute, second) == (0, 0, 0) {
                date
            } else {
                format!("{date}T{hour:02}:{minute:02}:{second:02}")
            })
        }
        Data::DateTime(d) => checked(d.as_f64()),
        Data::Error(e) => Err((
            format!("the cell shows the error {e}"),
            "correct or clear the cell in Excel".to_owned(),
        )),
    }
}

fn as_number(shown: &str) -> (String, String) {
    (
        format!("the date cell holds the number {shown}, not a date"),
        "format the cell as a date (Format Cells → Date), or type the date as text YYYY-MM-DD".to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_what_they_show() {
        assert_eq!(text(&Data::Float(3.0), false, false).unwrap(), "3");
        assert_eq!(text(&Data::Float(2.5), false, false).unwrap(), "2.5");
        assert_eq!(text(&Data::String("=1+1".into()), false, false).unwrap(), "=1+1");
        let date = calamine::ExcelDateTime::new(41598.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(text(&Data::DateTime(date), true, false).unwrap(), "2013-11-20");
        let problem = text(&Data::Float(41598.0), true, false).unwrap_err();
        assert!(problem.0.contains("holds the number 41598"), "{problem:?}");
    }

    #[test]
    fn numbers_excel_shows_otherwise_and_dates_outside_its_calendar_are_refused() {
        // An id typed as a number is read only when the file holds exactly that whole number.
        assert_eq!(text(&Data::Float(12345.0), false, true).unwrap(), "12345");
        assert_eq!(
            text(&Data::Int(9_007_199_254_740_992), false, true).unwrap(),
            "9007199254740992"
        );
        for n in [12_345_678_901_234_567_890.0, 1.5, 9_007_199_254_740_994.0] {
            let problem = text(&Data::Float(n), false, true).unwrap_err();
            assert!(problem.0.contains("the id cell holds"), "{problem:?}");
        }
        assert!(text(&Data::Int(9_007_199_254_740_993), false, true).is_err());
        // 0.1 + 0.2 is 0.30000000000000004 in the file and 0.3 on the screen.
        let problem = text(&Data::Float(0.1 + 0.2), false, false).unwrap_err();
        assert!(problem.0.contains("rounded to 15 digits"), "{problem:?}");
        assert_eq!(text(&Data::Float(0.3), false, false).unwrap(), "0.3");
        assert_eq!(
            text(&Data::Float(123_456_789.125), false, false).unwrap(),
            "123456789.125"
        );
        for serial in [-5.0, 0.0, 2_958_466.0, 1e12] {
            let date = calamine::ExcelDateTime::new(serial, calamine::ExcelDateTimeType::DateTime, false);
            let problem = text(&Data::DateTime(date), true, false).unwrap_err();
            assert!(
                problem.0.contains("outside Excel's dates"),
                "{serial}: {problem:?}"
            );
        }
        let last = calamine::ExcelDateTime::new(2_958_465.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(text(&Data::DateTime(last), true, false).unwrap(), "9999-12-31");
    }
}
