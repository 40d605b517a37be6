//! ReqIF (OMG Requirements Interchange Format 1.0–1.2): `.reqif` files and `.reqifz` archives
//! from DOORS, DOORS Next, Polarion, Jama, codebeamer, Enterprise Architect, Eclipse ProR.
//!
//! Reading runs in three steps: [`read`] turns each file (or each `.reqif` inside an archive)
//! into a [`parse::Document`] of plain records; [`resolve`] maps the records of all files of
//! one import together (a relation in one file may point at an object in another) to nodes and
//! links through a [`Mapping`]; the result joins the other formats' nodes and links and is
//! validated with them. [`write`] writes a graph back as ReqIF.

mod guess;
pub(crate) mod mapping;
mod parse;
mod resolve;
pub mod write;

use std::io::Read as _;
use std::sync::Arc;

use regtrace_core::{Diagnostic, Location};

pub use mapping::DEFAULT_MAPPING;
pub(crate) use mapping::Mapping;
pub(crate) use parse::Document;
pub(crate) use resolve::resolve;
pub use resolve::{ATTACHMENTS, IDENTIFIER, POSITION, TYPE, XHTML_SUFFIX};

/// Bytes the `.reqif` files of one archive may unpack to, together: checked against the sizes
/// the archive declares before anything is unpacked, then against the bytes as they really
/// unpack. A larger archive is refused as a probable zip bomb.
pub const MAX_UNPACKED: u64 = 4 << 30;

/// Entries (and ISO-8859-1 files) from this size on are unpacked (converted) into a temporary
/// file and mapped, a part at a time, never held whole in memory.
const SPOOL_FROM: u64 = 16 << 20;

/// The ReqIF files of one input: a `.reqif`, or each `.reqif` inside a `.reqifz`.
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub documents: Vec<Document>,
    /// Other files inside an archive (attachments), as paths inside it.
    pub attachments: Vec<String>,
}

impl Read {
    /// Decodes and parses one `.reqif` text, keeping its document or its problem. A large text
    /// in ISO-8859-1 is converted a part at a time into a mapped temporary file (as UTF-8 it
    /// is up to twice its size), not into memory.
    fn parse(&mut self, file: &Arc<str>, bytes: &[u8], problems: &mut Vec<Diagnostic>) {
        if bytes.len() as u64 >= SPOOL_FROM && is_latin1(bytes) {
            match spool(bytes, true, u64::MAX) {
                Ok(Spooled::Text(text)) => self.parse_utf8(file, &text, problems),
                Ok(Spooled::TooLarge) => {}
                Err(e) => problems.push(cannot_spool(file, &e)),
            }
            return;
        }
        match decode(file, bytes).and_then(|text| parse::parse(file, &text, problems)) {
            Ok(document) => self.documents.push(document),
            Err(problem) => problems.push(problem),
        }
    }

    /// Parses a text already converted to UTF-8 (its declaration may still name another
    /// encoding, which no longer applies).
    fn parse_utf8(&mut self, file: &Arc<str>, bytes: &[u8], problems: &mut Vec<Diagnostic>) {
        match crate::decode_str(file, bytes).and_then(|text| parse::parse(file, text, problems)) {
            Ok(document) => self.documents.push(document),
            Err(problem) => problems.push(problem),
        }
    }
}

/// Whether the XML declaration at the start of `bytes` names ISO-8859-1 (or ASCII).
fn is_latin1(bytes: &[u8]) -> bool {
    declared_encoding(bytes).is_some_and(|e| names_latin1(&e))
}

/// Whether an encoding's name is one of ISO-8859-1's (ASCII is a part of it).
fn names_latin1(encoding: &str) -> bool {
    matches!(
        encoding.to_ascii_lowercase().as_str(),
        "iso-8859-1" | "latin1" | "latin-1" | "iso_8859-1" | "us-ascii" | "ascii"
    )
}

/// What [`spool`] made of a stream.
enum Spooled {
    /// The whole text (UTF-8 when converted), in memory or mapped.
    Text(crate::Bytes),
    /// More than the limit: nothing kept.
    TooLarge,
}

