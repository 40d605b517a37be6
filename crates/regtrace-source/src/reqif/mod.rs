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

/// The largest `.reqif` text read from an archive entry; a larger one is refused as a
/// probable zip bomb.
const MAX_ENTRY_BYTES: u64 = 2 << 30;

/// The ReqIF files of one input: a `.reqif`, or each `.reqif` inside a `.reqifz`.
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub documents: Vec<Document>,
    /// Other files inside an archive (attachments), as paths inside it.
    pub attachments: Vec<String>,
}

impl Read {
    /// Decodes and parses one `.reqif` text, keeping its document or its problem.
    fn parse(&mut self, file: &Arc<str>, bytes: &[u8], problems: &mut Vec<Diagnostic>) {
        match decode(file, bytes).and_then(|text| parse::parse(file, &text, problems)) {
            Ok(document) => self.documents.push(document),
            Err(problem) => problems.push(problem),
        }
    }
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
    for name in &names {
        if !name.to_ascii_lowercase().ends_with(".reqif") {
            read.attachments.push(name.clone());
            continue;
        }
        let inner: Arc<str> = Arc::from(format!("{file}!{name}"));
        let mut text = Vec::new();
        let entry = archive
            .by_name(name)
            .map_err(|e| e.to_string())
            .and_then(|entry| {
                entry
                    .take(MAX_ENTRY_BYTES + 1)
                    .read_to_end(&mut text)
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = entry {
            problems.push(
                Diagnostic::new(Some(Location::file(inner)), format!("cannot unpack: {e}"))
                    .with_hint("the archive is damaged; export it again"),
            );
            continue;
        }
        if text.len() as u64 > MAX_ENTRY_BYTES {
            problems.push(
                Diagnostic::new(Some(Location::file(inner)), "unpacks to more than 2 GiB")
                    .with_hint("is this a zip bomb? Unzip it yourself and import the .reqif inside"),
            );
            continue;
        }
        read.parse(&inner, &text, problems);
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
        Some("iso-8859-1" | "latin1" | "latin-1" | "iso_8859-1" | "us-ascii" | "ascii") => {
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
}
