//! The workbook as a zip package, looked at before calamine reads a cell: every part's real
//! unpacked size counted against [`MAX_UNPACKED`] and [`MAX_RATIO`] (a 5 KB file must not
//! become gigabytes), the shared-string count calamine reserves room for bounded by the part's
//! size, and which sheets, rows and columns Excel would not show.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::Event;

/// Bytes all parts of a workbook may unpack to, together. A workbook of a million rows (Excel's
/// limit) with ten columns unpacks to about 500 MB.
pub const MAX_UNPACKED: u64 = 1 << 30;
/// How many times its packed size a part may unpack to, once past [`RATIO_FREE`]; sheets Excel
/// writes compress 5–30 times, a bomb thousands of times.
pub const MAX_RATIO: u64 = 200;
/// Parts up to this size are not held to [`MAX_RATIO`] (a small, very regular part may compress
/// far better).
const RATIO_FREE: u64 = 1 << 20;
/// Parts a workbook may have.
const MAX_PARTS: usize = 10_000;

/// What is wrong with a workbook's package, and how to fix it.
pub type Problem = (String, String);

/// A sheet as the workbook lists it.
#[derive(Debug, Clone)]
pub struct SheetPart {
    /// Its name, as the tab shows it.
    pub name: String,
    /// `visible`, `hidden` or `veryHidden`.
    pub state: String,
    /// The part that holds it (`xl/worksheets/sheet1.xml`), if the workbook names one.
    pub path: Option<String>,
}

/// Rows and columns of a sheet that Excel does not show.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Hidden {
    /// Hidden rows, 1-based, in order.
    pub rows: Vec<u32>,
    /// Hidden columns as 1-based ranges (first, last).
    pub columns: Vec<(u32, u32)>,
}

/// Checks every part's size as it unpacks, and the shared-string count; then lists the sheets.
pub fn inspect(bytes: &[u8]) -> Result<Vec<SheetPart>, Problem> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e.to_string()))?;
    if zip.len() > MAX_PARTS {
        return Err(too_large(format!(
            "the workbook has {} parts (at most {MAX_PARTS})",
            zip.len()
        )));
    }
    // Declared sizes first: an archive that says it is too large is refused without unpacking.
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| unreadable(&e.to_string()))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > MAX_UNPACKED {
        return Err(too_large(format!(
            "the workbook's parts say they unpack to {declared} bytes (at most {MAX_UNPACKED})"
        )));
    }
    // Then the real sizes, which a crafted archive may understate.
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| unreadable(&e.to_string()))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let packed = entry.compressed_size().max(1);
        let mut chunk = vec![0u8; 64 * 1024];
        let mut size = 0u64;
        loop {
            let n = entry
                .read(&mut chunk)
                .map_err(|e| unreadable(&format!("{name}: {e}")))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            if total + size > MAX_UNPACKED {
                return Err(too_large(format!(
                    "the workbook unpacks to more than {MAX_UNPACKED} bytes (its part {name} alone to over {size})"
                )));
            }
            if size > RATIO_FREE && size > packed.saturating_mul(MAX_RATIO) {
                return Err(too_large(format!(
                    "the part {name} unpacks to over {MAX_RATIO} times its packed size ({packed} bytes): a file that expands like this is a zip bomb, not a workbook Excel wrote"
                )));
            }
        }
        total += size;
    }
    check_shared_strings(&mut zip)?;
    sheets(&mut zip)
}

fn unreadable(why: &str) -> Problem {
    (
        format!("not a readable Excel workbook: {why}"),
        "save it from Excel as \"Excel Workbook (.xlsx)\"; an older .xls or a .csv is not one".into(),
    )
}

fn too_large(what: String) -> Problem {
    (
        format!("{what}; regtrace does not read it"),
        "a workbook this large is not one Excel saves from a table of nodes or links: save the sheets as CSV (nodes.csv, edges.csv), which has no such limit, or check where the file came from".into(),
    )
}

/// A part's text, read whole (its size was checked by [`inspect`]).
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, path: &str) -> Option<Vec<u8>> {
    let mut entry = zip.by_name(path).ok()?;
    let mut text = Vec::new();
    entry.read_to_end(&mut text).ok()?;
    Some(text)
}

/// calamine reserves room for as many shared strings as the part's `uniqueCount` says, before
/// reading one: a count above the strings the part really holds is refused.
fn check_shared_strings(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), Problem> {
    let path = "xl/sharedStrings.xml";
    let Ok(entry) = zip.by_name(path) else {
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(entry));
    let mut buf = Vec::new();
    let mut said: Option<String> = None;
    let mut held = 0u64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "sst" => said = attribute(&e, "uniqueCount"),
                "si" => held += 1,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    match said {
        Some(value) if value.trim().parse::<u64>().is_ok_and(|n| n > held) => Err(too_large(format!(
            "{path} says it holds {value} strings (uniqueCount) but holds {held}"
        ))),
        _ => Ok(()),
    }
}

fn attribute(e: &quick_xml::events::BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_or_else(|_| a.value.to_string(), |v| v.into_owned())
        })
    })
}

