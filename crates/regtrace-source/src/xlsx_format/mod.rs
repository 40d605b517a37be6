//! Excel workbooks: a sheet `nodes` and a sheet `edges` with the columns of the CSV pair (any
//! other sheet is left alone, such as the `reviews` sheet `export --format xlsx` adds). Header
//! names are matched without regard to case; dates may be Excel dates or `YYYY-MM-DD` text.
//! Every problem names its cell as Excel does (`data.xlsx:nodes!C17`).
//!
//! A workbook says what a cell shows, not only what it holds: a formula, a merged cell or a
//! date typed as a plain number would be read as something other than what the person sees, so
//! each is an error at its cell rather than a guess.

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader};
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
    let mut workbook = match calamine::Xlsx::new(Cursor::new(bytes)) {
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
    let find = |wanted: &str| {
        names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(wanted))
            .cloned()
    };
    let sheets: Vec<(CsvKind, String)> = [CsvKind::Nodes, CsvKind::Edges]
        .into_iter()
        .filter_map(|kind| find(kind.word()).map(|name| (kind, name)))
        .collect();
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
        read_sheet(file, &mut workbook, kind, &name, part);
    }
}

/// A cell's place, from its 0-based (row, column) in the sheet.
fn place(file: &Arc<str>, sheet: &Arc<str>, (row, column): (u32, u32)) -> Location {
    Location::cell(file.clone(), sheet.clone(), row + 1, column + 1)
}

fn read_sheet(
    file: &Arc<str>,
    workbook: &mut calamine::Xlsx<Cursor<Vec<u8>>>,
    kind: CsvKind,
    name: &str,
    part: &mut Part,
) {
    let sheet: Arc<str> = Arc::from(name);
    let at_sheet = || Some(Location::cell(file.clone(), sheet.clone(), 1, 1));
    let range = match workbook.worksheet_range(name) {
        Ok(range) => range,
        Err(e) => {
            part.diagnostics.push(
                Diagnostic::new(at_sheet(), format!("cannot read the sheet: {e}"))
                    .with_hint("save the workbook again from Excel"),
            );
            return;
        }
    };
    let problems_before = part.diagnostics.len();
    // A formula shows its result, which the file may not even hold (a workbook written by a
    // program is recalculated only when Excel opens it): regtrace reads what is typed.
    if let Ok(formulas) = workbook.worksheet_formula(name) {
        for (row, column, formula) in formulas.used_cells() {
            if formula.is_empty() {
                continue;
            }
            let (r0, c0) = formulas.start().unwrap_or((0, 0));
            part.diagnostics.push(
                Diagnostic::new(
                    Some(place(file, &sheet, (r0 + row as u32, c0 + column as u32))),
                    format!("the cell holds a formula (={formula})"),
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
    if part.diagnostics.len() > problems_before {
        return;
    }
    let Some((r0, c0)) = range.start() else {
        part.diagnostics.push(
            Diagnostic::new(at_sheet(), format!("the `{name}` sheet is empty")).with_hint(format!(
                "start it with the header row {}, or delete the sheet",
                kind.required().join(", ")
            )),
        );
        return;
    };
    let mut rows = range.rows();
    let Some(header_row) = rows.next() else {
        return;
    };
    let header_at = place(file, &sheet, (r0, c0));
    let mut header = Vec::with_capacity(header_row.len());
    for (i, cell) in header_row.iter().enumerate() {
        match text(cell, false) {
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
    // A column with neither a name nor a value is a formatting leftover, not data.
    while header.last().is_some_and(String::is_empty) {
        let i = header.len() - 1;
        if range.rows().skip(1).any(|row| !matches!(row[i], Data::Empty)) {
            break;
        }
        header.pop();
    }
    let Some(kind) = csv_format::header_kind(&header, &header_at, Some(kind), &mut part.diagnostics) else {
        return;
    };
    let dates: Vec<bool> = header
        .iter()
        .map(|h| regtrace_core::Dates::FIELDS.contains(&h.as_str()))
        .collect();
    for (r, row) in rows.enumerate() {
        let row_index = r0 + 1 + r as u32;
        let row = &row[..header.len()];
        if row.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let cell_at = |i: usize| place(file, &sheet, (row_index, c0 + i as u32));
        let mut cells = Vec::with_capacity(row.len());
        let mut readable = true;
        for (i, cell) in row.iter().enumerate() {
            match text(cell, dates[i]) {
                Ok(value) => cells.push(value),
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
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        let at = cell_at(0);
        csv_format::read_row(kind, &header, &cells, &at, &cell_at, part);
    }
}

/// A cell as text (a date as `YYYY-MM-DD`), or what is wrong with it and how to fix it.
fn text(cell: &Data, date_column: bool) -> Result<String, (String, String)> {
    let number = |n: f64| {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            format!("{n}")
        }
    };
    match cell {
        Data::Empty => Ok(String::new()),
        Data::String(s) => Ok(s.clone()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Ok(s.clone()),
        Data::Bool(b) => Ok(b.to_string()),
        Data::Int(n) if date_column => Err(as_number(&n.to_string())),
        Data::Float(n) if date_column => Err(as_number(&number(*n))),
        Data::Int(n) => Ok(n.to_string()),
        Data::Float(n) => Ok(number(*n)),
        Data::DateTime(d) if d.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = d.to_ymd_hms_milli();
            let date = format!("{year:04}-{month:02}-{day:02}");
            Ok(if date_column || (hour, minute, second) == (0, 0, 0) {
                date
            } else {
                format!("{date}T{hour:02}:{minute:02}:{second:02}")
            })
        }
        Data::DateTime(d) => Ok(number(d.as_f64())),
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
        assert_eq!(text(&Data::Float(3.0), false).unwrap(), "3");
        assert_eq!(text(&Data::Float(2.5), false).unwrap(), "2.5");
        assert_eq!(text(&Data::String("=1+1".into()), false).unwrap(), "=1+1");
        let date = calamine::ExcelDateTime::new(41598.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(text(&Data::DateTime(date), true).unwrap(), "2013-11-20");
        let problem = text(&Data::Float(41598.0), true).unwrap_err();
        assert!(problem.0.contains("holds the number 41598"), "{problem:?}");
    }
}