/// Copies `source` (converting ISO-8859-1 to UTF-8 when `latin1`) into an unnamed temporary
/// file a part at a time, at most `limit` bytes read, and maps it: memory holds a part, never
/// the whole text.
fn spool(mut source: impl std::io::Read, latin1: bool, limit: u64) -> std::io::Result<Spooled> {
    use std::io::Write as _;
    let file = tempfile::tempfile()?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, &file);
    let mut part = vec![0u8; 1 << 16];
    let mut converted = Vec::with_capacity(2 << 16);
    let mut read = 0u64;
    loop {
        let n = source.read(&mut part)?;
        if n == 0 {
            break;
        }
        read += n as u64;
        if read > limit {
            return Ok(Spooled::TooLarge);
        }
        if latin1 {
            converted.clear();
            for &b in &part[..n] {
                let mut utf8 = [0u8; 2];
                converted.extend_from_slice(char::from(b).encode_utf8(&mut utf8).as_bytes());
            }
            out.write_all(&converted)?;
        } else {
            out.write_all(&part[..n])?;
        }
    }
    out.flush()?;
    drop(out);
    if file.metadata()?.len() == 0 {
        return Ok(Spooled::Text(crate::Bytes::Read(Vec::new())));
    }
    #[allow(
        unsafe_code,
        reason = "mapping a file is unsafe in Rust's terms (another program may change it); this \
                  one has no name, so no other program can"
    )]
    let map = unsafe { memmap2::Mmap::map(&file) }?;
    Ok(Spooled::Text(crate::Bytes::Mapped(map)))
}

fn cannot_spool(file: &Arc<str>, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(Some(Location::file(file.clone())), format!("cannot unpack to a temporary file: {e}"))
        .with_hint("regtrace unpacks a large ReqIF file into the temporary directory (TMPDIR): make room there, or unzip the archive yourself and import the .reqif inside")
}

fn too_large(file: &Arc<str>, limit: u64, what: String) -> Diagnostic {
    Diagnostic::new(Some(Location::file(file.clone())), format!("{what} than regtrace unpacks ({limit} bytes together)"))
        .with_hint("is this a zip bomb? A ReqIF export this large is rare: unzip it yourself, look at what it holds, and import the .reqif inside")
}

/// A starting mapping for the ReqIF files at `paths` (`regtrace reqif mapping`): every type they
/// use, with counts and a guessed target each.
pub fn starting_mapping(paths: &[std::path::PathBuf]) -> Result<String, regtrace_core::Diagnostics> {
    let mut problems = Vec::new();
    let mut documents = Vec::new();
    for path in paths {
        let file: Arc<str> = Arc::from(path.display().to_string());
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let zipped = match extension.as_deref() {
            Some("reqif") => false,
            Some("reqifz") => true,
            _ => {
                problems.push(
                    Diagnostic::new(Some(Location::file(file)), "not a ReqIF file")
                        .with_hint("name .reqif or .reqifz files"),
                );
                continue;
            }
        };
        match crate::read_bytes(&file, path) {
            Ok(bytes) => documents.extend(read(&file, &bytes, zipped, &mut problems).documents),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(guess::mapping(&documents))
    } else {
        Err(regtrace_core::Diagnostics(problems))
    }
}

/// Reads a `.reqif` file's bytes (`zipped`: a `.reqifz` archive).
pub(crate) fn read(file: &Arc<str>, bytes: &[u8], zipped: bool, problems: &mut Vec<Diagnostic>) -> Read {
    read_within(file, bytes, zipped, problems, MAX_UNPACKED)
}

/// [`read`], an archive's `.reqif` files unpacking to at most `limit` bytes together.
fn read_within(
    file: &Arc<str>,
    bytes: &[u8],
    zipped: bool,
    problems: &mut Vec<Diagnostic>,
    limit: u64,
) -> Read {
    let mut read = Read::default();
    if !zipped {
        read.parse(file, bytes, problems);
        return read;
    }
    let location = || Some(Location::new(file.clone(), Some(1), None));
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(archive) => archive,
        Err(e) => {
            problems.push(
                Diagnostic::new(location(), format!("not a readable .reqifz (zip) archive: {e}"))
                    .with_hint("a .reqifz is a zip of .reqif files; export it again, or unzip it and import the .reqif inside"),
            );
            return read;
        }
    };
    let mut names: Vec<String> = archive
        .file_names()
        .filter_map(|name| name.ok().map(|name| name.into_owned()))
        .filter(|name| !name.ends_with('/'))
        .collect();
    names.sort();
    // The sizes the archive declares, before anything is unpacked.
    let declared: u64 = names
        .iter()
        .filter(|name| name.to_ascii_lowercase().ends_with(".reqif"))
        .filter_map(|name| archive.by_name(name).ok().map(|entry| entry.size()))
        .fold(0u64, u64::saturating_add);
    if declared > limit {
        problems.push(too_large(
            file,
            limit,
            format!("the archive's .reqif files say they unpack to {declared} bytes, more"),
        ));
        return read;
    }
    let mut left = limit;
    for name in &names {
        if !name.to_ascii_lowercase().ends_with(".reqif") {
            read.attachments.push(name.clone());
            continue;
        }
        let inner: Arc<str> = Arc::from(format!("{file}!{name}"));
        let unpacked = archive
            .by_name(name)
            .map_err(std::io::Error::other)
            .and_then(|mut entry| {
                let size = entry.size();
                // The first part says the encoding; the rest follows it, a part at a time.
                let mut head = Vec::with_capacity(4096);
                (&mut entry).take(4096).read_to_end(&mut head)?;
                let latin1 = is_latin1(&head);
                let mut source = std::io::Read::chain(head.as_slice(), entry);
                if latin1 || size >= SPOOL_FROM {
                    return spool(source, latin1, left).map(|spooled| (spooled, latin1));
                }
                let mut text = Vec::new();
                (&mut source).take(left + 1).read_to_end(&mut text)?;
                let spooled = if text.len() as u64 > left {
                    Spooled::TooLarge
                } else {
                    Spooled::Text(crate::Bytes::Read(text))
                };
                Ok((spooled, false))
            });
        match unpacked {
            Err(e) => problems.push(
                Diagnostic::new(Some(Location::file(inner)), format!("cannot unpack: {e}"))
                    .with_hint("the archive is damaged, or the temporary directory (TMPDIR) is full; export it again, or unzip it yourself and import the .reqif inside"),
            ),
            Ok((Spooled::TooLarge, _)) => {
                problems.push(too_large(&inner, limit, "the archive's .reqif files unpack to more".into()));
                return read;
            }
            Ok((Spooled::Text(text), converted)) => {
                left = left.saturating_sub(text.len() as u64);
                if converted {
                    read.parse_utf8(&inner, &text, problems);
                } else {
                    read.parse(&inner, &text, problems);
                }
            }
        }
    }
    if read.documents.is_empty() && problems.is_empty() {
        problems.push(
            Diagnostic::new(location(), "the archive holds no .reqif file").with_hint(format!(
                "it holds: {}",
                if names.is_empty() {
                    "nothing".to_owned()
                } else {
                    names.join(", ")
                }
            )),
        );
    }
    read
}

