//! Structure-aware: a workbook package built part by part as Excel lays one out (content types,
//! relationships, workbook, styles, shared strings, sheets), with the numbers a file gives (the
//! dimension, cell references, row numbers, string counts, hidden rows and columns, sheet
//! states) and the sizes (whitespace that packs to little) chosen by the fuzzer, and raw bytes
//! spliced into the XML. Run with `-rss_limit_mb` so that an allocation sized by the file is a
//! finding, not a slow run.
#![no_main]

use std::io::Write as _;

use arbitrary::Arbitrary;

#[derive(Arbitrary, Debug)]
struct Book {
    sheets: Vec<Sheet>,
    shared: Vec<String>,
    unique_count: Option<u64>,
    /// Raw bytes spliced into the shared-strings part.
    shared_tail: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
struct Sheet {
    name: String,
    state: u8,
    dimension: Option<(u32, u16, u32, u16)>,
    cols: Vec<(u16, u16, bool)>,
    rows: Vec<Row>,
    /// Whitespace in the sheet's XML, in 256 KiB steps (a part that unpacks far beyond its size).
    padding: u8,
    /// Raw bytes spliced into the sheet data.
    tail: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
struct Row {
    number: Option<u32>,
    hidden: bool,
    cells: Vec<Cell>,
}

#[derive(Arbitrary, Debug)]
struct Cell {
    column: u16,
    date_style: bool,
    value: Value,
}

#[derive(Arbitrary, Debug)]
enum Value {
    Shared(u32),
    Inline(String),
    Number(f64),
    Int(i64),
    Bool(bool),
    Error,
    Formula(String),
    Raw(String),
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
}

/// `A`, `B`, …, `XFD` for a 0-based column.
fn letters(mut column: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

fn package(book: &Book) -> Vec<u8> {
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, bytes: &[u8]| {
        let _ = zip.start_file(name, deflated);
        let _ = zip.write_all(bytes);
    };
    let sheets: Vec<&Sheet> = book.sheets.iter().take(4).collect();
    part("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#);
    part("_rels/.rels", format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).as_bytes());
    let mut workbook = format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>"#);
    let mut rels = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#);
    for (i, sheet) in sheets.iter().enumerate() {
        let state = ["visible", "hidden", "veryHidden"][usize::from(sheet.state % 3)];
        // Names as regtrace looks for them, often.
        let name = match sheet.state % 5 {
            0 => "nodes".to_owned(),
            1 => "edges".to_owned(),
            2 => " Nodes".to_owned(),
            _ => escape(&sheet.name),
        };
        workbook.push_str(&format!(r#"<sheet name="{name}" sheetId="{}" state="{state}" r:id="rId{}"/>"#, i + 1, i + 1));
        rels.push_str(&format!(r#"<Relationship Id="rId{}" Type="{rel}/worksheet" Target="worksheets/sheet{}.xml"/>"#, i + 1, i + 1));
    }
    workbook.push_str("</sheets></workbook>");
    rels.push_str(&format!(r#"<Relationship Id="rId90" Type="{rel}/styles" Target="styles.xml"/><Relationship Id="rId91" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#));
    part("xl/workbook.xml", workbook.as_bytes());
    part("xl/_rels/workbook.xml.rels", rels.as_bytes());
    part("xl/styles.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{ns}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#).as_bytes());
    let mut shared = format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}""#);
    if let Some(n) = book.unique_count {
        shared.push_str(&format!(r#" uniqueCount="{n}""#));
    }
    shared.push('>');
    for text in book.shared.iter().take(64) {
        shared.push_str(&format!("<si><t>{}</t></si>", escape(text)));
    }
    let mut shared = shared.into_bytes();
    shared.extend_from_slice(&book.shared_tail);
    shared.extend_from_slice(b"</sst>");
    part("xl/sharedStrings.xml", &shared);
    for (i, sheet) in sheets.iter().enumerate() {
        let mut xml = format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}">"#).into_bytes();
        if let Some((r1, c1, r2, c2)) = sheet.dimension {
            xml.extend_from_slice(format!(r#"<dimension ref="{}{}:{}{}"/>"#, letters(u32::from(c1)), r1, letters(u32::from(c2)), r2).as_bytes());
        }
        if !sheet.cols.is_empty() {
            xml.extend_from_slice(b"<cols>");
            for (min, max, hidden) in sheet.cols.iter().take(16) {
                xml.extend_from_slice(format!(r#"<col min="{min}" max="{max}" hidden="{}"/>"#, u8::from(*hidden)).as_bytes());
            }
            xml.extend_from_slice(b"</cols>");
        }
        xml.extend_from_slice(b"<sheetData>");
        for (r, row) in sheet.rows.iter().take(256).enumerate() {
            let number = row.number.map_or(r as u32 + 1, |n| n % 1_048_577);
            xml.extend_from_slice(format!(r#"<row r="{number}"{}>"#, if row.hidden { r#" hidden="1""# } else { "" }).as_bytes());
            for cell in row.cells.iter().take(32) {
                let at = format!("{}{number}", letters(u32::from(cell.column % 16_384)));
                let style = if cell.date_style { r#" s="1""# } else { "" };
                let c = match &cell.value {
                    Value::Shared(n) => format!(r#"<c r="{at}" t="s"{style}><v>{n}</v></c>"#),
                    Value::Inline(t) => format!(r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#, escape(t)),
                    Value::Number(n) => format!(r#"<c r="{at}"{style}><v>{n}</v></c>"#),
                    Value::Int(n) => format!(r#"<c r="{at}"{style}><v>{n}</v></c>"#),
                    Value::Bool(b) => format!(r#"<c r="{at}" t="b"><v>{}</v></c>"#, u8::from(*b)),
                    Value::Error => format!(r#"<c r="{at}" t="e"><v>#REF!</v></c>"#),
                    Value::Formula(f) => format!(r#"<c r="{at}"><f>{}</f><v>1</v></c>"#, escape(f)),
                    Value::Raw(raw) => raw.clone(),
                };
                xml.extend_from_slice(c.as_bytes());
            }
            xml.extend_from_slice(b"</row>");
        }
        xml.extend_from_slice(&sheet.tail);
        xml.extend(std::iter::repeat_n(b' ', usize::from(sheet.padding) << 18));
        xml.extend_from_slice(b"</sheetData></worksheet>");
        part(&format!("xl/worksheets/sheet{}.xml", i + 1), &xml);
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

libfuzzer_sys::fuzz_target!(|book: Book| {
    let bytes = package(&book);
    let _ = regtrace_source::load_bytes(&[("data.xlsx", bytes.as_slice())], None);
});
