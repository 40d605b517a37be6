//! FDA's product classification database (`foiclass.txt`, `--from fda-product-classification`):
//! pipe-delimited, Windows-1252, one header row, CRLF or LF.
//!
//! Each product code is a `device` node (a device type: the kind regtrace uses for "a medical
//! device or a class of them"), id `fda-pc-CODE`; each distinct 21 CFR section is a
//! `regulation` node, id `cfr-21-SECTION` (`cfr-21-868.5820`) with its part as the regulation
//! family (attribute `cfr.part`); a product code is `governed_by` its section. The code's class,
//! panel, submission type and flags are `fda.*` attributes and its definition the `description`,
//! so importing a newer edition with `import --merge --record-changes` (or `diff old.db new.db
//! --impact`) shows codes added, removed, renamed, reclassified and moved between sections.

use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Edge, Location, Node, NodeKind, Status};

/// The product classification format.
pub(crate) struct ProductClassification;

/// Every node's provenance.
const SOURCE: &str = "U.S. FDA product classification database (foiclass.txt)";

/// Columns a file must have.
const REQUIRED: &[&str] = &["PRODUCTCODE", "DEVICENAME", "DEVICECLASS", "REGULATIONNUMBER"];

/// The other columns, each kept as an attribute (empty values are left out).
const ATTRIBUTES: &[(&str, &str)] = &[
    ("REVIEW_PANEL", "fda.review_panel"),
    ("MEDICALSPECIALTY", "fda.medical_specialty"),
    ("DEVICECLASS", "fda.device_class"),
    ("UNCLASSIFIED_REASON", "fda.unclassified_reason"),
    ("GMPEXEMPTFLAG", "fda.gmp_exempt"),
    ("THIRDPARTYFLAG", "fda.third_party_review"),
    ("REVIEWCODE", "fda.review_code"),
    ("REGULATIONNUMBER", "fda.regulation_number"),
    ("SUBMISSION_TYPE_ID", "fda.submission_type"),
    ("DEFINITION", "description"),
    ("PHYSICALSTATE", "fda.physical_state"),
    ("TECHNICALMETHOD", "fda.technical_method"),
    ("TARGETAREA", "fda.target_area"),
    ("IMPLANT_FLAG", "fda.implant"),
    ("LIFE_SUSTAIN_SUPPORT_FLAG", "fda.life_sustaining"),
];

impl crate::format::Importer for ProductClassification {
    fn info(&self) -> &'static crate::format::Info {
        &crate::format::Info {
            name: "fda-product-classification",
            summary: "FDA's product classification file (foiclass.txt): product codes and their 21 CFR sections",
            extensions: &["txt"],
            detected: false,
            empty_hint: "download foiclass.zip from FDA's product classification page again and unzip foiclass.txt",
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
        read(file, &bytes, into, diagnostics);
    }
}

/// The file's text: UTF-8 if it is (a re-saved copy), else Windows-1252 as FDA publishes it.
fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