/// The text of a ReqIF file: UTF-8 (the default, borrowed), or ISO-8859-1 when its XML
/// declaration says so.
fn decode<'b>(file: &Arc<str>, bytes: &'b [u8]) -> Result<std::borrow::Cow<'b, str>, Diagnostic> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Diagnostic::new(
            Some(Location::new(file.clone(), Some(1), None)),
            "the file is empty",
        )
        .with_hint("export the ReqIF file again, or leave it out of the import"));
    }
    let declared = declared_encoding(bytes).map(|e| e.to_ascii_lowercase());
    match declared.as_deref() {
        None | Some("utf-8" | "utf8") => crate::decode_str(file, bytes).map(std::borrow::Cow::Borrowed),
        Some(latin1) if names_latin1(latin1) => {
            Ok(std::borrow::Cow::Owned(bytes.iter().map(|b| char::from(*b)).collect()))
        }
        Some(other) => Err(Diagnostic::new(
            Some(Location::new(file.clone(), Some(1), None)),
            format!("the file declares the encoding {other:?}; regtrace reads ReqIF in UTF-8 or ISO-8859-1"),
        )
        .with_hint(format!(
            "convert it (e.g. `iconv -f {other} -t UTF-8 in.reqif > out.reqif`) and set encoding=\"UTF-8\" in its first line"
        ))),
    }
}

/// The `encoding` of an XML declaration at the start of `bytes`.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = start.strip_prefix(b"<?xml")?;
    let end = start.windows(2).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(&start[..end]).ok()?;
    let rest = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_owned())
}

/// ReqIF exchange files and archives, resolved together with the mapping among the inputs.
pub(crate) struct Reqif;