/// The sheets `xl/workbook.xml` lists, with their state and part.
fn sheets(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<Vec<SheetPart>, Problem> {
    let mut targets: HashMap<String, String> = HashMap::new();
    if let Some(rels) = part(zip, "xl/_rels/workbook.xml.rels") {
        let mut reader = quick_xml::Reader::from_reader(rels.as_slice());
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                    if let (Some(id), Some(target)) = (attribute(&e, "Id"), attribute(&e, "Target")) {
                        let path = match target.strip_prefix('/') {
                            Some(absolute) => absolute.to_owned(),
                            None => format!("xl/{target}"),
                        };
                        targets.insert(id, path);
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    let mut sheets = Vec::new();
    let Some(workbook) = part(zip, "xl/workbook.xml") else {
        return Ok(sheets);
    };
    let mut reader = quick_xml::Reader::from_reader(workbook.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                let Some(name) = attribute(&e, "name") else {
                    continue;
                };
                sheets.push(SheetPart {
                    name,
                    state: attribute(&e, "state").unwrap_or_else(|| "visible".into()),
                    path: attribute(&e, "id").and_then(|id| targets.get(&id).cloned()),
                });
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(sheets)
}

/// Excel's last row.
const LAST_ROW: u32 = 1_048_576;
/// Excel's last column (`XFD`).
const LAST_COLUMN: u32 = 16_384;

/// A cell reference such as `B17` as (row, column), both from 1, if it is one inside Excel's
/// sheet: one to three letters, then one to seven digits.
fn cell(reference: &str) -> Option<(u32, u32)> {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (name, digits) = reference.split_at(letters);
    if !(1..=3).contains(&name.len())
        || !(1..=7).contains(&digits.len())
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let column = name
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1);
    let row: u32 = digits.parse().ok()?;
    ((1..=LAST_ROW).contains(&row) && (1..=LAST_COLUMN).contains(&column)).then_some((row, column))
}

/// Whether `reference` is a cell or a range `A1:C9` from its top left to its bottom right.
fn range(reference: &str) -> bool {
    match reference.split_once(':') {
        None => cell(reference).is_some(),
        Some((from, to)) => match (cell(from), cell(to)) {
            (Some((r1, c1)), Some((r2, c2))) => r1 <= r2 && c1 <= c2,
            _ => false,
        },
    }
}

/// Reads a sheet's part once before calamine does: the rows and columns it marks hidden
/// (`<row hidden="1">`, `<col hidden="1">`), and every cell reference calamine will turn into
/// numbers (cells, rows, the dimension, merged cells, shared formulas) checked to lie inside
/// Excel's sheet and to run from top left to bottom right: calamine computes with them
/// unchecked (a reversed range overflows; a row of eleven digits wraps around to another row).
pub fn scan(bytes: &[u8], path: &str) -> Result<Hidden, Problem> {
    let mut found = Hidden::default();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(found);
    };
    let Ok(entry) = zip.by_name(path) else {
        return Ok(found);
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(entry));
    let mut buf = Vec::new();
    let mut next_row = 1u32;
    let wrong = |element: &str, written: &str| {
        (
            format!(
                "the sheet's XML names {written:?} in <{element}>, which is not a place on an Excel sheet (rows 1 to {LAST_ROW}, columns A to XFD, a range from its top left to its bottom right)"
            ),
            "the file was not saved by Excel or was changed by hand: open it in Excel and save it again"
                .to_owned(),
        )
    };
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let element = e.local_name().as_ref().to_owned();
                let is_hidden = || attribute(&e, "hidden").is_some_and(|v| v == "1" || v == "true");
                match element.as_str() {
                    "row" => {
                        let row = match attribute(&e, "r") {
                            Some(r) => match r.parse::<u32>() {
                                Ok(n) if (1..=LAST_ROW).contains(&n) => n,
                                _ => return Err(wrong("row", &r)),
                            },
                            None => next_row,
                        };
                        next_row = row.saturating_add(1);
                        if is_hidden() {
                            found.rows.push(row);
                        }
                    }
                    "c" => {
                        if let Some(r) = attribute(&e, "r")
                            && cell(&r).is_none()
                        {
                            return Err(wrong("c", &r));
                        }
                    }
                    "dimension" | "mergeCell" | "f" => {
                        if let Some(r) = attribute(&e, "ref")
                            && !range(&r)
                        {
                            return Err(wrong(&element, &r));
                        }
                    }
                    "col" => {
                        let number = |name| attribute(&e, name).and_then(|v| v.parse::<u32>().ok());
                        let (min, max) = (number("min"), number("max"));
                        if let (Some(min), Some(max)) = (min, max) {
                            if !(1..=max).contains(&min) || max > LAST_COLUMN {
                                return Err(wrong("col", &format!("{min}..{max}")));
                            }
                            if is_hidden() {
                                found.columns.push((min, max));
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(found)
}

/// [`scan`] of every worksheet part, for a sheet whose part the workbook does not name plainly:
/// no rows or columns known hidden, but every reference checked before calamine reads them.
pub fn scan_all(bytes: &[u8]) -> Result<Hidden, Problem> {
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(Hidden::default());
    };
    let parts: Vec<String> = zip
        .file_names()
        .filter_map(|name| name.ok().map(|n| n.into_owned()))
        .filter(|name| name.starts_with("xl/worksheets/"))
        .collect();
    for path in parts {
        scan(bytes, &path)?;
    }
    Ok(Hidden::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_inside_excels_sheet_only() {
        assert_eq!(cell("A1"), Some((1, 1)));
        assert_eq!(cell("xfd1048576"), Some((1_048_576, 16_384)));
        for wrong in [
            "",
            "A",
            "1",
            "A0",
            "XFE1",
            "A1048577",
            "AAAA1",
            "A99999999999",
            "A1B",
            "Ä1",
            "A-1",
        ] {
            assert_eq!(cell(wrong), None, "{wrong}");
        }
        assert!(range("A1:C9") && range("B2") && range("A1:A1"));
        for wrong in ["B5:A1", "A5:A1", "C1:A9", "A1:", ":A1", "A1:B2:C3"] {
            assert!(!range(wrong), "{wrong}");
        }
    }
}