fn read(file: &Arc<str>, bytes: &[u8], into: &mut crate::Collected, diagnostics: &mut Diagnostics) {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'|')
        .quoting(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header_at = || Some(Location::new(file.clone(), Some(1), None));
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_uppercase()).collect(),
        Err(e) => {
            return diagnostics.push(Diagnostic::new(
                header_at(),
                format!("cannot read the header: {e}"),
            ));
        }
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        let hint = if header.len() == 1 {
            "FDA's file separates columns with | (pipe); is this another list, or saved with commas or tabs?"
        } else {
            "this reads FDA's product classification file (foiclass.txt), whose header names REVIEW_PANEL|…|PRODUCTCODE|DEVICENAME|DEVICECLASS|…|REGULATIONNUMBER|…"
        };
        return diagnostics.push(
            Diagnostic::new(
                header_at(),
                format!(
                    "the header lacks the column{} {}",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", ")
                ),
            )
            .with_hint(hint),
        );
    }
    let column = |name: &str| header.iter().position(|h| h == name);
    // The same for every edition, so a newer file changes only what FDA changed.
    let source = SOURCE.to_owned();
    let mut record = csv::StringRecord::new();
    let mut lines = crate::csv_format::LineCounter::new(&text, 1);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| lines.at(p.byte()));
                diagnostics.push(Diagnostic::new(
                    Some(Location::new(file.clone(), line, None)),
                    format!("unreadable row: {e}"),
                ));
                break;
            }
        }
        let line = record.position().map(|p| lines.at(p.byte()));
        let at = Location::new(file.clone(), line, None);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
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
                .with_hint(
                    "a | inside a value splits the row; FDA's file has none, so the file was edited or cut",
                ),
            );
            continue;
        }
        let cell = |name: &str| column(name).and_then(|i| record.get(i)).map_or("", str::trim);
        let code = cell("PRODUCTCODE");
        if code.is_empty() {
            diagnostics.push(
                Diagnostic::new(Some(at), "the PRODUCTCODE is empty")
                    .with_hint("every row of the list is one product code"),
            );
            continue;
        }
        let id = format!("fda-pc-{code}");
        if let Some(problem) = regtrace_core::model::bad_id(&id, Some(at.clone())) {
            diagnostics.push(problem);
            continue;
        }
        let name = cell("DEVICENAME");
        let mut node = Node::new(&id, NodeKind::Device, if name.is_empty() { code } else { name });
        node.status = Some(Status::Active);
        node.source = Some(source.clone());
        node.location = Some(at.clone());
        node.attributes.insert("fda.product_code".into(), code.to_owned());
        for (column, attribute) in ATTRIBUTES {
            let value = cell(column);
            if !value.is_empty() {
                node.attributes.insert((*attribute).to_owned(), value.to_owned());
            }
        }
        let section = cell("REGULATIONNUMBER");
        if !section.is_empty() {
            let reg_id = format!("cfr-21-{section}");
            if let Some(problem) = regtrace_core::model::bad_id(&reg_id, Some(at.clone())) {
                diagnostics.push(problem);
                continue;
            }
            let mut regulation = Node::new(&reg_id, NodeKind::Regulation, format!("21 CFR {section}"));
            regulation.status = Some(Status::Active);
            regulation.source = Some(source.clone());
            regulation.location = Some(at.clone());
            let part = section.split('.').next().unwrap_or(section);
            regulation.attributes.insert("cfr.part".into(), part.to_owned());
            regulation
                .attributes
                .insert("cfr.section".into(), section.to_owned());
            regulation
                .attributes
                .insert("family".into(), format!("21 CFR Part {part}"));
            into.shared.push(regulation);
            into.edges.push(Edge {
                from: id,
                to: reg_id,
                relation: "governed_by".into(),
                source: Some(source.clone()),
                location: Some(at),
            });
        }
        into.nodes.push(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(bytes: &[u8]) -> (crate::Collected, Diagnostics) {
        let (mut into, mut problems) = (crate::Collected::default(), Diagnostics::default());
        read(&Arc::from("foiclass.txt"), bytes, &mut into, &mut problems);
        (into, problems)
    }

    #[test]
    fn reads_codes_sections_and_windows_1252() {
        let (into, problems) = read_str(
            b"REVIEW_PANEL|PRODUCTCODE|DEVICENAME|DEVICECLASS|REGULATIONNUMBER|DEFINITION\r\n\
              AN|BRW|Protector, Dental|1|868.5820|\r\nSU|XYZ|Caf\xe9 \x93kit\x94|U||A \"quoted\" note\r\n",
        );
        assert!(problems.is_empty(), "{problems}");
        assert_eq!(into.nodes.len(), 2);
        assert_eq!(into.nodes[1].title, "Café “kit”");
        assert_eq!(into.nodes[1].attributes["description"], "A \"quoted\" note");
        assert_eq!(into.nodes[0].attributes["fda.device_class"], "1");
        assert_eq!(into.shared[0].id, "cfr-21-868.5820");
        assert_eq!(into.shared[0].attributes["cfr.part"], "868");
        assert_eq!(into.edges.len(), 1, "an unclassified code has no section");
        assert_eq!(
            into.edges.get(0).location().unwrap().to_string(),
            "foiclass.txt:2"
        );
    }

    #[test]
    fn a_file_of_another_shape_is_named() {
        let (_, problems) = read_str(b"id,kind,title\nA,device,x\n");
        let text = problems.to_string();
        assert!(text.contains("lacks the columns PRODUCTCODE"), "{text}");
        assert!(text.contains("separates columns with |"), "{text}");
    }
}
