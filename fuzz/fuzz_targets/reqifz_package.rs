//! Structure-aware: a `.reqifz` archive of ReqIF modules built from the input: objects,
//! relations and a hierarchy with chosen identifiers (repeated ones too), titles in UTF-8 or
//! declared ISO-8859-1, entries stored or deflated, other files beside them, whitespace that
//! packs to little, and raw bytes spliced into the XML. Run with `-rss_limit_mb` so that memory
//! growing with an entry's declared or unpacked size is a finding.
#![no_main]

use std::io::Write as _;

use arbitrary::Arbitrary;

#[derive(Arbitrary, Debug)]
struct Archive {
    entries: Vec<Entry>,
}

#[derive(Arbitrary, Debug)]
struct Entry {
    name: String,
    /// Not a `.reqif` (an attachment), when set.
    attachment: bool,
    latin1: bool,
    stored: bool,
    objects: Vec<(u8, String)>,
    relations: Vec<(u8, u8, u8)>,
    hierarchy: Vec<u8>,
    /// Whitespace in a comment, in 256 KiB steps.
    padding: u8,
    raw: Vec<u8>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
}

fn module(entry: &Entry) -> Vec<u8> {
    let encoding = if entry.latin1 { "ISO-8859-1" } else { "UTF-8" };
    let mut text = format!(
        r#"<?xml version="1.0" encoding="{encoding}"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><CORE-CONTENT><REQ-IF-CONTENT>
<DATATYPES><DATATYPE-DEFINITION-STRING IDENTIFIER="s" MAX-LENGTH="1000"/></DATATYPES>
<SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="req" LONG-NAME="Requirement"><SPEC-ATTRIBUTES><ATTRIBUTE-DEFINITION-STRING IDENTIFIER="name" LONG-NAME="ReqIF.Name"><TYPE><DATATYPE-DEFINITION-STRING-REF>s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING></SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>
<SPEC-RELATION-TYPE IDENTIFIER="rt" LONG-NAME="fulfills"/><SPECIFICATION-TYPE IDENTIFIER="st" LONG-NAME="Document"/></SPEC-TYPES>
<SPEC-OBJECTS>"#
    );
    for (id, title) in entry.objects.iter().take(64) {
        text.push_str(&format!(
            r#"<SPEC-OBJECT IDENTIFIER="O{id}"><TYPE><SPEC-OBJECT-TYPE-REF>req</SPEC-OBJECT-TYPE-REF></TYPE><VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE="{}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>name</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES></SPEC-OBJECT>"#,
            escape(title)
        ));
    }
    text.push_str("</SPEC-OBJECTS><SPEC-RELATIONS>");
    for (i, (from, to, _)) in entry.relations.iter().take(64).enumerate() {
        text.push_str(&format!(
            r#"<SPEC-RELATION IDENTIFIER="R{i}"><SOURCE><SPEC-OBJECT-REF>O{from}</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>O{to}</SPEC-OBJECT-REF></TARGET><TYPE><SPEC-RELATION-TYPE-REF>rt</SPEC-RELATION-TYPE-REF></TYPE></SPEC-RELATION>"#
        ));
    }
    text.push_str(r#"</SPEC-RELATIONS><SPECIFICATIONS><SPECIFICATION IDENTIFIER="S"><TYPE><SPECIFICATION-TYPE-REF>st</SPECIFICATION-TYPE-REF></TYPE><CHILDREN>"#);
    for (i, object) in entry.hierarchy.iter().take(64).enumerate() {
        text.push_str(&format!(
            r#"<SPEC-HIERARCHY IDENTIFIER="H{i}"><OBJECT><SPEC-OBJECT-REF>O{object}</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>"#
        ));
    }
    text.push_str("</CHILDREN></SPECIFICATION></SPECIFICATIONS>");
    let mut bytes: Vec<u8> = if entry.latin1 {
        text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect()
    } else {
        text.into_bytes()
    };
    bytes.extend_from_slice(&entry.raw);
    bytes.extend_from_slice(b"<!--");
    bytes.extend(std::iter::repeat_n(b' ', usize::from(entry.padding) << 18));
    bytes.extend_from_slice(b"-->\n</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>\n");
    bytes
}

libfuzzer_sys::fuzz_target!(|archive: Archive| {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, entry) in archive.entries.iter().take(4).enumerate() {
        let method = if entry.stored { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        let name = if entry.attachment {
            format!("files/{i}-{}", entry.name.replace(['/', '\\'], "_"))
        } else {
            format!("m{i}.reqif")
        };
        if zip.start_file(name, options).is_err() {
            return;
        }
        let _ = zip.write_all(&module(entry));
    }
    let Ok(bytes) = zip.finish().map(|c| c.into_inner()) else {
        return;
    };
    let _ = regtrace_source::load_bytes(&[("data.reqifz", bytes.as_slice())], None);
});