impl crate::format::Importer for Reqif {
    fn info(&self) -> &'static crate::format::Info {
        &crate::format::Info {
            name: "reqif",
            summary: "ReqIF 1.2 from DOORS, DOORS Next, Polarion, ProR, EA, … (a .reqifz is a zip of them)",
            extensions: &["reqif", "reqifz"],
            detected: true,
            empty_hint: "export the ReqIF file again, or leave it out of the import",
        }
    }
    fn read(
        &self,
        file: &Arc<str>,
        bytes: crate::Bytes,
        into: &mut crate::Collected,
        diagnostics: &mut regtrace_core::Diagnostics,
    ) {
        let zipped = file.to_ascii_lowercase().ends_with(".reqifz") || bytes.starts_with(b"PK\x03\x04");
        let mut problems = Vec::new();
        into.reqif.push(read(file, &bytes, zipped, &mut problems));
        diagnostics.extend(regtrace_core::Diagnostics(problems));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_encoding_is_read() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding='ISO-8859-1'?><a/>").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(declared_encoding(b"<a/>"), None);
    }

    #[test]
    fn latin1_is_read_and_other_encodings_are_named() {
        let file: Arc<str> = Arc::from("f.reqif");
        let text = decode(
            &file,
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>Gr\xFC\xDFe</a>",
        )
        .unwrap();
        assert!(text.ends_with("<a>Grüße</a>"), "{text}");
        let refused = decode(&file, b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<a/>")
            .unwrap_err()
            .to_string();
        assert!(
            refused.contains("shift_jis") && refused.contains("iconv"),
            "{refused}"
        );
    }

    /// A `.reqifz` of `entries` (name, bytes), deflated.
    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            let deflated =
                zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            zip.start_file(*name, deflated).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// A module of one object titled `title` (bytes as the file holds them), declared in
    /// `encoding`, with `padding` bytes of comment before its end.
    fn module(encoding: &str, title: &[u8], padding: usize) -> Vec<u8> {
        let mut text = format!(
            r#"<?xml version="1.0" encoding="{encoding}"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><CORE-CONTENT><REQ-IF-CONTENT>
<DATATYPES><DATATYPE-DEFINITION-STRING IDENTIFIER="s" MAX-LENGTH="1000"/></DATATYPES>
<SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="req" LONG-NAME="Requirement"><SPEC-ATTRIBUTES><ATTRIBUTE-DEFINITION-STRING IDENTIFIER="name" LONG-NAME="ReqIF.Name"><TYPE><DATATYPE-DEFINITION-STRING-REF>s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING></SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE></SPEC-TYPES>
<SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER="R-1"><TYPE><SPEC-OBJECT-TYPE-REF>req</SPEC-OBJECT-TYPE-REF></TYPE><VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE=""#
        )
        .into_bytes();
        text.extend_from_slice(title);
        text.extend_from_slice(b"\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>name</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES></SPEC-OBJECT></SPEC-OBJECTS>\n<!--");
        text.extend(std::iter::repeat_n(b' ', padding));
        text.extend_from_slice(b"-->\n</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>\n");
        text
    }

    #[test]
    fn a_large_latin1_entry_is_converted_a_part_at_a_time() {
        // Past SPOOL_FROM: unpacked and converted into a mapped temporary file, read as UTF-8.
        let text = module(
            "ISO-8859-1",
            b"Pr\xFCfung der Gr\xF6\xDFe",
            (SPOOL_FROM + 1) as usize,
        );
        let zipped = archive(&[("big.reqif", &text)]);
        assert!(zipped.len() < 1 << 20, "{}", zipped.len());
        let file: Arc<str> = Arc::from("big.reqifz");
        let mut problems = Vec::new();
        let read = read(&file, &zipped, true, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let object = &read.documents[0].objects[0];
        let values: Vec<&str> = object.values.iter().map(|v| v.text.as_str()).collect();
        assert!(values.contains(&"Prüfung der Größe"), "{values:?}");
        // The same text as a plain file (mapped by the caller) takes the same road.
        let mut problems = Vec::new();
        let plain = super::read(&Arc::from("big.reqif"), &text, false, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(plain.documents[0].objects[0].values.len(), object.values.len());
    }

    #[test]
    fn an_archive_over_the_unpack_limit_is_refused_whole() {
        let small = module("UTF-8", b"one", 100);
        let large = module("UTF-8", b"two", 3 << 20);
        let file: Arc<str> = Arc::from("x.reqifz");
        // Declared sizes over the limit: refused before anything is unpacked.
        let mut problems = Vec::new();
        let read = read_within(
            &file,
            &archive(&[("a.reqif", &small), ("b.reqif", &large)]),
            true,
            &mut problems,
            2 << 20,
        );
        assert!(read.documents.is_empty());
        let said = problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            said.starts_with("x.reqifz: error: the archive's .reqif files say they unpack to"),
            "{said}"
        );
        assert!(said.contains("zip bomb"), "{said}");
        // Under the limit, both are read.
        let mut problems = Vec::new();
        let read = read_within(
            &file,
            &archive(&[("a.reqif", &small), ("b.reqif", &large)]),
            true,
            &mut problems,
            4 << 20,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(read.documents.len(), 2);
    }
}
