//! The input formats. Each is one module with one [`Importer`], registered in [`IMPORTERS`]:
//! a new format is its module plus one line there. A file is read by the format its extension
//! names, or by the one `--from NAME` chooses ([`Format::named`]).

use std::path::Path;
use std::sync::Arc;

use regtrace_core::{Diagnostic, Diagnostics, Location};

use crate::Collected;

/// What a format is called and which files it reads.
pub(crate) struct Info {
    /// The name `--from` takes (`csv`, `fda-product-classification`).
    pub name: &'static str,
    /// What it reads, in one line for `import --help`.
    pub summary: &'static str,
    /// The file name extensions it reads (lower case, without the dot).
    pub extensions: &'static [&'static str],
    /// Whether its extensions choose it without `--from` (a `.txt` or `.json` file is not
    /// assumed to be a regulator's list).
    pub detected: bool,
    /// What to do about an empty file of this format.
    pub empty_hint: &'static str,
}

/// One input format: which files it reads and how.
pub(crate) trait Importer: Sync {
    /// Its name and files.
    fn info(&self) -> &'static Info;
    /// Reads one file's bytes into `into`, reporting every problem.
    fn read(&self, file: &Arc<str>, bytes: crate::Bytes, into: &mut Collected, diagnostics: &mut Diagnostics);
}

/// A file's bytes as UTF-8 text, or the problem reported (see [`crate::decode`]).
pub(crate) fn text(file: &Arc<str>, bytes: Vec<u8>, diagnostics: &mut Diagnostics) -> Option<String> {
    crate::decode(file, bytes)
        .map_err(|problem| diagnostics.push(problem))
        .ok()
}

/// Every format, in the order `import --help` lists them.
static IMPORTERS: &[&dyn Importer] = &[
    &crate::toml_format::Toml,
    &crate::csv_format::Csv,
    &crate::json_format::Json,
    &crate::xlsx_format::Xlsx,
    &crate::reqif::Reqif,
    &crate::fda::ProductClassification,
    &crate::eu_standards::HarmonisedStandards,
];

/// A format regtrace reads.
#[derive(Clone, Copy)]
pub struct Format(&'static dyn Importer);

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Format) -> bool {
        self.name() == other.name()
    }
}

impl Format {
    /// Every format, in the order `import --help` lists them.
    pub fn all() -> impl Iterator<Item = Format> {
        IMPORTERS.iter().map(|importer| Format(*importer))
    }

    /// The format called `name` (as `--from` takes it), or an error that lists them.
    pub fn named(name: &str) -> Result<Format, Diagnostic> {
        let folded = name.trim().to_ascii_lowercase().replace('_', "-");
        Format::all().find(|f| f.name() == folded).ok_or_else(|| {
            let names: Vec<&str> = Format::all().map(|f| f.name()).collect();
            let hint = match regtrace_core::suggest::did_you_mean(&folded, names.iter().copied()) {
                Some(near) => format!("did you mean {near:?}? (formats: {})", names.join(", ")),
                None => format!("formats: {}", names.join(", ")),
            };
            Diagnostic::new(None, format!("unknown input format {name:?}")).with_hint(hint)
        })
    }

    /// The name `--from` takes.
    pub fn name(&self) -> &'static str {
        self.0.info().name
    }

    /// What it reads, in one line.
    pub fn summary(&self) -> &'static str {
        self.0.info().summary
    }

    /// The file name extensions it reads.
    pub fn extensions(&self) -> &'static [&'static str] {
        self.0.info().extensions
    }

    /// Whether a file's extension chooses this format without `--from`.
    pub fn detected(&self) -> bool {
        self.0.info().detected
    }

    /// `import --help`'s list of formats, one per line.
    pub fn help() -> String {
        Format::all()
            .map(|f| {
                let extensions: Vec<String> = f.extensions().iter().map(|e| format!(".{e}")).collect();
                let how = if f.detected() {
                    extensions.join(", ")
                } else {
                    format!("--from only; reads {}", extensions.join(", "))
                };
                format!("  {} ({how})\n      {}", f.name(), f.summary())
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn reads_extension(&self, path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions().iter().any(|x| x.eq_ignore_ascii_case(e)))
    }

    /// The format a file is read as: `from`'s if its extension is one `from` reads; else the
    /// format its extension chooses; else, for a file named on the command line, `from`'s.
    /// `None`: not a data file (inside a directory, skipped; named, an error).
    pub(crate) fn for_path(path: &Path, from: Option<Format>, named: bool) -> Option<Format> {
        if let Some(from) = from.filter(|f| f.reads_extension(path)) {
            return Some(from);
        }
        Format::all()
            .find(|f| f.detected() && f.reads_extension(path))
            .or(from.filter(|_| named))
    }

    /// The extensions read without `--from`, for messages: `.toml, .csv, … or .reqifz`.
    pub(crate) fn detected_extensions() -> String {
        let all: Vec<String> = Format::all()
            .filter(Format::detected)
            .flat_map(|f| f.extensions().iter().map(|e| format!(".{e}")))
            .collect();
        match all.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => all.join(""),
        }
    }

    /// Reads one file's bytes: an empty file is a problem of its own, anything else goes to the
    /// format's reader.
    pub(crate) fn read(
        &self,
        file: &Arc<str>,
        bytes: crate::Bytes,
        into: &mut Collected,
        diagnostics: &mut Diagnostics,
    ) {
        let blank = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&bytes)
            .iter()
            .all(u8::is_ascii_whitespace);
        if blank {
            diagnostics.push(
                Diagnostic::new(
                    Some(Location::new(file.clone(), Some(1), None)),
                    "the file is empty",
                )
                .with_hint(self.0.info().empty_hint),
            );
            return;
        }
        self.0.read(file, bytes, into, diagnostics);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_a_distinct_name_and_extensions_choose_one_format() {
        let names: std::collections::BTreeSet<&str> = Format::all().map(|f| f.name()).collect();
        assert_eq!(names.len(), Format::all().count());
        for f in Format::all().filter(Format::detected) {
            for e in f.extensions() {
                let path = format!("x.{e}");
                assert_eq!(Format::for_path(Path::new(&path), None, true), Some(f), "{path}");
            }
        }
    }

    #[test]
    fn from_takes_its_own_extensions_and_named_files_of_unknown_type() {
        let fda = Format::named("fda-product-classification").unwrap();
        let csv = Format::named("CSV").unwrap();
        assert_eq!(
            Format::for_path(Path::new("foiclass.txt"), Some(fda), false),
            Some(fda)
        );
        assert_eq!(
            Format::for_path(Path::new("foiclass.dat"), Some(fda), true),
            Some(fda)
        );
        assert_eq!(
            Format::for_path(Path::new("foiclass.dat"), Some(fda), false),
            None
        );
        assert_eq!(
            Format::for_path(Path::new("mine.csv"), Some(fda), true),
            Some(csv)
        );
        assert_eq!(Format::for_path(Path::new("notes.txt"), None, true), None);
        let unknown = Format::named("fda").unwrap_err().to_string();
        assert!(unknown.contains("unknown input format \"fda\""), "{unknown}");
    }
}
